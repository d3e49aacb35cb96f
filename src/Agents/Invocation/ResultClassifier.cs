namespace Cluster.Agents.Invocation;

/// <summary>Maps raw exit codes of each agent class onto OCF codes and failure classes.</summary>
public static class ResultClassifier
{
    /// <summary>LSB: status has its own codes; other actions pass 0-7 through (Pacemaker 2.1).</summary>
    public static int LsbToOcf(string action, int exitCode) => action is "status" or "monitor"
        ? exitCode switch
        {
            0 => (int)OcfExitCode.Success,
            1 or 2 or 3 => (int)OcfExitCode.NotRunning,
            _ => (int)OcfExitCode.ErrGeneric,
        }
        : exitCode is >= 0 and <= 7 ? exitCode : (int)OcfExitCode.ErrGeneric;

    /// <summary>Fence agents: 0 success; "status" says 2 for a powered-off target.</summary>
    public static int FenceToOcf(string action, int exitCode) => (action, exitCode) switch
    {
        (_, 0) => (int)OcfExitCode.Success,
        ("status", 2) => (int)OcfExitCode.NotRunning,
        _ => (int)OcfExitCode.ErrGeneric,
    };

    /// <summary>Known OCF codes keep their meaning; anything else is a generic error.</summary>
    public static int NormaliseOcf(int exitCode) =>
        Enum.IsDefined((OcfExitCode)exitCode) ? exitCode : (int)OcfExitCode.ErrGeneric;

    /// <summary>The failure class of an OCF code that differs from what was expected.</summary>
    public static FailureSeverity Severity(int rc, int expectedRc = 0)
    {
        if (rc == expectedRc)
            return FailureSeverity.None;
        return (OcfExitCode)rc switch
        {
            OcfExitCode.Success or OcfExitCode.Degraded or OcfExitCode.DegradedPromoted
                when expectedRc is 0 or 190 or 191 => FailureSeverity.None,
            OcfExitCode.ErrArgs or OcfExitCode.ErrUnimplemented or OcfExitCode.ErrPerm
                or OcfExitCode.ErrInstalled => FailureSeverity.Hard,
            OcfExitCode.ErrConfigured => FailureSeverity.Fatal,
            _ => FailureSeverity.Soft,
        };
    }

    public static string Describe(int rc) => (OcfExitCode)rc switch
    {
        OcfExitCode.Success => "ok",
        OcfExitCode.ErrGeneric => "error",
        OcfExitCode.ErrArgs => "invalid parameter",
        OcfExitCode.ErrUnimplemented => "unimplemented feature",
        OcfExitCode.ErrPerm => "insufficient privileges",
        OcfExitCode.ErrInstalled => "not installed",
        OcfExitCode.ErrConfigured => "not configured",
        OcfExitCode.NotRunning => "not running",
        OcfExitCode.RunningPromoted => "promoted",
        OcfExitCode.FailedPromoted => "promoted (failed)",
        OcfExitCode.Degraded => "OCF_DEGRADED",
        OcfExitCode.DegradedPromoted => "promoted (degraded)",
        _ => "error",
    };
}
