namespace Cluster.Agents.Metadata;

/// <summary>One parameter from an agent's meta-data.</summary>
public sealed record AgentParameter(
    string Name,
    bool Required,
    bool Unique,
    string? UniqueGroup,
    bool Reloadable,
    bool Deprecated,
    string Type,
    string? Default,
    string? ShortDescription,
    string? LongDescription);
