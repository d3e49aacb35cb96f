namespace Cluster.Common.Processes;

/// <summary>How a run ended.</summary>
public enum ProcessOutcome
{
    /// <summary>The program exited by itself; see <see cref="ProcessResult.ExitCode"/>.</summary>
    Exited,

    /// <summary>The timeout passed and the process group was killed.</summary>
    TimedOut,

    /// <summary>The caller cancelled and the process group was killed.</summary>
    Cancelled,

    /// <summary>The program could not be started (missing, not executable).</summary>
    FailedToStart,
}

/// <summary>The result of one run: exit code, captured (capped) output, timing.</summary>
public sealed record ProcessResult(
    ProcessOutcome Outcome,
    int ExitCode,
    string StandardOutput,
    string StandardError,
    bool OutputTruncated,
    TimeSpan Elapsed,
    string? StartError = null)
{
    /// <summary>The process id of the program (also its process group id); 0 when not started.</summary>
    public int ProcessId { get; init; }
}
