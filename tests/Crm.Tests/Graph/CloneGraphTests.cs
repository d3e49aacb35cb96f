using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>
/// The clone rules of the transition graph, one by one, on Pacemaker 2.1.5's own regression
/// cases (the expected values are those of the real graphs, &lt;name&gt;.exp).
/// </summary>
public class CloneGraphTests
{
    private static TransitionGraph GraphOf(string tier, string name) => CorpusGraph.Of(tier, name);

    private static Synapse Find(TransitionGraph g, string key, string? node = null) =>
        g.Synapses.Single(s => s.Action.OperationKey == key && s.Action.OnNode == node);

    private static List<string> InputKeys(TransitionGraph g, Synapse s) => [.. s.Inputs.Select(i => g.Action(i).OperationKey).Order(StringComparer.Ordinal)];

    [Fact]
    public void An_anonymous_instance_is_keyed_by_its_history_name_and_named_by_its_configured_id()
    {
        var g = GraphOf("tier3", "cloned_start_one");
        var start = Find(g, "FAKECLONE_start_0", "c7auto1").Action;
        Assert.Equal("FAKECLONE:0_start_0", start.InternalOperationKey);
        Assert.Equal(new GraphResource("FAKECLONE", "ocf", "heartbeat", "Dummy", "FAKECLONE:0"), start.Resource);
        Assert.Equal("0", start.Attribute("CRM_meta_clone"));
        Assert.Equal("4", start.Attribute("CRM_meta_clone_max"));
        Assert.Equal("false", start.Attribute("CRM_meta_globally_unique"));
    }

    [Fact]
    public void A_numbered_history_name_is_forgotten_when_that_entry_leaves_the_instance_stopped()
    {
        // bob.demo's history has stateful:0 (probed, not running) and stateful:1 (stopped): both
        // map to the first free instance, stateful:0, which keeps no "stateful:1" name, so the
        // starts are keyed by the instances' own ids.
        var g = GraphOf("tier3", "bug-lf-2361");
        var alice = Find(g, "stateful:0_start_0", "alice.demo").Action;
        Assert.Null(alice.InternalOperationKey);
        Assert.Equal(new GraphResource("stateful", "ocf", "heartbeat", "Stateful", "stateful:0"), alice.Resource);
        Assert.Equal("0", alice.Attribute("CRM_meta_clone"));
        Assert.Equal("1", Find(g, "stateful:1_start_0", "bob.demo").Action.Attribute("CRM_meta_clone"));
    }

    [Fact]
    public void The_first_clone_of_a_clone_min_ordering_keeps_start_and_running_while_one_instance_stops_and_another_stays()
    {
        // Two of three instances stop, one stays: start (after stopped) and running are printed.
        var g = GraphOf("tier3", "cloned_stop_two");
        Assert.Equal(["FAKECLONE-clone_stopped_0"], InputKeys(g, Find(g, "FAKECLONE-clone_start_0")));
        Assert.Equal(["FAKECLONE-clone_start_0"], InputKeys(g, Find(g, "FAKECLONE-clone_running_0")));
        // Every instance stops: nothing of the start side.
        var all = GraphOf("tier3", "clone_min_stop_all");
        Assert.DoesNotContain(all.Synapses, s => s.Action.OperationKey is "FAKECLONE-clone_start_0" or "FAKECLONE-clone_running_0");
    }

