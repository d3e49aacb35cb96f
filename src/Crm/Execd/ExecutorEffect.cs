using Cluster.Agents.Invocation;

namespace Cluster.Crm.Execd;

/// <summary>
/// What the sans-IO executor core asks its shell to do. The shell owns the agent processes and
/// the clocks; the core owns the queues, the recurring schedule and what gets reported.
/// </summary>
public abstract record ExecutorEffect;

/// <summary>Start the agent for one run; the shell answers with <c>OnAgentExited(RunId, ...)</c>.</summary>
public sealed record RunAgent(long RunId, long CallId, AgentRequest Request) : ExecutorEffect;

/// <summary>Kill the run's whole process group (its timeout expired); the shell still reports the exit.</summary>
public sealed record KillAgent(long RunId) : ExecutorEffect;

/// <summary>Arm (or re-arm) a timer; when it fires, the shell calls <c>OnTimer(timer, now)</c>.</summary>
public sealed record ArmExecutorTimer(ExecutorTimer Timer, TimeSpan After) : ExecutorEffect;

/// <summary>Disarm a timer if it is armed.</summary>
public sealed record CancelExecutorTimer(ExecutorTimer Timer) : ExecutorEffect;

/// <summary>Tell the controller how an operation ended (one-shots always; recurring ones on change).</summary>
public sealed record ReportResult(OperationResult Result) : ExecutorEffect;
