namespace Cluster.Crm.ClusterSim;

/// <summary>How one run ended: the first violated invariant (null when all held), counters and the trace's tail.</summary>
public sealed record ClusterSimResult(
    ClusterSimConfig Config,
    FencingMode Fencing,
    string? Violation,
    long Events,
    int Transitions,
    int Faults,
    int Fenced,
    TimeSpan SettledAfter,
    IReadOnlyList<string> Trace)
{
    /// <summary>The DC's (else the first running node's) CIB when the run ended, for crm_simulate -x.</summary>
    public string? FinalCib { get; init; }
}
