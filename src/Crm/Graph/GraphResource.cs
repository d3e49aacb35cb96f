namespace Cluster.Crm.Graph;

/// <summary>The &lt;primitive&gt; an rsc_op acts on: its id (a clone instance's "rsc:N"), and agent.</summary>
public sealed record GraphResource(string Id, string Class, string? Provider, string Type, string? LongId = null);
