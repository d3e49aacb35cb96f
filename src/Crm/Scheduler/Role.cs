namespace Cluster.Crm.Scheduler;

/// <summary>Resource role, ordered as Pacemaker orders them.</summary>
public enum Role
{
    Unknown = 0,
    Stopped = 1,
    Started = 2,
    Unpromoted = 3,
    Promoted = 4,
}

/// <summary>Parsing of role names, including the legacy Master/Slave spellings.</summary>
public static class RoleNames
{
    public static Role Parse(string? s) => s?.ToLowerInvariant() switch
    {
        "stopped" => Role.Stopped,
        "started" => Role.Started,
        "unpromoted" or "slave" => Role.Unpromoted,
        "promoted" or "master" => Role.Promoted,
        _ => Role.Unknown,
    };
}
