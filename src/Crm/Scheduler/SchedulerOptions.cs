namespace Cluster.Crm.Scheduler;

/// <summary>Inputs of a scheduler run besides the CIB.</summary>
public sealed record SchedulerOptions
{
    /// <summary>"Now"; when null, the CIB's execution-date or else the wall clock.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Compare recorded op-digests with the configuration (restart on definition change).</summary>
    public bool CheckDigests { get; init; } = true;

    /// <summary>Collect the allocation score lines (costs a little).</summary>
    public bool CollectScores { get; init; }
}
