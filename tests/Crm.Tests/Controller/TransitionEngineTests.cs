using Cluster.Crm.Controller;
using Cluster.Crm.Graph;

namespace Cluster.Crm.Tests.Controller;

public class TransitionEngineTests
{
    private const string Dc = "dc-uuid-1";

    // Fence node1, then start D1 on node2 and (independently) monitor D2 on node3.
    private static readonly TransitionGraph Graph = TransitionGraphXml.Parse("""
        <transition_graph cluster-delay="60s" stonith-timeout="60s" failed-stop-offset="INFINITY" failed-start-offset="INFINITY" transition_id="4">
          <synapse id="0">
            <action_set>
              <rsc_op id="3" operation="start" operation_key="D1_start_0" on_node="node2" on_node_uuid="2">
                <primitive id="D1" class="ocf" provider="pacemaker" type="Dummy"/>
                <attributes CRM_meta_on_node="node2" CRM_meta_on_node_uuid="2" CRM_meta_timeout="20000" fake="x"/>
              </rsc_op>
            </action_set>
            <inputs>
              <trigger><crm_event id="1" operation="stonith" operation_key="stonith-node1-reboot" on_node="node1" on_node_uuid="1"/></trigger>
            </inputs>
          </synapse>
          <synapse id="1">
            <action_set>
              <crm_event id="1" operation="stonith" operation_key="stonith-node1-reboot" on_node="node1" on_node_uuid="1">
                <attributes CRM_meta_on_node="node1" CRM_meta_on_node_uuid="1" CRM_meta_stonith_action="reboot"/>
              </crm_event>
            </action_set>
            <inputs/>
          </synapse>
          <synapse id="2">
            <action_set>
              <rsc_op id="5" operation="monitor" operation_key="D2_monitor_0" on_node="node3" on_node_uuid="3">
                <primitive id="D2" class="ocf" provider="pacemaker" type="Dummy"/>
                <attributes CRM_meta_on_node="node3" CRM_meta_on_node_uuid="3" CRM_meta_op_target_rc="7" CRM_meta_timeout="20000"/>
              </rsc_op>
            </action_set>
            <inputs/>
          </synapse>
        </transition_graph>
        """);

    private static TransitionKey KeyOf(IEnumerable<TransitionEffect> effects, string resource) =>
        effects.OfType<DispatchAction>().Single(d => d.Request.ResourceId == resource).Request.Key;

    [Fact]
    public void Actions_go_to_their_nodes_with_keys_and_agents_and_wait_for_their_inputs()
    {
        var engine = new TransitionEngine(Dc);
        var first = engine.Start(4, Graph);
        var fence = Assert.Single(first.OfType<RunClusterAction>());
        Assert.Equal(ActionTask.Stonith, fence.Action.Task);
        var probe = Assert.Single(first.OfType<DispatchAction>());
        Assert.Equal("node3", probe.Node);
        Assert.Equal(new TransitionKey(5, 4, 7, Dc), probe.Request.Key);
        Assert.Equal(new ActionAgent("ocf", "pacemaker", "Dummy"), probe.Request.Agent);
        Assert.Equal(2, first.OfType<ArmActionTimer>().Count());

        var afterFence = engine.OnResult(fence.Key, 0, 0);
        var start = Assert.Single(afterFence.OfType<DispatchAction>());
        Assert.Equal("node2", start.Node);
        Assert.Equal("x", start.Request.Attribute("fake"));
        Assert.Empty(engine.OnResult(start.Request.Key, 0, 0).OfType<TransitionDone>());
        var done = Assert.Single(engine.OnResult(probe.Request.Key, 0, 7).OfType<TransitionDone>());
        Assert.Equal(TransitionOutcome.Completed, done.Outcome);
        Assert.False(engine.Running);
    }

    [Fact]
    public void Results_of_other_transitions_or_DCs_and_duplicates_are_ignored()
    {
        var engine = new TransitionEngine(Dc);
        var first = engine.Start(4, Graph);
        var probe = KeyOf(first, "D2");
        Assert.Empty(engine.OnResult(probe with { TransitionId = 3 }, 0, 7));
        Assert.Empty(engine.OnResult(probe with { DcUuid = "another-dc" }, 0, 7));
        engine.OnResult(probe, 0, 7);
        Assert.Empty(engine.OnResult(probe, 0, 1)); // a late duplicate cannot fail a completed action
        Assert.Contains(engine.InFlight, a => a.Task == ActionTask.Stonith);
    }

