using Cluster.Agents.Invocation;

namespace Cluster.Agents.Execution;

/// <summary>
/// One completed (or cancelled) operation as the executor reports it and keeps it in history:
/// what the controller writes into the CIB status section as lrm_rsc_op.
/// </summary>
public sealed record OperationRecord(
    long CallId,
    string ResourceId,
    string Action,
    TimeSpan Interval,
    ExecutionStatus Status,
    int Rc,
    string? ExitReason,
    DateTimeOffset QueuedAt,
    DateTimeOffset StartedAt,
    TimeSpan QueueTime,
    TimeSpan ExecTime,
    DateTimeOffset LastRcChange)
{
    public bool IsRecurring => Interval > TimeSpan.Zero;

    /// <summary>The result the agent gave, with its output (null for cancellations that never ran).</summary>
    public AgentResult? Result { get; init; }

    /// <summary>Pacemaker's operation key, e.g. <c>WebIP_monitor_10000</c>.</summary>
    public string Key => $"{ResourceId}_{Action}_{(long)Interval.TotalMilliseconds}";
}
