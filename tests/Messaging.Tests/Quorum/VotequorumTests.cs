using FsCheck;
using FsCheck.Fluent;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Tests.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Tests.Quorum;

public class VotequorumTests
{
    internal static FakeCluster Cluster(int nodes, Func<QuorumOptionsInput, QuorumOptionsInput>? tweak = null)
    {
        var votes = Enumerable.Range(1, nodes).ToDictionary(i => new NodeId((uint)i), _ => 1u);
        var input = tweak?.Invoke(new QuorumOptionsInput()) ?? new QuorumOptionsInput();
        return new FakeCluster(id =>
        {
            var (options, _) = QuorumOptions.Resolve(id, votes, input.ExpectedVotes, null, input.TwoNode, input.WaitForAll,
                input.LastManStanding, TimeSpan.FromSeconds(10), input.AutoTieBreaker, input.TieBreakerNode, input.AllowDownscale);
            return [new Votequorum(options)];
        });
    }

    internal sealed record QuorumOptionsInput(
        bool TwoNode = false, bool? WaitForAll = null, bool LastManStanding = false, bool AutoTieBreaker = false,
        string? TieBreakerNode = null, bool AllowDownscale = false, uint? ExpectedVotes = null);

    private static Votequorum Vq(FakeCluster c, uint id) => c[id].Service<Votequorum>();

