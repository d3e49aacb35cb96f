using Cluster.Agents.Invocation;

namespace Cluster.Crm.Execd;

/// <summary>
/// One operation's outcome as the executor reports it to the controller, identified by the
/// call-id it was given when submitted (a recurring op keeps its call-id across runs).
/// </summary>
public sealed record OperationResult(
    long CallId,
    string ResourceId,
    string Action,
    TimeSpan Interval,
    ExecutionStatus Status,
    int Rc,
    string? ExitReason,
    TimeSpan QueuedAt,
    TimeSpan StartedAt,
    TimeSpan ExecTime)
{
    /// <summary>Pacemaker's operation key, e.g. <c>WebIP_monitor_10000</c>.</summary>
    public string Key => $"{ResourceId}_{Action}_{(long)Interval.TotalMilliseconds}";

    public bool IsRecurring => Interval > TimeSpan.Zero;

    /// <summary>What the agent wrote, for logs; empty for runs that never started.</summary>
    public string StandardOutput { get; init; } = "";

    public string StandardError { get; init; } = "";

    /// <summary>True when status and rc equal <paramref name="other"/>'s: a recurring op reports only changes.</summary>
    public bool SameOutcome(OperationResult? other) =>
        other is not null && other.Status == Status && other.Rc == Rc;
}
