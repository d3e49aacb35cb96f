namespace Cluster.Crm.Scheduler;

/// <summary>Inputs of a scheduler run besides the CIB.</summary>
public sealed record SchedulerOptions
{
    /// <summary>"Now"; when null, the CIB's execution-date or else the wall clock.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Computes the op-digest of a resource's configured parameters for comparison with history.
    /// Null means digests are not checked (a recorded digest is assumed to match).</summary>
    public Func<OpDigestRequest, string?>? DigestCalculator { get; init; }

    /// <summary>Collect the allocation score lines (costs a little).</summary>
    public bool CollectScores { get; init; }
}

/// <summary>What a digest calculator gets: the resource, the history entry and the configured op.</summary>
public sealed record OpDigestRequest(Cib.CibPrimitive Resource, Cib.LrmOp HistoryOp, IReadOnlyDictionary<string, string> Parameters);
