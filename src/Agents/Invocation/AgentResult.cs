namespace Cluster.Agents.Invocation;

/// <summary>How one agent action ended.</summary>
public sealed record AgentResult(
    AgentRequest Request,
    ExecutionStatus Status,
    int Rc,
    string? ExitReason,
    string StandardOutput,
    string StandardError,
    TimeSpan ExecTime)
{
    /// <summary>The program's own exit code before mapping (LSB and fence codes differ from OCF).</summary>
    public int RawExitCode { get; init; }

    public bool Succeeded => Status == ExecutionStatus.Done && Severity == FailureSeverity.None;

    public FailureSeverity Severity => Status switch
    {
        ExecutionStatus.Done => ResultClassifier.Severity(Rc, Request.ExpectedRc),
        ExecutionStatus.NotInstalled => FailureSeverity.Hard,
        ExecutionStatus.Cancelled => FailureSeverity.None,
        _ => FailureSeverity.Soft,
    };
}
