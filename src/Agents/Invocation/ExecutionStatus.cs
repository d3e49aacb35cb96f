namespace Cluster.Agents.Invocation;

/// <summary>
/// Whether the agent ran to completion (then <see cref="AgentResult.Rc"/> says how it went) or
/// why it did not; Pacemaker's op-status.
/// </summary>
public enum ExecutionStatus
{
    Pending = -1,
    Done = 0,
    Cancelled = 1,
    TimedOut = 2,
    NotSupported = 3,
    Error = 4,
    NotInstalled = 7,
}
