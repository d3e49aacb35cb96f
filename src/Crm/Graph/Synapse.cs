namespace Cluster.Crm.Graph;

/// <summary>One action of the graph with the ids of the actions that must complete before it.</summary>
public sealed record Synapse(int Id, int Priority, GraphAction Action, IReadOnlyList<int> Inputs);
