namespace Cluster.Crm.Cib;

/// <summary>A configured cluster node (&lt;nodes&gt;/&lt;node&gt;).</summary>
public sealed record CibNode(string Id, string Uname, string Type, IReadOnlyList<NvSet> Attributes, IReadOnlyList<NvSet> Utilization);
