using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>The outcome of one scheduler run: node and resource states, placement, actions and summary.</summary>
public sealed class ScheduleResult
{
    internal ScheduleResult(SchedulerRun run)
    {
        Run = run;
    }

    internal SchedulerRun Run { get; }

    public DateTimeOffset Now => Run.Now;
    public ClusterConfig Config => Run.Config;
    public bool HaveQuorum => Run.HaveQuorum;
    public IReadOnlyList<WorkNode> Nodes => Run.Nodes;
    public IReadOnlyList<WorkResource> Resources => Run.TopResources;
    public IReadOnlyList<WorkResource> Primitives => Run.Primitives;
    /// <summary>Top-level resources in the scheduler's list order (priority, then configuration order).</summary>
    public IEnumerable<WorkResource> ResourcesByPriority =>
        Run.TopResources.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i).Select(x => x.r);
    public IReadOnlyList<Action> Actions => Run.Actions;
    public IReadOnlyList<Action> FenceActions => Run.FenceActions;
    public IReadOnlyList<SummaryLine> Summary => Run.Summary;
    public IReadOnlyList<string> ScoreLines => Run.ScoreLines;
    public IReadOnlyList<string> ConfigErrors => [.. Run.ConfigErrors.Select(m => m.Message)];

    /// <summary>The configuration errors with the Pacemaker function crm_verify -V names for each.</summary>
    public IReadOnlyList<VerifyMessage> ConfigErrorMessages => Run.ConfigErrors;
    public IReadOnlyList<string> ConfigWarnings => Run.ConfigWarnings;
    public IReadOnlyList<(WorkResource Rsc, WorkNode Node)> ClearFailcounts => Run.ClearFailcounts;

    /// <summary>Placement: resource id -> assigned node name (null = stopped).</summary>
    public IReadOnlyDictionary<string, string?> Placement =>
        Run.Primitives.ToDictionary(p => p.Id, p => p.AssignedNode?.Uname, StringComparer.Ordinal);

    /// <summary>Actions that will actually be executed (required, runnable).</summary>
    public IEnumerable<Action> ExecutableActions => Run.Actions.Where(a => !a.Optional && a.Runnable && (a.Node is not null || a.Pseudo));

    internal IReadOnlyList<ActionOrder> Orders => Run.Orders;
}
