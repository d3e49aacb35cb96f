namespace Cluster.Agents.Metadata;

/// <summary>The typed form of an agent's meta-data XML.</summary>
public sealed record AgentMetadata(
    string Name,
    string? Version,
    string? ShortDescription,
    string? LongDescription,
    IReadOnlyList<AgentParameter> Parameters,
    IReadOnlyList<AgentAction> Actions)
{
    public AgentParameter? Parameter(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    public AgentAction? Action(string name) => Actions.FirstOrDefault(a => a.Name == name);
}