    [Fact]
    public void Three_nodes_are_quorate_with_quorum_two_and_expected_votes_from_the_nodelist()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        foreach (var id in new uint[] { 1, 2, 3 })
        {
            var s = Vq(c, id).Status();
            Assert.True(s.Quorate);
            Assert.Equal(3u, s.ExpectedVotes);
            Assert.Equal(3u, s.TotalVotes);
            Assert.Equal(2u, s.Quorum);
            Assert.Equal(3, s.Members.Length);
        }
    }

    [Fact]
    public void One_crash_of_three_stays_quorate_a_second_crash_loses_quorum_and_quorum_never_decreases()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        c.Crash(3);
        c.Form([1, 2]);
        Assert.True(Vq(c, 1).Quorate);
        Assert.True(Vq(c, 2).Quorate);
        c.Crash(2);
        c.Form([1]);
        var s = Vq(c, 1).Status();
        Assert.False(s.Quorate);
        Assert.Equal(2u, s.Quorum);
        Assert.Equal(3u, s.ExpectedVotes);
        Assert.Equal(1u, s.TotalVotes);
        Assert.Contains("[QUORUM] This node is within the non-primary component and will NOT provide any services.", c[1].Logs);
    }

    [Fact]
    public void Two_node_waits_for_all_at_first_start_then_survives_a_crash_with_quorum_one()
    {
        var c = Cluster(2, o => o with { TwoNode = true });
        c.Boot(1, 2);
        c.Form([1]);
        var alone = Vq(c, 1).Status();
        Assert.False(alone.Quorate);
        Assert.Equal("2Node WaitForAll ", QuorumToolFormatter.Flags(alone));
        Assert.Contains("[VOTEQ ] Waiting for all cluster members. Current votes: 1 expected_votes: 2", c[1].Logs);

        c.Form([1, 2]);
        Assert.True(Vq(c, 1).Quorate);
        Assert.Equal("2Node Quorate WaitForAll ", QuorumToolFormatter.Flags(Vq(c, 1).Status()));
        Assert.Equal(1u, Vq(c, 1).QuorumVotes);

        c.Crash(2);
        c.Form([1]);
        Assert.True(Vq(c, 1).Quorate);
    }

    [Fact]
    public void Without_two_node_a_two_node_cluster_loses_quorum_on_a_crash()
    {
        var c = Cluster(2);
        c.Boot(1, 2);
        c.Form([1, 2]);
        Assert.True(Vq(c, 2).Quorate);
        c.Crash(1);
        c.Form([2]);
        var s = Vq(c, 2).Status();
        Assert.False(s.Quorate);
        Assert.Equal("", QuorumToolFormatter.Flags(s));
    }

    [Fact]
    public void Partition_two_one_leaves_the_two_quorate_and_the_one_not_then_heals()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        c.Form([1, 2], [3]);
        Assert.True(Vq(c, 1).Quorate);
        Assert.True(Vq(c, 2).Quorate);
        Assert.False(Vq(c, 3).Quorate);
        c.Form([1, 2, 3]);
        Assert.All(new uint[] { 1, 2, 3 }, id => Assert.True(Vq(c, id).Quorate));
    }

    [Fact]
    public void A_restarted_node_joining_a_quorate_cluster_does_not_wait_for_all()
    {
        var c = Cluster(3, o => o with { WaitForAll = true });
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        c.Crash(3);
        c.Form([1, 2]);
        c.Boot(3);
        c.Form([1, 2, 3]);
        Assert.True(Vq(c, 3).Quorate);
        Assert.False(Vq(c, 3).WaitForAllStatus);
    }

    [Fact]
    public void Wait_for_all_blocks_a_partial_start_even_with_a_majority()
    {
        var c = Cluster(3, o => o with { WaitForAll = true });
        c.Boot(1, 2, 3);
        c.Form([1, 2]);
        Assert.False(Vq(c, 1).Quorate);
        c.Form([1, 2, 3]);
        Assert.True(Vq(c, 1).Quorate);
        c.Crash(3);
        c.Form([1, 2]);
        Assert.True(Vq(c, 1).Quorate);
    }

    [Fact]
    public void Auto_tie_breaker_lowest_keeps_the_half_with_node_one()
    {
        var c = Cluster(4, o => o with { AutoTieBreaker = true });
        c.Boot(1, 2, 3, 4);
        c.Form([1, 2, 3, 4]);
        c.Form([1, 2], [3, 4]);
        Assert.True(Vq(c, 1).Quorate);
        Assert.False(Vq(c, 3).Quorate);
    }

    [Fact]
    public void Auto_tie_breaker_highest_keeps_the_half_with_the_highest_node()
    {
        var c = Cluster(4, o => o with { AutoTieBreaker = true, TieBreakerNode = "highest" });
        c.Boot(1, 2, 3, 4);
        c.Form([1, 2, 3, 4]);
        c.Form([1, 2], [3, 4]);
        Assert.False(Vq(c, 1).Quorate);
        Assert.True(Vq(c, 4).Quorate);
    }

    [Fact]
    public void Auto_tie_breaker_list_prefers_the_first_listed_node()
    {
        var c = Cluster(4, o => o with { AutoTieBreaker = true, TieBreakerNode = "3 1" });
        c.Boot(1, 2, 3, 4);
        c.Form([1, 2, 3, 4]);
        c.Form([1, 2], [3, 4]);
        Assert.False(Vq(c, 1).Quorate);
        Assert.True(Vq(c, 3).Quorate);
    }

    [Fact]
    public void Last_man_standing_lowers_expected_votes_when_the_window_expires()
    {
        var c = Cluster(5, o => o with { LastManStanding = true });
        c.Boot(1, 2, 3, 4, 5);
        c.Form([1, 2, 3, 4, 5]);
        c.Crash(5);
        c.Crash(4);
        c.Form([1, 2, 3]);
        Assert.True(Vq(c, 1).Quorate);
        Assert.Contains(c[1].Effects, e => e is ServiceTimer { After: not null });
        foreach (var id in new uint[] { 1, 2, 3 })
            c.Local(id, o => Vq(c, id).OnTimer(o));
        Assert.Equal(3u, Vq(c, 1).Status().ExpectedVotes);
        Assert.Equal(2u, Vq(c, 1).QuorumVotes);
        c.Crash(3);
        c.Form([1, 2]);
        Assert.True(Vq(c, 1).Quorate); // without LMS, 2 of 5 would be inquorate
    }

    [Fact]
    public void Without_last_man_standing_the_same_losses_lose_quorum()
    {
        var c = Cluster(5);
        c.Boot(1, 2, 3, 4, 5);
        c.Form([1, 2, 3, 4, 5]);
        c.Crash(5); c.Crash(4); c.Crash(3);
        c.Form([1, 2]);
        Assert.False(Vq(c, 1).Quorate);
    }

    [Fact]
    public void Allow_downscale_lowers_expected_votes_when_a_node_announces_it_is_leaving()
    {
        var c = Cluster(3, o => o with { AllowDownscale = true });
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        c.Local(3, o => o.Send(ServiceId.Votequorum, VotequorumMessage.NodeInfoFunction, Vq(c, 3).LeavingNodeInfo().Encode()));
        c.Crash(3);
        c.Form([1, 2]);
        Assert.Equal(2u, Vq(c, 1).Status().ExpectedVotes);
        c.Crash(2);
        c.Form([1]);
        Assert.False(Vq(c, 1).Quorate); // downscale lowered expected to 2 -> quorum 2; one vote left
        Assert.Equal(2u, Vq(c, 1).QuorumVotes);
    }

    [Fact]
    public void Expected_votes_changed_at_run_time_restores_quorum_on_every_member()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        c.Crash(3); c.Crash(2);
        c.Form([1]);
        Assert.False(Vq(c, 1).Quorate);
        var msg = Vq(c, 1).RequestExpectedVotes(1);
        Assert.NotNull(msg);
        c.Local(1, o => o.Send(ServiceId.Votequorum, msg.Function, msg.Encode()));
        Assert.True(Vq(c, 1).Quorate);
        Assert.Equal(1u, Vq(c, 1).Status().ExpectedVotes);
    }

    [Fact]
    public void Expected_votes_that_quorum_could_never_reach_are_refused()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        Assert.Null(Vq(c, 1).RequestExpectedVotes(10));
        Assert.NotNull(Vq(c, 1).RequestExpectedVotes(4));
    }

    /// <summary>Issue 17 item 8: (2^32-1 + 2) / 2 wrapped to quorum 0 and the sanity check passed.</summary>
    [Theory]
    [InlineData(uint.MaxValue)]
    [InlineData(uint.MaxValue - 1)]
    public void Expected_votes_near_2_pow_32_are_refused_not_wrapped(uint expected)
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        Assert.Null(Vq(c, 1).RequestExpectedVotes(expected));
        Assert.Equal(3u, Vq(c, 1).Status().ExpectedVotes);
    }

    [Fact]
    public void Node_votes_that_would_wrap_the_total_are_refused()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        Assert.Null(Vq(c, 1).RequestNodeVotes(new NodeId(2), uint.MaxValue));
        Assert.NotNull(Vq(c, 1).RequestNodeVotes(new NodeId(2), 5));
    }

    [Fact]
    public void Quorum_callbacks_reach_tracking_clients_with_ring_and_members()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        var client = new ClientId(7);
        c.Local(1, o => Vq(c, 1).Track(client, o));
        c.Form([1, 2, 3]);
        var last = Assert.IsType<QuorumChangedEvent>(c[1].EventsFor(client).Last());
        Assert.True(last.Quorate);
        Assert.Equal([new NodeId(1), new NodeId(2), new NodeId(3)], last.Members.ToArray());
        Assert.Equal(Vq(c, 1).RingId, last.RingId);
    }

    [Fact]
    public void Log_lines_follow_corosync_order_after_a_ring_forms()
    {
        var c = Cluster(2);
        c.Boot(1, 2);
        c.Form([1, 2]);
        var logs = c[1].Logs.ToList();
        Assert.Equal(
            [
                "[QUORUM] Sync members[2]: 1 2",
                "[QUORUM] Sync joined[2]: 1 2",
                "[QUORUM] This node is within the primary component and will provide service.",
                "[QUORUM] Members[2]: 1 2",
                "[MAIN  ] Completed service synchronization, ready to provide service.",
            ],
            logs.Where(l => !l.StartsWith("[VOTEQ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Two_node_with_auto_tie_breaker_disables_two_node_with_a_warning()
    {
        var (options, warnings) = QuorumOptions.Resolve(new NodeId(1), new Dictionary<NodeId, uint> { [new(1)] = 1, [new(2)] = 1 },
            twoNode: true, autoTieBreaker: true);
        Assert.False(options.TwoNode);
        Assert.Contains("two_node has been disabled, please check your corosync.conf", warnings);
    }

    [Fact]
    public void Without_a_nodelist_expected_votes_is_required()
    {
        var e = Assert.Throws<QuorumConfigurationException>(() => QuorumOptions.Resolve(new NodeId(1), null));
        Assert.Equal("configuration error: nodelist or quorum.expected_votes must be configured!", e.Message);
    }

    [Fact]
    public void At_most_one_partition_is_quorate_for_any_split()
    {
        FsCheck.Fluent.Prop.ForAll(FsCheck.Fluent.Arb.From(FsCheck.Fluent.Gen.ArrayOf(FsCheck.Fluent.Gen.Choose(0, 3), 5)), assignment =>
        {
            var c = Cluster(5);
            c.Boot(1, 2, 3, 4, 5);
            c.Form([1, 2, 3, 4, 5]);
            var groups = Enumerable.Range(1, 5).GroupBy(i => assignment[i - 1]).Select(g => g.Select(x => (uint)x).ToArray()).ToArray();
            c.Form(groups);
            int quorateGroups = groups.Count(g => Vq(c, g[0]).Quorate);
            return quorateGroups <= 1 && groups.All(g => g.All(n => Vq(c, n).Quorate == Vq(c, g[0]).Quorate));
        }).QuickCheckThrowOnFailure();
    }
}
