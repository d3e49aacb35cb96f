using Cluster.Crm.Cib;
using Cluster.Crm.Graph;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// The outcome of one scheduler run: node and resource states, placement, the transition graph,
/// the summary facts and allocation scores. A snapshot: it holds copies of the run's lists, not
/// the run, so nothing a caller holds can change the scheduler's working state or be changed by it.
/// </summary>
public sealed class ScheduleResult
{
    private readonly IReadOnlyDictionary<WorkResource, IReadOnlyList<(WorkNode Node, bool NotInstalled)>> _cloneDisplay;

    internal ScheduleResult(SchedulerRun run, TransitionGraph graph)
    {
        Now = run.Now;
        Config = run.Config;
        HaveQuorum = run.HaveQuorum;
        Nodes = [.. run.Nodes];
        Resources = [.. run.TopResources];
        Primitives = [.. run.Primitives];
        Actions = [.. run.Actions];
        FenceActions = [.. run.FenceActions];
        Summary = [.. run.Summary];
        ScoreLines = [.. run.ScoreLines];
        ConfigErrorMessages = [.. run.ConfigErrors];
        ConfigWarnings = [.. run.ConfigWarnings];
        ClearFailcounts = [.. run.ClearFailcounts];
        Graph = graph;
        UnsatisfiableInputs = [.. run.UnsatisfiableInputs];
        _cloneDisplay = run.TopResources.Where(r => r.IsClone).ToDictionary(
            c => c, c => (IReadOnlyList<(WorkNode, bool)>)[.. run.CloneAllowedForDisplay(c).Select(n => (n, run.NotInstalledOn(c, n)))]);
        Placement = run.Primitives.ToDictionary(p => p.Id, p => p.AssignedNode?.Uname, StringComparer.Ordinal);
        _blockedFailures = [.. run.BlockedFailures];
    }

    public DateTimeOffset Now { get; }
    public ClusterConfig Config { get; }
    public bool HaveQuorum { get; }
    public IReadOnlyList<WorkNode> Nodes { get; }
    public IReadOnlyList<WorkResource> Resources { get; }
    public IReadOnlyList<WorkResource> Primitives { get; }
    /// <summary>Top-level resources in the scheduler's list order (priority, then configuration order).</summary>
    public IEnumerable<WorkResource> ResourcesByPriority =>
        Resources.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i).Select(x => x.r);
    /// <summary>Every action the scheduler considered, optional and unrunnable ones included.</summary>
    public IReadOnlyList<ScheduledAction> Actions { get; }
    public IReadOnlyList<ScheduledAction> FenceActions { get; }
    public IReadOnlyList<SummaryLine> Summary { get; }
    public IReadOnlyList<string> ScoreLines { get; }
    public IReadOnlyList<string> ConfigErrors => [.. ConfigErrorMessages.Select(m => m.Message)];

    /// <summary>The configuration errors with the Pacemaker function crm_verify -V names for each.</summary>
    public IReadOnlyList<VerifyMessage> ConfigErrorMessages { get; }
    public IReadOnlyList<string> ConfigWarnings { get; }
    public IReadOnlyList<(WorkResource Rsc, WorkNode Node)> ClearFailcounts { get; }
    /// <summary>What the controller executes.</summary>
    public TransitionGraph Graph { get; }

    /// <summary>Graph actions that wait on a required action the graph does not hold (see
    /// SchedulerRun.FindUnsatisfiableInputs): they can never fire.</summary>
    public IReadOnlyList<(ScheduledAction Waiting, ScheduledAction Missing)> UnsatisfiableInputs { get; }

    /// <summary>Placement: resource id -> assigned node name (null = stopped).</summary>
    public IReadOnlyDictionary<string, string?> Placement { get; }

    private readonly HashSet<(WorkResource, WorkNode)> _blockedFailures;

    /// <summary>Whether the resource failed on the node an operation configured on-fail=block: such a failure never expires.</summary>
    public bool FailureBlocked(WorkResource rsc, WorkNode node) => _blockedFailures.Contains((rsc, node));

    /// <summary>Actions that will actually be executed (required, runnable): the graph's actions.</summary>
    public IEnumerable<ScheduledAction> ExecutableActions => Actions.Where(a => Graph.Contains(a.Id));

    /// <summary>The nodes a clone's "Stopped" list is drawn from, and whether its agent is missing there.</summary>
    public IReadOnlyList<(WorkNode Node, bool NotInstalled)> CloneStoppedCandidates(WorkResource clone) =>
        _cloneDisplay.TryGetValue(clone, out var l) ? l : [];
}
