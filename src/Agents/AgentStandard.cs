namespace Cluster.Agents;

/// <summary>The agent classes we run (Pacemaker's "standards").</summary>
public enum AgentStandard
{
    Ocf,
    Lsb,
    Stonith,

    /// <summary>Pacemaker's "service": systemd when present, else LSB. We have no systemd: LSB.</summary>
    Service,
}

public static class AgentStandardNames
{
    public static string Name(this AgentStandard standard) => standard switch
    {
        AgentStandard.Ocf => "ocf",
        AgentStandard.Lsb => "lsb",
        AgentStandard.Stonith => "stonith",
        AgentStandard.Service => "service",
        _ => throw new ArgumentOutOfRangeException(nameof(standard), standard, null),
    };

    public static bool TryParse(string text, out AgentStandard standard)
    {
        switch (text)
        {
            case "ocf": standard = AgentStandard.Ocf; return true;
            case "lsb": standard = AgentStandard.Lsb; return true;
            case "stonith": standard = AgentStandard.Stonith; return true;
            case "service": standard = AgentStandard.Service; return true;
            default: standard = default; return false;
        }
    }
}