    [Fact]
    public void A_stopping_clone_does_not_make_the_stopped_of_a_clone_ordered_before_its_stop_required()
    {
        // B-clone then A-clone stop (the inverse of "A-clone then B-clone"): A:0 stops, no B
        // instance does, so B-clone_stopped stays out of the graph.
        var g = GraphOf("tier3", "clone-require-all-4");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey == "B-clone_stopped_0");
        Assert.Empty(Find(g, "A-clone_stop_0").Inputs);
    }

    [Fact]
    public void A_clone_min_pseudo_action_waits_for_the_first_clones_instances_and_only_the_then_clone_waits_for_it()
    {
        var g = GraphOf("tier3", "clone-require-all-5");
        const string oneOrMore = "clone-one-or-more:order-A-clone-B-clone-mandatory";
        Assert.Equal(["A_start_0"], InputKeys(g, Find(g, oneOrMore)));
        Assert.Equal([oneOrMore], InputKeys(g, Find(g, "B-clone_start_0")));
        Assert.Equal(["B-clone_start_0"], InputKeys(g, Find(g, "B:1_start_0", "rhel7-auto3")));
    }

    [Fact]
    public void Only_a_clones_completion_pseudo_actions_run_first()
    {
        var g = GraphOf("tier3", "cloned_start_one");
        Assert.Equal(1_000_000, Find(g, "FAKECLONE-clone_running_0").Priority);
        Assert.Equal(0, Find(g, "FAKECLONE-clone_start_0").Priority);
        Assert.Contains("FAKECLONE_start_0", InputKeys(g, Find(g, "FAKECLONE-clone_running_0")));
    }

    [Fact]
    public void A_notifying_clone_tells_its_instances_before_and_after_a_start()
    {
        var g = GraphOf("tier3", "notify-1");
        Assert.Equal(["rsc1_confirmed-pre_notify_start_0", "rsc1_running_0"], InputKeys(g, Find(g, "rsc1_post_notify_running_0")));
        Assert.Contains("rsc1_confirmed-pre_notify_start_0", InputKeys(g, Find(g, "rsc1_start_0")));
        // The starting instance is told only afterwards; the running one before and after.
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "child_rsc1:0_pre_notify_start_0");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey == "child_rsc1:1_pre_notify_start_0");
        var post = Find(g, "child_rsc1:1_post_notify_start_0", "node1");
        Assert.Equal(1_000_000, post.Priority);
        Assert.Equal(["rsc1_post_notify_running_0"], InputKeys(g, post));
        Assert.Equal("child_rsc1:1", post.Action.Attribute("CRM_meta_notify_start_resource"));
        Assert.Equal("child_rsc1:0", post.Action.Attribute("CRM_meta_notify_active_resource"));
        Assert.Equal("running", post.Action.Attribute("CRM_meta_notify_key_operation"));
        Assert.Equal("start", post.Action.Attribute("CRM_meta_notify_operation"));
        Assert.Equal(" ", post.Action.Attribute("CRM_meta_notify_stop_resource"));
        Assert.Equal("node1 node2", post.Action.Attribute("CRM_meta_notify_all_uname"));
        // The instance's own start carries the same lists.
        Assert.Equal("child_rsc1:1", Find(g, "child_rsc1:1_start_0", "node1").Action.Attribute("CRM_meta_notify_start_resource"));
    }

    [Fact]
    public void What_waits_for_a_notifying_clone_waits_for_its_confirmed_post_notification()
    {
        var g = GraphOf("tier3", "promoted-pseudo");
        Assert.Equal(["ms_drbd_float_confirmed-post_notify_promoted_0"], InputKeys(g, Find(g, "nfsexport_start_0")));
    }

    [Fact]
    public void A_cloned_group_instance_has_its_own_pseudo_actions_between_the_clones_and_the_members()
    {
        var g = GraphOf("tier3", "cloned-group");
        Assert.Equal(["apache2_clone_start_0", "grrr:0_stopped_0"], InputKeys(g, Find(g, "grrr:0_start_0")));
        Assert.Contains("grrr:0_start_0", InputKeys(g, Find(g, "apache2:1_start_0", "webcluster01")));
        Assert.Equal(["apache2_clone_start_0", "grrr:0_running_0"], InputKeys(g, Find(g, "apache2_clone_running_0")));
        Assert.Null(Find(g, "grrr:0_start_0").Action.Attribute("CRM_meta_clone"));
    }

    [Fact]
    public void A_recurring_monitor_recorded_as_an_error_with_the_expected_rc_is_still_running()
    {
        // ocf_msdummy:0's 6 s promoted monitor on c001n08 is recorded "4:8" (op-status error,
        // rc 8 as expected): it is active, so it is not scheduled again.
        var g = GraphOf("tier3", "promoted-6");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey == "ocf_msdummy:0_monitor_6000");
    }

    [Fact]
    public void A_monitor_for_the_started_role_is_not_scheduled_for_a_promotable_instance()
    {
        // drbd_www's only monitor is role="Started": the instance starts Unpromoted, unmonitored.
        var g = GraphOf("tier3", "promoted-ordering");
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "drbd_www:0_start_0");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey == "drbd_www:0_monitor_5000");
    }

    [Fact]
    public void A_demoted_instance_cancels_its_promoted_monitor_before_the_demote_and_monitors_again_after_it()
    {
        // drbd0 moves its promoted role from frigg to odin.
        var g = GraphOf("tier3", "promoted-13");
        var cancel = Find(g, "drbd0:0_monitor_10000", "frigg");
        Assert.Equal(ActionTask.Cancel, cancel.Action.Task);
        Assert.Contains("drbd0:0_monitor_10000", InputKeys(g, Find(g, "drbd0:0_demote_0", "frigg")));
        Assert.Contains("drbd0:0_demote_0", InputKeys(g, Find(g, "drbd0:0_monitor_12000", "frigg")));
    }

    [Fact]
    public void With_no_start_in_the_history_a_monitor_older_than_the_last_promote_is_scheduled_again()
    {
        // node1's history: monitor_5000 (call 82), then a promote (call 135), no start.
        var g = GraphOf("tier3", "promoted_monitor_restart");
        Assert.Empty(Find(g, "MS_RSC_NATIVE:0_monitor_5000", "node1").Inputs);
    }

    [Fact]
    public void A_cloned_groups_members_promote_in_group_order_and_its_demoted_follows_the_members_alone()
    {
        var g = GraphOf("tier3", "promoted-failed-demote");
        Assert.Equal(["group:1_promote_0", "stateful-1:1_promote_0", "stateful-2:1_monitor_20000"],
            InputKeys(g, Find(g, "stateful-2:1_promote_0", "dl380g5a")));
        var d = GraphOf("tier3", "bug-1822");
        Assert.DoesNotContain("ms-sf_group:1_demote_0", InputKeys(d, Find(d, "ms-sf_group:1_demoted_0")));
    }

    [Fact]
    public void A_parameter_set_to_default_is_left_out_of_the_graph()
    {
        // fs_1 has the instance attribute target_role="#default".
        var g = GraphOf("tier3", "novell-239082");
        var start = Find(g, "fs_1_start_0", "xen-2").Action;
        Assert.Equal("/dev/drbd0", start.Attribute("device"));
        Assert.Null(start.Attribute("target_role"));
    }

    [Fact]
    public void A_monitor_of_the_promoted_role_expects_rc_8()
    {
        var g = GraphOf("tier3", "promoted-reattach");
        Assert.Equal("8", Find(g, "drbd1:0_monitor_10000", "dktest1").Action.Attribute("CRM_meta_op_target_rc"));
    }
    [Fact]
    public void The_inverse_of_a_clone_min_ordering_into_an_interleaved_clone_orders_the_stops_instance_by_instance()
    {
        // FAKE1-clone (clone-min=2) then FAKE2-clone (interleave): each FAKE1 instance stops
        // after the FAKE2 instance on its node, besides the clones' own pseudo-actions.
        var g = GraphOf("tier3", "clone_min_interleave_stop_two");
        var stop = Find(g, "FAKE1_stop_0", "c7auto2");
        Assert.Equal(["FAKE1-clone_stop_0", "FAKE2_stop_0@c7auto2"],
            stop.Inputs.Select(i => g.Action(i) is var a && a.OnNode is { } n ? $"{a.OperationKey}@{n}" : a.OperationKey).Order(StringComparer.Ordinal));
        Assert.Equal(["FAKE2-clone_stopped_0"], InputKeys(g, Find(g, "FAKE1-clone_stop_0")));
    }
    [Fact]
    public void A_cloned_group_whose_clone_sets_ordered_false_has_no_member_chain()
    {
        // ms-sf (ordered=false) clones ms-sf_group: the group inherits it, so its members stop
        // (and start, promote) side by side.
        var g = GraphOf("tier3", "bug-1822");
        Assert.Equal(["ms-sf_group:1_stop_0", "promotable_Stateful:1_demote_0"], InputKeys(g, Find(g, "promotable_Stateful:1_stop_0", "process1a")));
        Assert.Equal(["ms-sf_group:1_stop_0", "promotable_procdctl:1_demote_0"], InputKeys(g, Find(g, "promotable_procdctl:1_stop_0", "process1a")));
    }
    [Fact]
    public void An_interleaved_ordering_between_cloned_groups_runs_between_their_group_instances()
    {
        // clone_nfs-common then clone_webservice (interleaved), both cloned groups: on wc02 the
        // webservice group instance has stopped before the nfs-common one stops, member to member
        // there is no edge.
        var g = GraphOf("tier3", "probe-2");
        Assert.Equal(["clone_nfs-common_stop_0", "group_webservice:1_stopped_0"], InputKeys(g, Find(g, "group_nfs-common:1_stop_0")));
        Assert.Equal(["group_nfs-common:1_stop_0"], InputKeys(g, Find(g, "nfs-common:1_stop_0", "wc02")));
    }
    [Fact]
    public void An_ordered_clone_chains_its_neighbouring_instances_starts_and_reverses_their_stops()
    {
        // rsc1 (ordered): child_rsc1:2 and :3 move from node1 to node2, :4 stops.
        var g = GraphOf("tier3", "inc4");
        string At(int id) => g.Action(id) is var a && a.OnNode is { } n ? $"{a.OperationKey}@{n}" : a.OperationKey;
        List<string> Inputs(string key, string node) => [.. Find(g, key, node).Inputs.Select(At).Order(StringComparer.Ordinal)];
        Assert.Equal(["child_rsc1:2_start_0@node2", "child_rsc1:3_stop_0@node1", "rsc1_start_0"], Inputs("child_rsc1:3_start_0", "node2"));
        // :3 stops before :2, and so does its probe (a stop the cluster may yet need).
        Assert.Equal(["child_rsc1:3_monitor_0@node2", "child_rsc1:3_stop_0@node1", "rsc1_stop_0"], Inputs("child_rsc1:2_stop_0", "node1"));
    }
    [Fact]
    public void Without_quorum_a_collectives_start_pseudo_action_is_left_out_when_no_member_can_start()
    {
        // no-quorum-policy=stop: every start is blocked "due to no quorum".
        var g = GraphOf("tier3", "unrunnable-1");
        Assert.DoesNotContain(g.Synapses, s => s.Action.OperationKey == "group-1_start_0");
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "DoFencing_stop_0");
        var h = GraphOf("tier3", "stop-failure-with-fencing");
        Assert.DoesNotContain(h.Synapses, s => s.Action.OperationKey == "dlm-clone_start_0");
        // no-quorum-policy=freeze: an active group whose members are blocked for other reasons keeps it.
        var k = GraphOf("tier3", "bug-cl-5212");
        Assert.Contains(k.Synapses, s => s.Action.OperationKey == "grpStonith1_start_0");
    }
    [Fact]
    public void A_clone_min_pseudo_action_is_in_the_graph_exactly_when_an_instance_of_the_first_clone_starts()
    {
        // FAKECLONE starts two instances; FAKECLONE2 only stops: the pseudo-action is there all the same.
        var g = GraphOf("tier3", "cloned_start_two");
        Assert.Contains(g.Synapses, s => s.Action.OperationKey == "clone-one-or-more:order-FAKECLONE-clone-FAKECLONE2-clone-mandatory");
        // A-clone already runs (nothing starts): no pseudo-action, and B-clone's start waits for nothing.
        var h = GraphOf("tier3", "clone-require-all-1");
        Assert.DoesNotContain(h.Synapses, s => s.Action.OperationKey == "clone-one-or-more:order-A-clone-B-clone-mandatory");
        Assert.Empty(Find(h, "B-clone_start_0").Inputs);
    }
}
