using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>
/// The orderings Pacemaker 2.1.5 derives from probes, on its own regression cases (expected
/// inputs as in the real graphs, &lt;name&gt;.exp).
/// </summary>
public class ProbeOrderGraphTests
{
    private static TransitionGraph GraphOf(string tier, string name) => CorpusGraph.Of(tier, name);

    private static List<string> InputsOf(TransitionGraph g, string key, string? node = null) =>
        [.. g.Synapses.Single(s => s.Action.OperationKey == key && s.Action.OnNode == node)
            .Inputs.Select(i => g.Action(i) is var a && a.OnNode is { } n ? $"{a.OperationKey}@{n}" : a.OperationKey)
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void A_group_members_stop_waits_for_the_probes_of_the_members_whose_start_would_restart_it()
    {
        // group foo (rsc3 rsc4 rsc5): rsc4 recovers, rsc5 restarts; rsc3..5 are probed on node2.
        var g = GraphOf("tier2", "group9");
        // rsc3's start implies rsc4's and rsc5's; rsc5's stop comes before rsc4's.
        Assert.Equal(["foo_stop_0", "rsc3_monitor_0@node2", "rsc5_monitor_0@node2", "rsc5_stop_0@node1"], InputsOf(g, "rsc4_stop_0", "node1"));
        Assert.Equal(["foo_stop_0", "rsc3_monitor_0@node2", "rsc4_monitor_0@node2"], InputsOf(g, "rsc5_stop_0", "node1"));
        // Each member's stop comes before the group's stopped, so each member's probes do too.
        Assert.Contains("rsc3_monitor_0@node2", InputsOf(g, "foo_stopped_0"));
    }

    [Fact]
    public void Anti_colocated_resources_start_after_the_others_probe_on_the_same_node_only()
    {
        var g = GraphOf("tier1", "rsc_dep1");
        Assert.Equal(["rsc1_monitor_0@node1", "rsc2_monitor_0@node1", "rsc2_monitor_0@node2"], InputsOf(g, "rsc2_start_0", "node1"));
        Assert.Equal(["rsc1_monitor_0@node1", "rsc1_monitor_0@node2", "rsc2_monitor_0@node2"], InputsOf(g, "rsc1_start_0", "node2"));
    }

    [Fact]
    public void A_probe_does_not_hold_back_another_nodes_shutdown()
    {
        var g = GraphOf("tier3", "594");
        Assert.DoesNotContain(InputsOf(g, "do_shutdown-hadev2", "hadev2"), i => i.EndsWith("@hadev1", StringComparison.Ordinal));
    }

    [Fact]
    public void An_anti_colocated_group_starts_after_the_other_group_has_stopped()
    {
        // group2 with group1 at -INFINITY: group2 stops, group1 moves.
        var g = GraphOf("tier2", "anti-colocation-order");
        Assert.Contains("group2_stopped_0", InputsOf(g, "group1_start_0"));
    }

    [Fact]
    public void A_group_stops_across_an_inactive_member_and_its_stopped_waits_for_every_members_probe()
    {
        // group1 (rsc1..rsc4): rsc2 and rsc4 restart, rsc3 is not active.
        var g = GraphOf("tier2", "group-fail");
        Assert.Contains("rsc4_stop_0@node1", InputsOf(g, "rsc2_stop_0", "node1"));
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "group1_stopped_0");
        // prmDummy2 is not active, but its probe is an input of the group's stopped.
        var h = GraphOf("tier2", "order-first-probes");
        Assert.Contains("prmDummy2_monitor_0@rh72-01", InputsOf(h, "grpDummy_stopped_0"));
    }

    [Fact]
    public void An_unmanaged_members_start_does_not_bring_in_the_groups_start()
    {
        // group1 (target-role=Stopped): rsc1's stop is blocked by rsc2, failed and unmanaged.
        var g = GraphOf("tier2", "unmanaged-stop-3");
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "group1_stop_0");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey == "group1_start_0");
    }
    [Fact]
    public void A_probe_before_a_stop_that_orders_a_clone_waits_only_in_front_of_the_clones_own_pseudo_action()
    {
        // ms-drbd1 promote then testip start: its inverse, testip stop then ms-drbd1 demote, puts
        // testip's probe before the clone's demote, not before the instance's.
        var g = GraphOf("tier3", "clone-no-shuffle");
        Assert.Contains("testip_monitor_0@dktest1sles10", InputsOf(g, "ms-drbd1_demote_0"));
        Assert.DoesNotContain("testip_monitor_0@dktest1sles10", InputsOf(g, "drbd1:0_demote_0", "dktest2sles10"));
    }

    [Fact]
    public void A_clone_instances_probe_comes_before_the_stops_of_what_the_clones_start_would_restart()
    {
        // export_home_ocfs2_clone_set start then group_nfs start: the clone's probes come before
        // the stops of group_nfs's members (which restart elsewhere).
        var g = GraphOf("tier3", "bug-n-387749");
        Assert.Equal(["export_home_ocfs2:0_monitor_0@power720-1", "export_home_ocfs2:1_monitor_0@power720-1",
                "export_home_ocfs2:2_monitor_0@power720-1", "group_nfs_stop_0", "resource_ipaddr1_single_monitor_0@power720-1"],
            InputsOf(g, "resource_nfsserver_single_stop_0", "power720-2"));
    }

    [Fact]
    public void An_interleaved_clone_instances_probe_comes_before_the_stop_of_the_instance_it_would_restart_on_its_node()
    {
        // cl-rsc1 then cl-rsc2 (interleaved): rsc1:1's probe on node1 precedes rsc2's stop there.
        var g = GraphOf("tier3", "reload-becomes-restart");
        Assert.Equal(["cl-rsc2_stop_0", "rsc1:1_monitor_0@node1"], InputsOf(g, "rsc2_stop_0", "node1"));
    }
    [Fact]
    public void Every_member_of_a_minus_infinity_colocation_set_leaves_a_node_before_another_arrives()
    {
        // Set only-one (dummy1 dummy2 dummy4 dummy3) at -INFINITY: dummy2 moves to c21 after dummy3
        // stops there and after dummy4's probe there, though neither is dummy2's neighbour in the set.
        var g = GraphOf("tier2", "bug-lf-2435");
        Assert.Equal(["dummy2_stop_0@c20.chepkov.lan", "dummy3_stop_0@c21.chepkov.lan", "dummy4_monitor_0@c21.chepkov.lan"],
            InputsOf(g, "dummy2_start_0", "c21.chepkov.lan"));
    }
}
