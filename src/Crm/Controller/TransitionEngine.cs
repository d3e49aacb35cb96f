using System.Globalization;
using Cluster.Crm.Graph;

namespace Cluster.Crm.Controller;

/// <summary>
/// The DC's transition engine, sans-IO: runs one transition graph at a time on the shared
/// <see cref="GraphEngine"/>, turns its actions into requests for the nodes' controllers (resource
/// operations) or for the shell (cluster actions), and takes their results by transition key.
/// <para>
/// Invariants: at most one transition runs; a result counts only for an action of the running
/// transition that is in flight (late, duplicate or foreign results are ignored); every action in
/// flight has a timer, and a node that is lost fails its actions at once, so a transition always
/// ends.
/// </para>
/// </summary>
public sealed class TransitionEngine(string dcUuid)
{
    /// <summary>Added to an action's own timeout before it counts as lost (cluster-delay's default).</summary>
    public static readonly TimeSpan DefaultClusterDelay = TimeSpan.FromSeconds(60);

    /// <summary>The rc a lost or timed-out action is completed with (OCF_UNKNOWN_ERROR).</summary>
    public const int LostActionRc = 1;

    private GraphEngine? _engine;
    private TransitionGraph? _graph;
    private int _transitionId = -1;

    public bool Running => _engine is not null;

    public int TransitionId => _transitionId;

    public string DcUuid => dcUuid;

    /// <summary>The actions in flight now (for the log and for tests).</summary>
    public IEnumerable<GraphAction> InFlight => _engine?.Running ?? [];

    public IReadOnlyList<TransitionEffect> Start(int transitionId, TransitionGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (_engine is not null)
            throw new InvalidOperationException($"transition {_transitionId} is still running");
        _engine = new GraphEngine(graph);
        _graph = graph;
        _transitionId = transitionId;
        var effects = new List<TransitionEffect>();
        Pump(effects);
        return effects;
    }

    /// <summary>An action's result, from a node's controller or from the shell (cluster actions).</summary>
    public IReadOnlyList<TransitionEffect> OnResult(TransitionKey key, int opStatus, int rc)
    {
        var effects = new List<TransitionEffect>();
        if (_engine is null || key.TransitionId != _transitionId || key.DcUuid != dcUuid || !_engine.IsInFlight(key.ActionId))
            return effects;
        var action = _graph!.Action(key.ActionId);
        var expected = GraphEngine.ExpectedRc(action);
        // An operation that did not complete (timeout, error, not installed) failed whatever rc it carries.
        var effective = opStatus == 0 ? rc : rc == expected ? LostActionRc : rc;
        _engine.Complete(key.ActionId, effective);
        Pump(effects);
        return effects;
    }

    /// <summary>Stops firing new actions; the transition ends when the ones in flight report.</summary>
    public IReadOnlyList<TransitionEffect> Abort(int transitionId, string reason)
    {
        var effects = new List<TransitionEffect>();
        if (_engine is null || transitionId != _transitionId)
            return effects;
        _engine.Abort(reason);
        Pump(effects);
        return effects;
    }

    /// <summary>
    /// Drops the transition without waiting for its actions in flight: this node lost the DC role
    /// while it ran, so their results went to another DC and will never come here. (Pacemaker's
    /// controller halts its transition engine when it stops being DC, for the same reason.)
    /// Returns the dropped transition's id, or null when none ran.
    /// </summary>
    public int? Halt()
    {
        if (_engine is null)
            return null;
        _engine = null;
        _graph = null;
        return _transitionId;
    }

    /// <summary>A node left: its actions in flight will never report; they fail now.</summary>
    public IReadOnlyList<TransitionEffect> OnNodeLost(string node)
    {
        var effects = new List<TransitionEffect>();
        if (_engine is null)
            return effects;
        foreach (var action in _engine.Running.Where(a => a.OnNode == node && a.Kind == GraphActionKind.RscOp).ToList())
            _engine.Complete(action.Id, LostActionRc);
        Pump(effects);
        return effects;
    }

    /// <summary>An action's timer expired before its result came.</summary>
    public IReadOnlyList<TransitionEffect> OnActionTimeout(int transitionId, int actionId)
    {
        var effects = new List<TransitionEffect>();
        if (_engine is null || transitionId != _transitionId || !_engine.IsInFlight(actionId))
            return effects;
        _engine.Complete(actionId, LostActionRc);
        Pump(effects);
        return effects;
    }

    /// <summary>The request a node's controller gets for a resource action of the graph.</summary>
    public static ActionRequest RequestFor(GraphAction action, int transitionId, string dcUuid)
    {
        ArgumentNullException.ThrowIfNull(action);
        var key = new TransitionKey(action.Id, transitionId, GraphEngine.ExpectedRc(action), dcUuid);
        var resource = action.Resource;
        return new ActionRequest(key, resource?.Id ?? "", action.Operation, TimeSpan.FromMilliseconds(action.IntervalMs))
        {
            Agent = resource is null ? null : new ActionAgent(resource.Class, resource.Provider, resource.Type),
            Attributes = action.Attributes,
        };
    }

    private void Pump(List<TransitionEffect> effects)
    {
        // A pass fires what is ready; pseudo-actions complete inside it, so one pass per wave.
        for (int pass = 0; _engine is not null && pass <= _graph!.Synapses.Count + 1; pass++)
        {
            bool progressed = false;
            foreach (var e in _engine.Pump())
            {
                switch (e)
                {
                    case ExecuteAction x:
                        progressed = true;
                        Fire(x.Action, effects);
                        break;
                    case PseudoActionCompleted:
                        progressed = true;
                        break;
                    case TransitionCompleted:
                        Finish(TransitionOutcome.Completed, "complete", effects);
                        return;
                    case TransitionAborted a:
                        Finish(TransitionOutcome.Failed, string.Create(CultureInfo.InvariantCulture, $"action {a.FailedAction.Id} ({a.FailedAction}) returned rc={a.Rc}"), effects);
                        return;
                    case TransitionCancelled c:
                        Finish(TransitionOutcome.Cancelled, c.Reason, effects);
                        return;
                    case TransitionStalled s:
                        Finish(TransitionOutcome.Stalled, $"{s.Waiting.Count} actions wait on each other", effects);
                        return;
                }
            }
            if (!progressed) return;
        }
    }

    private void Fire(GraphAction action, List<TransitionEffect> effects)
    {
        var key = new TransitionKey(action.Id, _transitionId, GraphEngine.ExpectedRc(action), dcUuid);
        var timeout = action.Attribute("CRM_meta_timeout") is { } t && long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0
            ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromSeconds(20);
        effects.Add(new ArmActionTimer(_transitionId, action.Id, timeout + DefaultClusterDelay));
        if (action.Kind == GraphActionKind.RscOp && action.OnNode is { } node)
            effects.Add(new DispatchAction(node, RequestFor(action, _transitionId, dcUuid)));
        else
            effects.Add(new RunClusterAction(action, key));
    }

    private void Finish(TransitionOutcome outcome, string detail, List<TransitionEffect> effects)
    {
        effects.Add(new TransitionDone(_transitionId, outcome, detail));
        _engine = null;
        _graph = null;
    }
}
