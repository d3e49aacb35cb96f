namespace Cluster.Crm.Scheduler;

/// <summary>
/// An operation the history records as still in flight (op-status -1, as record-pending writes
/// it). Status output shows it instead of the role ("Starting node1"), or, for a recurring
/// monitor, beside it ("Started node1 (Monitoring)").
/// </summary>
public enum PendingTask
{
    None,
    Starting,
    Stopping,
    Migrating,
    Promoting,
    Demoting,
    Monitoring,
}

public static class PendingTasks
{
    /// <summary>The pending task a history entry of <paramref name="operation"/> stands for, or None.</summary>
    public static PendingTask Of(string operation, long intervalMs) => operation switch
    {
        "start" => PendingTask.Starting,
        "stop" => PendingTask.Stopping,
        "migrate_to" or "migrate_from" => PendingTask.Migrating,
        "promote" => PendingTask.Promoting,
        "demote" => PendingTask.Demoting,
        "monitor" when intervalMs > 0 => PendingTask.Monitoring,
        _ => PendingTask.None,
    };

    /// <summary>Whether the task replaces the role in status output (all but a recurring monitor).</summary>
    public static bool ReplacesRole(this PendingTask task) => task is not (PendingTask.None or PendingTask.Monitoring);
}
