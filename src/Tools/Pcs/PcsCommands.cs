namespace Cluster.Tools.Pcs;

/// <summary>Every pcs command we implement. Add a command: a new file, one line here.</summary>
public static class PcsCommands
{
    public static IReadOnlyList<PcsCommand> All { get; } =
    [
        ResourceAgentCommands.Standards,
        ResourceAgentCommands.Providers,
        ResourceAgentCommands.Agents,
        ResourceAgentCommands.Describe,
        StonithAgentCommands.List,
        StonithAgentCommands.Describe,
    ];
}
