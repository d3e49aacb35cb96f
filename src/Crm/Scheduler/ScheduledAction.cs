namespace Cluster.Crm.Scheduler;

/// <summary>A scheduled action (node-level or resource-level) with Pacemaker's flags.</summary>
public sealed class ScheduledAction
{
    internal ScheduledAction(int id, WorkResource? rsc, string task, WorkNode? node, long intervalMs = 0)
    {
        Id = id; Resource = rsc; Task = task; Node = node; IntervalMs = intervalMs;
    }

    public int Id { get; }
    public WorkResource? Resource { get; }
    public string Task { get; }
    public WorkNode? Node { get; }
    public long IntervalMs { get; }
    public bool Optional { get; internal set; } = true;
    public bool Runnable { get; internal set; } = true;
    public bool Pseudo { get; internal set; }
    public string? Reason { get; internal set; }
    /// <summary>The action whose being required made this one required, when that set <see cref="Reason"/>.</summary>
    internal ScheduledAction? RequiredBy { get; private set; }
    /// <summary>For fencing: "reboot" / "off"; for cluster actions, the operation.</summary>
    public string? Detail { get; internal set; }
    /// <summary>Probes expect "not running".</summary>
    public bool IsProbe => Task == "monitor" && IntervalMs == 0;

    public string Key => Resource is null ? Task : $"{Resource.Id}_{Task}_{IntervalMs}";

    internal void SetReason(string reason, bool overwrite = false)
    {
        if (Reason is null || overwrite) { Reason = reason; RequiredBy = null; }
    }

    internal void SetRequiredBy(ScheduledAction cause, string reason)
    {
        if (Reason is not null) return;
        Reason = reason;
        RequiredBy = cause;
    }

    public override string ToString() => $"{Key}{(Node is null ? "" : " on " + Node.Uname)}{(Optional ? " (optional)" : "")}{(Runnable ? "" : " (unrunnable)")}";
}

[Flags]
internal enum OrderFlags
{
    None = 0,
    ImpliesThen = 1,
    ImpliesFirst = 2,
    RunnableLeft = 4,
    Restart = 8,
    Optional = 16,
    /// <summary>Asymmetric mandatory: blocks "then" only when it really has to happen.</summary>
    Asymmetric = 32,
    /// <summary>Carries flags only, no graph input: an ordering on a group reaches its members'
    /// actions for flag propagation, while the graph orders them through the group's pseudo-actions.</summary>
    FlagsOnly = 64,
}

internal sealed record ActionOrder(ScheduledAction First, ScheduledAction Then, OrderFlags Flags);
