namespace Cluster.Agents.Invocation;

/// <summary>The OCF exit codes (resource-agent API) that operation results are expressed in.</summary>
public enum OcfExitCode
{
    Success = 0,
    ErrGeneric = 1,
    ErrArgs = 2,
    ErrUnimplemented = 3,
    ErrPerm = 4,
    ErrInstalled = 5,
    ErrConfigured = 6,
    NotRunning = 7,
    RunningPromoted = 8,
    FailedPromoted = 9,
    Degraded = 190,
    DegradedPromoted = 191,
}
