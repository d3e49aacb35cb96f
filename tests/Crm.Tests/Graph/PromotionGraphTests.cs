using Cluster.Crm.Graph;

namespace Cluster.Crm.Tests.Graph;

/// <summary>
/// The promotion and demotion rules of the transition graph, on Pacemaker 2.1.5's own regression
/// cases (the expected inputs are those of the real graphs, &lt;name&gt;.exp).
/// </summary>
public class PromotionGraphTests
{
    private static Synapse Find(TransitionGraph g, string key, string? node = null) =>
        g.Synapses.Single(s => s.Action.OperationKey == key && s.Action.OnNode == node);

    private static List<string> InputKeys(TransitionGraph g, Synapse s) => [.. s.Inputs.Select(i => g.Action(i).OperationKey).Order(StringComparer.Ordinal)];

    [Fact]
    public void A_promotable_clone_starts_its_instances_only_once_it_has_demoted()
    {
        var g = CorpusGraph.Of("tier3", "bug-pm-12");
        Assert.Equal(["ms-sf_demoted_0", "ms-sf_stopped_0"], InputKeys(g, Find(g, "ms-sf_start_0")));
    }

    [Fact]
    public void A_cloned_group_instance_demotes_before_it_promotes_and_its_members_wait_only_for_the_group_instance()
    {
        var g = CorpusGraph.Of("tier3", "bug-pm-12");
        Assert.Equal(["group:1_demote_0", "ms-sf_promote_0"], InputKeys(g, Find(g, "group:1_promote_0")));
        // No direct edge from the member's own demotion to its promotion.
        Assert.Equal(["group:1_promote_0", "stateful-2:1_start_0"], InputKeys(g, Find(g, "stateful-2:1_promote_0", "node-a")));
    }

    [Fact]
    public void A_monitor_of_an_instance_moved_off_a_node_where_it_was_promoted_waits_for_the_demotion_there()
    {
        // ocf_msdummy:0 was promoted on c001n01 (fenced): its pseudo-demote there comes before its
        // Unpromoted monitor on c001n03.
        var g = CorpusGraph.Of("tier3", "promoted-8");
        Assert.Equal(["ocf_msdummy:0_demote_0", "ocf_msdummy:0_start_0"],
            InputKeys(g, Find(g, "ocf_msdummy:0_monitor_5000", "c001n03")));
    }
    [Fact]
    public void Anti_colocation_with_a_role_orders_leaving_that_role_before_gaining_the_other()
    {
        // dummy1 never with ms1 Promoted: dummy1 stops before ms1 promotes, starts after it demoted.
        var g = CorpusGraph.Of("tier3", "anti-colocation-promoted");
        Assert.Equal(["dummy1_stop_0", "ms1_demoted_0"], InputKeys(g, Find(g, "dummy1_start_0", "sle12sp2-1")));
        Assert.Equal(["dummy1_stop_0", "ms1_demoted_0"], InputKeys(g, Find(g, "ms1_promote_0")));
        // dummy1 never with ms1 Unpromoted: ms1 becomes Unpromoted by starting or demoting, stops
        // being it by stopping or promoting.
        var h = CorpusGraph.Of("tier3", "anti-colocation-unpromoted");
        Assert.Contains("dummy1_stop_0", InputKeys(h, Find(h, "ms1_demote_0")));
        Assert.Contains("ms1_promoted_0", InputKeys(h, Find(h, "dummy1_start_0", "sle12sp2-2")));
    }
    [Fact]
    public void A_promotable_clone_whose_only_promotion_is_blocked_has_no_promote_pseudo_actions()
    {
        // rsc2:4 would be promoted with rsc1, whose start is blocked: the clone's promote and
        // promoted are left out, its starts stay.
        var g = CorpusGraph.Of("tier3", "promoted-with-blocked");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey is "rsc2-clone_promote_0" or "rsc2-clone_promoted_0");
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "rsc2-clone_running_0");
    }
    [Fact]
    public void A_promoted_primitive_outside_a_clone_demotes_everywhere_it_is_active_before_any_of_its_stops()
    {
        // dummystateful, Promoted on 18node2 and active on 18node1 and 18node3, moves to 18node3 Started.
        var g = CorpusGraph.Of("tier3", "bug-rh-880249");
        foreach (var node in new[] { "18node1", "18node2", "18node3" })
            Assert.Equal(["dummystateful_demote_0", "dummystateful_demote_0", "dummystateful_demote_0"],
                InputKeys(g, Find(g, "dummystateful_stop_0", node)));
        Assert.Empty(Find(g, "dummystateful_demote_0", "18node2").Inputs);
    }
}
