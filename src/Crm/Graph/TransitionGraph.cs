namespace Cluster.Crm.Graph;

/// <summary>
/// Pacemaker's transition graph: what the controller executes. Immutable; built by the scheduler,
/// written and read as &lt;transition_graph&gt; XML (<see cref="TransitionGraphXml"/>).
/// Invariants (checked on construction): action ids are unique and every input names an action
/// of the graph.
/// </summary>
public sealed class TransitionGraph
{
    private readonly Dictionary<int, Synapse> _byActionId;

    public TransitionGraph(GraphSettings settings, IReadOnlyList<Synapse> synapses)
    {
        Settings = settings;
        Synapses = synapses;
        _byActionId = new Dictionary<int, Synapse>(synapses.Count);
        foreach (var s in synapses)
            if (!_byActionId.TryAdd(s.Action.Id, s))
                throw new ArgumentException($"action id {s.Action.Id} appears in more than one synapse");
        foreach (var s in synapses)
            foreach (var i in s.Inputs)
                if (!_byActionId.ContainsKey(i))
                    throw new ArgumentException($"synapse {s.Id} ({s.Action.OperationKey}) waits for action {i}, which is not in the graph");
    }

    public GraphSettings Settings { get; }
    public IReadOnlyList<Synapse> Synapses { get; }
    public IEnumerable<GraphAction> Actions => Synapses.Select(s => s.Action);

    public GraphAction Action(int id) => _byActionId[id].Action;
    public Synapse SynapseOf(int actionId) => _byActionId[actionId];
    public bool Contains(int actionId) => _byActionId.ContainsKey(actionId);

    public static TransitionGraph Empty(GraphSettings settings) => new(settings, []);
}

/// <summary>The &lt;transition_graph&gt; element's own attributes.</summary>
public sealed record GraphSettings(
    string ClusterDelay = "60s",
    string StonithTimeout = "60s",
    string FailedStopOffset = "INFINITY",
    string FailedStartOffset = "INFINITY",
    int BatchLimit = 0,
    int TransitionId = 0);
