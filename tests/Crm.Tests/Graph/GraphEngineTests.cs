using Cluster.Crm.Graph;

namespace Cluster.Crm.Tests.Graph;

public class GraphEngineTests
{
    private static GraphAction Op(int id, string key, ActionTask task = ActionTask.Start, GraphActionKind kind = GraphActionKind.RscOp,
        int? targetRc = null) =>
        new(id, kind, task, task.ToText(), key, kind == GraphActionKind.PseudoEvent ? null : "node1", kind == GraphActionKind.PseudoEvent ? null : "1",
            kind == GraphActionKind.RscOp ? new GraphResource(key.Split('_')[0], "ocf", "pacemaker", "Dummy") : null,
            targetRc is { } rc ? [new("CRM_meta_op_target_rc", rc.ToString())] : [], []);

    /// <summary>A then B then C, plus D independent of all.</summary>
    private static TransitionGraph Chain(int batchLimit = 0) => new(new GraphSettings(BatchLimit: batchLimit),
    [
        new Synapse(0, 0, Op(3, "C_start_0"), [2]),
        new Synapse(1, 0, Op(2, "B_start_0"), [1]),
        new Synapse(2, 0, Op(1, "A_start_0"), []),
        new Synapse(3, 0, Op(4, "D_start_0"), []),
    ]);

    private static List<int> Fired(IEnumerable<GraphEffect> effects) =>
        effects.OfType<ExecuteAction>().Select(e => e.Action.Id).ToList();

    [Fact]
    public void Fires_only_actions_whose_inputs_completed()
    {
        var engine = new GraphEngine(Chain());
        Assert.Equal([1, 4], Fired(engine.Pump().ToList()));
        Assert.Empty(Fired(engine.Pump().ToList()));
        engine.Complete(1, 0);
        Assert.Equal([2], Fired(engine.Pump().ToList()));
    }

    [Fact]
    public void Runs_a_chain_in_input_order_and_completes()
    {
        var effects = GraphEngine.RunToEnd(Chain(), _ => 0);
        Assert.Equal([1, 4, 2, 3], Fired(effects));
        Assert.IsType<TransitionCompleted>(effects[^1]);
    }

    [Fact]
    public void A_failed_action_aborts_and_its_dependents_never_fire()
    {
        var engine = new GraphEngine(Chain());
        Assert.Equal([1, 4], Fired(engine.Pump().ToList()));
        engine.Complete(1, 1);
        // D is still in flight: the abort waits for it, and nothing new fires meanwhile.
        Assert.Empty(engine.Pump().ToList());
        engine.Complete(4, 0);
        var last = engine.Pump().ToList();
        var aborted = Assert.IsType<TransitionAborted>(Assert.Single(last));
        Assert.Equal((1, 1), (aborted.FailedAction.Id, aborted.Rc));
        Assert.Equal([2, 3], engine.NotExecuted.Select(a => a.Id).Order());
        Assert.True(engine.Finished);
    }

    [Fact]
    public void Batch_limit_caps_the_actions_in_flight()
    {
        var engine = new GraphEngine(Chain(batchLimit: 1));
        Assert.Equal([1], Fired(engine.Pump().ToList()));
        engine.Complete(1, 0);
        Assert.Equal([2], Fired(engine.Pump().ToList()));
        Assert.Equal(1, engine.InFlight);
    }

    [Fact]
    public void Pseudo_actions_complete_at_once_and_do_not_count_against_the_batch_limit()
    {
        var graph = new TransitionGraph(new GraphSettings(BatchLimit: 1),
        [
            new Synapse(0, 0, Op(1, "grp_start_0", ActionTask.Start, GraphActionKind.PseudoEvent), []),
            new Synapse(1, 0, Op(2, "A_start_0"), [1]),
        ]);
        var effects = new GraphEngine(graph).Pump().ToList();
        Assert.IsType<PseudoActionCompleted>(effects[0]);
        Assert.Equal([2], Fired(effects));
    }

    [Fact]
    public void A_probe_succeeds_with_not_running()
    {
        var graph = new TransitionGraph(new GraphSettings(), [new Synapse(0, 0, Op(1, "A_monitor_0", ActionTask.Monitor, targetRc: 7), [])]);
        Assert.IsType<TransitionCompleted>(GraphEngine.RunToEnd(graph, _ => 7)[^1]);
        Assert.IsType<TransitionAborted>(GraphEngine.RunToEnd(graph, _ => 0)[^1]);
    }

    [Fact]
    public void An_ordering_loop_stalls_after_running_what_it_can()
    {
        var graph = new TransitionGraph(new GraphSettings(),
        [
            new Synapse(0, 0, Op(1, "A_start_0"), [2]),
            new Synapse(1, 0, Op(2, "B_start_0"), [1]),
            new Synapse(2, 0, Op(3, "C_start_0"), []),
        ]);
        var effects = GraphEngine.RunToEnd(graph, _ => 0);
        Assert.Equal([3], Fired(effects));
        Assert.Equal([1, 2], Assert.IsType<TransitionStalled>(effects[^1]).Waiting.Select(a => a.Id));
    }

    [Fact]
    public void A_result_for_an_action_not_in_flight_is_refused()
    {
        var engine = new GraphEngine(Chain());
        Assert.Throws<InvalidOperationException>(() => engine.Complete(2, 0));
        Assert.Equal([1, 4], Fired(engine.Pump().ToList()));
    }

    [Fact]
    public void The_graph_xml_round_trips()
    {
        var graph = Chain(batchLimit: 5);
        var again = TransitionGraphXml.Parse(TransitionGraphXml.Write(graph));
        Assert.Equal(TransitionGraphXml.Write(graph), TransitionGraphXml.Write(again));
        Assert.Empty(GraphMeaning.Differences(graph, again));
    }

    [Fact]
    public void A_graph_with_an_unknown_input_is_refused_with_its_line()
    {
        var text = TransitionGraphXml.Write(Chain()).Replace("<trigger>\n        <rsc_op id=\"2\"", "<trigger>\n        <rsc_op id=\"9\"");
        var e = Assert.Throws<GraphFormatException>(() => TransitionGraphXml.Parse(text, "g.xml"));
        Assert.Contains("action 9", e.Message);
        var bad = Assert.Throws<GraphFormatException>(() => TransitionGraphXml.Parse("<transition_graph>\n<synapse id=\"x\"/>", "g.xml"));
        Assert.StartsWith("g.xml:", bad.Message);
    }
}
