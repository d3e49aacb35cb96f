namespace Cluster.Crm.Graph;

/// <summary>The operations a transition graph names (Pacemaker's task vocabulary).</summary>
public enum ActionTask
{
    Start,
    Stop,
    Monitor,
    Promote,
    Demote,
    Notify,
    MigrateTo,
    MigrateFrom,
    Reload,
    ReloadAgent,
    Cancel,
    Delete,
    /// <summary>Pseudo: a collective resource has started ("running").</summary>
    Running,
    /// <summary>Pseudo: a collective resource has stopped.</summary>
    Stopped,
    Promoted,
    Demoted,
    Notified,
    Stonith,
    DoShutdown,
    /// <summary>A node is asked to re-probe everything (a pre-1.1.14 CIB's probe_complete=false).</summary>
    ProbeAgain,
    ClearFailcount,
    /// <summary>Pseudo: one of several actions ("one-or-more:...") completed.</summary>
    OneOrMore,
    /// <summary>An operation this vocabulary does not know (kept verbatim in <see cref="GraphAction.Operation"/>).</summary>
    Other,
}

/// <summary>Text form of <see cref="ActionTask"/> as Pacemaker writes it.</summary>
public static class ActionTasks
{
    public static string ToText(this ActionTask task) => task switch
    {
        ActionTask.Start => "start",
        ActionTask.Stop => "stop",
        ActionTask.Monitor => "monitor",
        ActionTask.Promote => "promote",
        ActionTask.Demote => "demote",
        ActionTask.Notify => "notify",
        ActionTask.MigrateTo => "migrate_to",
        ActionTask.MigrateFrom => "migrate_from",
        ActionTask.Reload => "reload",
        ActionTask.ReloadAgent => "reload-agent",
        ActionTask.Cancel => "cancel",
        ActionTask.Delete => "delete",
        ActionTask.Running => "running",
        ActionTask.Stopped => "stopped",
        ActionTask.Promoted => "promoted",
        ActionTask.Demoted => "demoted",
        ActionTask.Notified => "notified",
        ActionTask.Stonith => "stonith",
        ActionTask.DoShutdown => "do_shutdown",
        ActionTask.ProbeAgain => "probe_again",
        ActionTask.ClearFailcount => "clear_failcount",
        ActionTask.OneOrMore => "one-or-more",
        _ => "other",
    };

    /// <summary>The task an operation name stands for; <see cref="ActionTask.Other"/> when unknown.</summary>
    public static ActionTask Parse(string operation) => operation switch
    {
        "start" => ActionTask.Start,
        "stop" => ActionTask.Stop,
        "monitor" => ActionTask.Monitor,
        "promote" => ActionTask.Promote,
        "demote" => ActionTask.Demote,
        "notify" => ActionTask.Notify,
        "migrate_to" => ActionTask.MigrateTo,
        "migrate_from" => ActionTask.MigrateFrom,
        "reload" => ActionTask.Reload,
        "reload-agent" => ActionTask.ReloadAgent,
        "cancel" => ActionTask.Cancel,
        "delete" => ActionTask.Delete,
        "running" => ActionTask.Running,
        "stopped" => ActionTask.Stopped,
        "promoted" => ActionTask.Promoted,
        "demoted" => ActionTask.Demoted,
        "notified" => ActionTask.Notified,
        "stonith" => ActionTask.Stonith,
        "do_shutdown" => ActionTask.DoShutdown,
        "probe_again" => ActionTask.ProbeAgain,
        "clear_failcount" => ActionTask.ClearFailcount,
        _ when operation.StartsWith("one-or-more", StringComparison.Ordinal) => ActionTask.OneOrMore,
        _ => ActionTask.Other,
    };
}
