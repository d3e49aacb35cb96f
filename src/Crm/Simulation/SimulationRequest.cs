namespace Cluster.Crm.Simulation;

/// <summary>What crm_simulate was asked to do.</summary>
public sealed record SimulationRequest
{
    public bool Simulate { get; init; }
    public bool ShowScores { get; init; }
    public bool Fancy { get; init; } = true;
    public bool Quiet { get; init; }
    public DateTimeOffset? Now { get; init; }
    public IReadOnlyList<string> NodesUp { get; init; } = [];
    public IReadOnlyList<string> NodesDown { get; init; } = [];
    public IReadOnlyList<string> NodesFail { get; init; } = [];
    public IReadOnlyList<string> OpInjections { get; init; } = [];
    public string? Quorum { get; init; }
    /// <summary>-F: actions of the transition that fail, "rsc_task_interval@node=rc".</summary>
    public IReadOnlyList<string> OpFailures { get; init; } = [];
}
