using Cluster.Crm.Controller;
using static Cluster.Crm.Controller.ControllerState;

namespace Cluster.Crm.Tests.Controller;

public class ControllerCoreTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(1);

    /// <summary>Delivers group messages in order among <paramref name="cores"/> until none is left; returns every other effect per node.</summary>
    private static Dictionary<string, List<ControllerEffect>> Pump(ControllerCore[] cores, Dictionary<string, IReadOnlyList<ControllerEffect>> initial, TimeSpan now)
    {
        var log = cores.ToDictionary(c => c.LocalNode, _ => new List<ControllerEffect>());
        var queue = new Queue<(string From, SendToControllers Send)>();
        void Take(string node, IReadOnlyList<ControllerEffect> effects)
        {
            foreach (var e in effects)
            {
                if (e is SendToControllers s)
                    queue.Enqueue((node, s));
                else
                    log[node].Add(e);
            }
        }
        foreach (var (node, effects) in initial)
            Take(node, effects);
        for (var i = 0; queue.Count > 0; i++)
        {
            Assert.True(i < 10_000, "message storm");
            var (from, send) = queue.Dequeue();
            foreach (var core in cores.Where(c => send.Target is null || c.LocalNode == send.Target))
                Take(core.LocalNode, core.OnMessage(from, send.Message, now));
        }
        return log;
    }

    private static (ControllerCore[] Cores, Dictionary<string, List<ControllerEffect>> Log) StartTogether(params string[] names)
    {
        var cores = names.Select(n => new ControllerCore(n)).ToArray();
        var membership = ControllerMembership.Of(names);
        var log = Pump(cores, cores.ToDictionary(c => c.LocalNode, c => c.Start(membership, T0)), T0);
        return (cores, log);
    }

    [Fact]
    public void A_controller_alone_in_the_group_becomes_dc_without_waiting_for_dc_deadtime()
    {
        var core = new ControllerCore("node1");
        var effects = core.Start(ControllerMembership.Of(["node1"]), T0);
        Assert.Equal(S_INTEGRATION, core.State);
        Assert.Contains(new ClaimDc("node1", "3.16.1"), effects);
        Assert.DoesNotContain(effects, e => e is ArmControllerTimer { Timer: ControllerTimer.DcDeadtime });
    }

    [Fact]
    public void A_starting_controller_with_peers_announces_itself_and_arms_dc_deadtime()
    {
        var core = new ControllerCore("node2");
        var effects = core.Start(ControllerMembership.Of(["node1", "node2"]), T0);
        Assert.Equal(S_PENDING, core.State);
        Assert.Contains(new SendToControllers(null, new Announce()), effects);
        Assert.Contains(new ArmControllerTimer(ControllerTimer.DcDeadtime, TimeSpan.FromSeconds(20)), effects);
    }

    [Fact]
    public void An_election_starts_as_soon_as_every_peer_has_answered_that_nobody_leads()
    {
        var core = new ControllerCore("node2");
        core.Start(ControllerMembership.Of(["node1", "node2", "node3"]), T0);
        Assert.DoesNotContain(core.OnMessage("node1", new AnnounceReply(null, false), T0), e => e is SendToControllers { Message: Vote });
        var effects = core.OnMessage("node3", new AnnounceReply(null, false), T0);
        Assert.Equal(S_ELECTION, core.State);
        Assert.Contains(effects, e => e is SendToControllers { Target: null, Message: Vote { Round: 1 } });
    }

    [Fact]
    public void A_peer_that_knows_a_dc_keeps_the_starting_controller_waiting_until_dc_deadtime()
    {
        var core = new ControllerCore("node2");
        core.Start(ControllerMembership.Of(["node1", "node2"]), T0);
        core.OnMessage("node1", new AnnounceReply("node1", false), T0);
        Assert.Equal(S_PENDING, core.State);
        core.OnTimer(ControllerTimer.DcDeadtime, T0 + TimeSpan.FromSeconds(20));
        Assert.Equal(S_ELECTION, core.State);
    }

    [Fact]
    public void Three_nodes_starting_together_elect_one_dc_and_all_join_it()
    {
        var (cores, log) = StartTogether("node1", "node2", "node3");
        // Same uptime: the name that sorts lower wins.
        Assert.Equal(S_POLICY_ENGINE, cores[0].State);
        Assert.Equal([S_NOT_DC, S_NOT_DC], cores.Skip(1).Select(c => c.State));
        Assert.All(cores, c => Assert.Equal("node1", c.Leader));
        foreach (var node in new[] { "node1", "node2", "node3" })
        {
            Assert.Contains(new UpdateNodeState(new NodeStateUpdate(node, InCcm: true, Crmd: CrmdState.Online,
                Join: JoinState.Member, Expected: ExpectedState.Member)), log["node1"]);
            Assert.Contains(new ReplaceNodeHistory(node), log["node1"]);
        }
        Assert.Contains(new RunScheduler(1), log["node1"]);
        Assert.Contains(log["node1"], e => e is SyncCib);
    }

    [Fact]
    public void The_dc_goes_idle_once_the_scheduler_yields_an_empty_graph_after_a_transition()
    {
        var (cores, _) = StartTogether("node1", "node2");
        var dc = cores[0];
        Assert.Contains(new ExecuteTransition(1, new Plan(false)), dc.OnSchedulerResult(1, new Plan(false)));
        Assert.Equal(S_TRANSITION_ENGINE, dc.State);
        Assert.Contains(new RunScheduler(2), dc.OnTransitionFinished(1, completed: true));
        dc.OnSchedulerResult(2, new Plan(true));
        Assert.Equal(S_IDLE, dc.State);
    }

    [Fact]
    public void A_failed_transition_without_a_rerun_leaves_the_dc_idle_until_the_next_event()
    {
        // Fencing given up (stonith-max-attempts): no scheduler run straight away, the next event runs it.
        var (cores, _) = StartTogether("node1", "node2");
        var dc = cores[0];
        dc.OnSchedulerResult(1, new Plan(false));
        Assert.DoesNotContain(dc.OnTransitionFinished(1, completed: false, rerun: false), e => e is RunScheduler);
        Assert.Equal(S_IDLE, dc.State);
        Assert.Contains(new RunScheduler(2), dc.RequestSchedule("node joined"));
    }

    [Fact]
    public void A_scheduler_result_for_an_older_run_is_ignored()
    {
        var (cores, _) = StartTogether("node1", "node2");
        Assert.Empty(cores[0].OnSchedulerResult(7, new Plan(true)));
        Assert.Equal(S_POLICY_ENGINE, cores[0].State);
    }

    [Fact]
    public void A_node_leaving_is_written_offline_and_down_but_still_expected()
    {
        var (cores, _) = StartTogether("node1", "node2", "node3");
        var effects = cores[0].OnMembership(ControllerMembership.Of(["node1", "node2"]), T0);
        Assert.Contains(new UpdateNodeState(new NodeStateUpdate("node3", InCcm: false)), effects);
        Assert.Contains(new UpdateNodeState(new NodeStateUpdate("node3", Crmd: CrmdState.Offline, Join: JoinState.Down)), effects);
        Assert.DoesNotContain(effects, e => e is UpdateNodeState { Update.Expected: not null });
    }

    [Fact]
    public void Followers_elect_a_new_dc_when_the_dc_leaves()
    {
        var (cores, _) = StartTogether("node1", "node2", "node3");
        var rest = cores.Skip(1).ToArray();
        var membership = ControllerMembership.Of(["node2", "node3"]);
        Pump(rest, rest.ToDictionary(c => c.LocalNode, c => c.OnMembership(membership, T0)), T0);
        Assert.True(rest[0].IsDc);
        Assert.Equal(S_NOT_DC, rest[1].State);
        Assert.Equal("node2", rest[1].Leader);
    }

    [Fact]
    public void A_dc_steps_down_into_an_election_when_members_join_since_one_may_be_another_dc()
    {
        var (cores, _) = StartTogether("node1");
        Assert.True(cores[0].IsDc);
        cores[0].OnMembership(ControllerMembership.Of(["node1", "node2"]), T0);
        Assert.Equal(S_ELECTION, cores[0].State);
    }

    [Fact]
    public void After_a_short_partition_the_dc_did_not_see_one_dc_remains_and_every_node_joins_it()
    {
        // node2 and node3 lose node1, elect node2 and go idle; node1 never sees them leave: CPG
        // tells it they left and joined again in one change ("Members joined: 2 3 left: 2 3").
        var (cores, _) = StartTogether("node1", "node2", "node3");
        cores[0].OnSchedulerResult(1, new Plan(true));
        Assert.Equal(S_IDLE, cores[0].State);
        var rest = cores.Skip(1).ToArray();
        var split = ControllerMembership.Of(["node2", "node3"]);
        var log = Pump(rest, rest.ToDictionary(c => c.LocalNode, c => c.OnMembership(split, T0)), T0);
        Assert.True(cores[1].IsDc);
        cores[1].OnSchedulerResult(log["node2"].OfType<RunScheduler>().Last().TransitionId, new Plan(true));
        Assert.Equal(S_IDLE, cores[1].State);

        var all = ControllerMembership.Of(["node1", "node2", "node3"]);
        var blip = all with { Rejoined = new SortedSet<string>(["node2", "node3"]) };
        Pump(cores, new()
        {
            ["node1"] = cores[0].OnMembership(blip, T0),
            ["node2"] = cores[1].OnMembership(all, T0),
            ["node3"] = cores[2].OnMembership(all, T0),
        }, T0);

        var dc = Assert.Single(cores, c => c.IsDc);
        Assert.All(cores.Where(c => c != dc), c => Assert.Equal((S_NOT_DC, dc.LocalNode), (c.State, c.Leader)));
    }

    [Fact]
    public void A_dc_that_gets_a_vote_from_a_joined_member_offers_it_a_join_again_once_it_concedes()
    {
        // node2 lost its DC without either side seeing a membership change, and called an election.
        var (cores, _) = StartTogether("node1", "node2");
        var dc = cores[0];
        dc.OnSchedulerResult(1, new Plan(true));
        var answer = dc.OnMessage("node2", new Vote(5, new ElectionCredentials("3.16.1", TimeSpan.Zero, "node2", false)), T0);
        var round = Assert.Single(answer.OfType<SendToControllers>().Select(s => s.Message).OfType<Vote>()).Round;
        var offer = dc.OnMessage("node2", new NoVote(round), T0);
        Assert.Contains(offer, e => e is SendToControllers { Target: "node2", Message: JoinOffer });
    }

    [Fact]
    public void A_node_with_a_newer_major_feature_set_is_refused_at_join_and_stops()
    {
        var dc = new ControllerCore("node1");
        var peer = new ControllerCore("node2", new ControllerOptions { FeatureSet = "4.0.0" });
        var membership = ControllerMembership.Of(["node1", "node2"]);
        var log = Pump([dc, peer], new() { ["node1"] = dc.Start(membership, T0), ["node2"] = peer.Start(membership, T0) }, T0);
        Assert.True(dc.IsDc); // the lower feature set wins the election
        Assert.Contains(new UpdateNodeState(new NodeStateUpdate("node2", Join: JoinState.Banned)), log["node1"]);
        Assert.Contains(log["node2"], e => e is ControllerExit);
        Assert.Equal(S_STOPPING, peer.State);
    }

    [Fact]
    public void An_action_for_another_node_is_sent_there_and_its_result_goes_back_to_the_DC()
    {
        var (cores, _) = StartTogether("node1", "node2");
        var key = new TransitionKey(5, 1, 0, "node1");
        var request = new ActionRequest(key, "WebIP", "start", TimeSpan.Zero);
        var sent = Assert.IsType<SendToControllers>(Assert.Single(cores[0].RequestAction("node2", request)));
        Assert.Equal("node2", sent.Target);
        Assert.Equal([new ExecuteLocalAction(request)], cores[1].OnMessage("node1", request, T0));
        var done = cores[1].OnLocalActionResult(request, 0, 0);
        Assert.Contains(new SendToControllers("node1", new ActionResult(key, 0, 0)), done);
    }

    [Fact]
    public void A_result_other_than_the_expected_rc_aborts_the_transition()
    {
        var (cores, _) = StartTogether("node1", "node2");
        var dc = cores[0];
        dc.OnSchedulerResult(1, new Plan(false));
        var key = new TransitionKey(3, 1, 0, "node1");
        var effects = dc.OnMessage("node2", new ActionResult(key, 0, 7), T0);
        Assert.Contains(new ActionConfirmed(key, 0, 7), effects);
        Assert.Contains(effects, e => e is AbortTransition { TransitionId: 1 });
        Assert.DoesNotContain(dc.OnMessage("node2", new ActionResult(key with { ActionId = 4 }, 0, 0), T0), e => e is AbortTransition);
    }

    [Fact]
    public void A_cib_change_during_a_transition_aborts_it_and_in_idle_runs_the_scheduler()
    {
        var (cores, _) = StartTogether("node1");
        var dc = cores[0];
        dc.OnSchedulerResult(1, new Plan(false));
        Assert.Contains(dc.RequestSchedule("cib changed"), e => e is AbortTransition);
        dc.OnTransitionFinished(1, completed: false);
        dc.OnSchedulerResult(2, new Plan(true));
        Assert.Equal(S_IDLE, dc.State);
        Assert.Equal([new StateChanged(S_IDLE, S_POLICY_ENGINE, ControllerInput.I_PE_CALC), new RunScheduler(3)],
            dc.RequestSchedule("cib changed"));
    }

    [Fact]
    public void A_quorum_change_alone_makes_an_idle_dc_run_the_scheduler()
    {
        var (cores, _) = StartTogether("node1", "node2");
        var dc = cores[0];
        dc.OnSchedulerResult(1, new Plan(true));
        Assert.Equal(S_IDLE, dc.State);
        var effects = dc.OnMembership(ControllerMembership.Of(["node1", "node2"], quorate: false), T0);
        Assert.Contains(new RunScheduler(2), effects);
        Assert.False(dc.Quorate);
    }

    private sealed record Plan(bool IsEmpty) : ITransitionPlan;
}