    [Fact]
    public void An_unexpected_result_fails_the_transition_once_the_actions_in_flight_report()
    {
        var engine = new TransitionEngine(Dc);
        var first = engine.Start(4, Graph);
        var fence = first.OfType<RunClusterAction>().Single();
        Assert.Empty(engine.OnResult(KeyOf(first, "D2"), 0, 0).OfType<TransitionDone>()); // probe found it running
        var done = Assert.Single(engine.OnResult(fence.Key, 0, 0).OfType<TransitionDone>());
        Assert.Equal(TransitionOutcome.Failed, done.Outcome);
        Assert.Contains("rc=0", done.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_that_did_not_complete_fails_even_with_the_expected_rc()
    {
        var engine = new TransitionEngine(Dc);
        var first = engine.Start(4, Graph);
        engine.OnResult(first.OfType<RunClusterAction>().Single().Key, 0, 0);
        var done = engine.OnResult(KeyOf(first, "D2"), opStatus: 2, rc: 7).OfType<TransitionDone>().SingleOrDefault();
        Assert.Null(done); // the start on node2 is still in flight
        Assert.Equal(TransitionOutcome.Failed, engine.OnNodeLost("node2").OfType<TransitionDone>().Single().Outcome);
    }

    [Fact]
    public void A_lost_node_fails_its_actions_so_an_aborted_transition_ends()
    {
        var engine = new TransitionEngine(Dc);
        engine.Start(4, Graph);
        Assert.Empty(engine.Abort(4, "CIB changed").OfType<TransitionDone>()); // fence and probe in flight
        Assert.Empty(engine.OnNodeLost("node3").OfType<TransitionDone>());     // the probe fails; the fence remains
        var done = Assert.Single(engine.OnActionTimeout(4, 1).OfType<TransitionDone>());
        Assert.Equal(TransitionOutcome.Failed, done.Outcome);
    }

    [Fact]
    public void An_abort_with_nothing_failed_ends_as_cancelled_and_fires_nothing_new()
    {
        var engine = new TransitionEngine(Dc);
        var first = engine.Start(4, Graph);
        engine.Abort(4, "CIB changed");
        var afterFence = engine.OnResult(first.OfType<RunClusterAction>().Single().Key, 0, 0);
        Assert.Empty(afterFence.OfType<DispatchAction>()); // the start waits for the fence, but the abort stops it
        var done = Assert.Single(engine.OnResult(KeyOf(first, "D2"), 0, 7).OfType<TransitionDone>());
        Assert.Equal(TransitionOutcome.Cancelled, done.Outcome);
        Assert.Equal("CIB changed", done.Detail);
    }

    [Fact]
    public void An_empty_graph_completes_at_once_and_a_second_start_while_running_is_refused()
    {
        var engine = new TransitionEngine(Dc);
        Assert.Equal(TransitionOutcome.Completed, engine.Start(1, TransitionGraph.Empty(new GraphSettings())).OfType<TransitionDone>().Single().Outcome);
        engine.Start(2, Graph);
        Assert.Throws<InvalidOperationException>(() => engine.Start(3, Graph));
    }

    [Fact]
    public void A_halted_transition_is_dropped_with_actions_in_flight_their_late_results_are_ignored_and_a_new_one_starts()
    {
        // The node lost the DC role while transition 4 ran; its results went to the other DC.
        var engine = new TransitionEngine(Dc);
        var first = engine.Start(4, Graph);
        Assert.Equal(4, engine.Halt());
        Assert.False(engine.Running);
        Assert.Null(engine.Halt());
        Assert.Empty(engine.OnResult(KeyOf(first, "D2"), 0, 7));
        // Back as DC: the next graph runs instead of waiting for transition 4.
        var next = engine.Start(5, Graph);
        Assert.Single(next.OfType<RunClusterAction>());
        Assert.True(engine.Running);
    }
}
