namespace Cluster.Crm.Graph;

/// <summary>
/// Executes a transition graph without doing any I/O: it says which actions to run
/// (<see cref="ExecuteAction"/>) and is told their results (<see cref="Complete"/>).
/// <para>
/// Like Pacemaker's transition engine, a pass (<see cref="Pump"/>) walks the synapses in graph
/// order and fires each one whose inputs have all completed, at most batch-limit actions in flight
/// (0 = no limit; pseudo-actions do not count and complete at once). A result other than the
/// one the action expects (CRM_meta_op_target_rc, else 0) aborts the transition: nothing new is
/// fired, the actions in flight are awaited, then <see cref="TransitionAborted"/> is reported.
/// </para>
/// <para>
/// Effects are produced lazily: a result reported while enumerating a pass is seen by the rest of
/// that pass, which is how crm_simulate's immediate pretend results behave.
/// </para>
/// </summary>
public sealed class GraphEngine
{
    private enum State { Waiting, InFlight, Done, Failed }

    private readonly TransitionGraph _graph;
    private readonly Dictionary<int, State> _state = [];
    private readonly int _batchLimit;
    private int _inFlight;
    private (GraphAction Action, int Rc)? _failure;
    private bool _finished;
    private string? _abortReason;

    public GraphEngine(TransitionGraph graph, int? batchLimit = null)
    {
        _graph = graph;
        _batchLimit = Math.Max(0, batchLimit ?? graph.Settings.BatchLimit);
        foreach (var s in graph.Synapses) _state[s.Action.Id] = State.Waiting;
    }

    public bool Finished => _finished;
    public bool Aborted => _failure is not null;
    public int InFlight => _inFlight;
    public IEnumerable<GraphAction> Completed => _graph.Actions.Where(a => _state[a.Id] == State.Done);
    public IEnumerable<GraphAction> NotExecuted => _graph.Actions.Where(a => _state[a.Id] == State.Waiting);

    /// <summary>One pass over the graph: the actions to run now, then (once nothing is left to
    /// wait for) whether the transition completed or aborted.</summary>
    public IEnumerable<GraphEffect> Pump()
    {
        if (_finished) yield break;
        int fired = 0;
        if (_failure is null && _abortReason is null)
        {
            foreach (var s in _graph.Synapses)
            {
                if (_failure is not null || _abortReason is not null) break;
                if (_state[s.Action.Id] != State.Waiting || !Ready(s)) continue;
                if (s.Action.Kind == GraphActionKind.PseudoEvent)
                {
                    _state[s.Action.Id] = State.Done;
                    fired++;
                    yield return new PseudoActionCompleted(s.Action);
                    continue;
                }
                if (_batchLimit > 0 && _inFlight >= _batchLimit) continue;
                _state[s.Action.Id] = State.InFlight;
                _inFlight++;
                fired++;
                yield return new ExecuteAction(s.Action);
            }
        }
        if (_inFlight > 0) yield break;
        if (_abortReason is { } reason && _failure is null)
        {
            _finished = true;
            yield return new TransitionCancelled(reason);
        }
        else if (_failure is { } f)
        {
            _finished = true;
            yield return new TransitionAborted(f.Action, f.Rc);
        }
        else if (_state.Values.All(v => v == State.Done))
        {
            _finished = true;
            yield return new TransitionCompleted();
        }
        else if (fired == 0)
        {
            // Nothing in flight, nothing ready: the rest waits on itself (an ordering loop).
            _finished = true;
            yield return new TransitionStalled([.. NotExecuted]);
        }
    }

    /// <summary>Records an action's result. Reporting an action that is not in flight is refused
    /// (the state stays as it was).</summary>
    public void Complete(int actionId, int rc)
    {
        if (!_state.TryGetValue(actionId, out var st) || st != State.InFlight)
            throw new InvalidOperationException($"action {actionId} is not in flight");
        _inFlight--;
        var action = _graph.Action(actionId);
        if (rc == ExpectedRc(action)) { _state[actionId] = State.Done; return; }
        _state[actionId] = State.Failed;
        _failure ??= (action, rc);
    }

    /// <summary>
    /// Stops the transition from the outside (a CIB change, a lost node, an election): nothing new
    /// is fired; once the actions in flight have reported, <see cref="Pump"/> yields
    /// <see cref="TransitionCancelled"/> (or <see cref="TransitionAborted"/> if one of them failed).
    /// </summary>
    public void Abort(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _abortReason ??= reason;
    }

    /// <summary>The actions in flight now.</summary>
    public IEnumerable<GraphAction> Running => _graph.Actions.Where(a => _state[a.Id] == State.InFlight);

    /// <summary>Whether an action is in flight (results for others are stale or duplicates).</summary>
    public bool IsInFlight(int actionId) => _state.TryGetValue(actionId, out var st) && st == State.InFlight;

    /// <summary>The result an action must return to count as a success.</summary>
    public static int ExpectedRc(GraphAction a) =>
        a.Attribute("CRM_meta_op_target_rc") is { } v && int.TryParse(v, out var rc) ? rc : 0;

    private bool Ready(Synapse s)
    {
        foreach (var i in s.Inputs)
            if (_state[i] != State.Done) return false;
        return true;
    }

    /// <summary>Runs the graph to its end with results from <paramref name="execute"/>, given at
    /// once (crm_simulate's pretend execution). Returns every effect in order.</summary>
    public static List<GraphEffect> RunToEnd(TransitionGraph graph, Func<GraphAction, int> execute, System.Action<GraphAction>? pseudo = null)
    {
        var engine = new GraphEngine(graph);
        var effects = new List<GraphEffect>();
        // Every pass either fires something or finishes: a graph with N actions needs at most N + 1 passes.
        for (int pass = 0; pass <= graph.Synapses.Count + 1 && !engine.Finished; pass++)
            foreach (var e in engine.Pump())
            {
                effects.Add(e);
                if (e is ExecuteAction x) engine.Complete(x.Action.Id, execute(x.Action));
                else if (e is PseudoActionCompleted p) pseudo?.Invoke(p.Action);
            }
        return effects;
    }
}
