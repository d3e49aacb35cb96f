using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;

namespace Cluster.Messaging.Tests.Totem;

public sealed class TotemNodeTests
{
    private static readonly TotemOptions Three = new() { LocalNode = new NodeId(1), Nodes = [new(1), new(2), new(3)] };

    private static TestCluster FormedRing(int n)
    {
        var c = new TestCluster(n);
        c.StartAll();
        c.Run(TimeSpan.FromSeconds(2));
        for (uint i = 1; i <= n; i++)
        {
            Assert.Equal(MembershipState.Operational, c.Node(i).State);
            Assert.Equal(n, c.Node(i).Members.Count);
        }
        return c;
    }

    private static byte[] Payload(int size, int tag)
    {
        var b = new byte[size];
        for (int i = 0; i < size; i++) b[i] = (byte)(tag * 31 + i * 7);
        return b;
    }

    [Fact]
    public void Derived_timers_follow_corosync_formulas()
    {
        var two = Three with { Nodes = [new(1), new(2)] };
        Assert.Equal(3000, two.EffectiveToken);
        Assert.Equal(714, two.TokenRetransmit);
        Assert.Equal(561, two.Hold);
        Assert.Equal(3600, two.Consensus);
        Assert.Equal(3650, Three.EffectiveToken);
        Assert.Equal(869, Three.TokenRetransmit);
        Assert.Equal(685, Three.Hold);
        Assert.Equal(4380, Three.Consensus);
    }

    [Fact]
    public void Lone_node_loads_seq_increments_it_and_forms_ring_seq_plus_four()
    {
        var c = new TestCluster(1);
        c.Start(1, persisted: 0);
        c.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(1UL, c.Persisted[0].Seq);   // loaded 0, incremented to 1 at start
        var regular = Assert.Single(c.Regulars(1));
        Assert.Equal(new RingId(new NodeId(1), 5), regular.RingId);   // corosync: first ring is x.5
        Assert.Equal(5UL, c.PersistedOf(1));
    }

    [Fact]
    public void Three_nodes_form_one_ring_with_lowest_node_as_representative()
    {
        var c = FormedRing(3);
        var rings = Enumerable.Range(1, 3).Select(i => c.Regulars((uint)i)[^1]).ToList();
        Assert.All(rings, r => Assert.Equal(rings[0].RingId, r.RingId));
        Assert.Equal(new NodeId(1), rings[0].RingId.Representative);
        Assert.Equal([new NodeId(1), new NodeId(2), new NodeId(3)], rings[0].Members.ToArray());
    }

    [Fact]
    public void Messages_from_all_nodes_including_fragmented_ones_are_delivered_in_one_order_everywhere()
    {
        var c = FormedRing(3);
        var sizes = new[] { 0, 10, 1500, 70_000, 1024 * 1024, 3, 0, 4000 };
        for (int i = 0; i < sizes.Length; i++) c.Submit((uint)(i % 3) + 1, Payload(sizes[i], i));
        c.Run(TimeSpan.FromSeconds(10));
        var perNode = Enumerable.Range(1, 3)
            .Select(n => c.Deliveries.Where(d => d.Node.Value == n).Select(d => (d.Delivery.Sender, Convert.ToHexString(d.Delivery.Payload.Span))).ToList())
            .ToList();
        Assert.Equal(sizes.Length, perNode[0].Count);
        Assert.Equal(perNode[0], perNode[1]);
        Assert.Equal(perNode[0], perNode[2]);
        for (int i = 0; i < sizes.Length; i++)
            Assert.Contains((new NodeId((uint)(i % 3) + 1), Convert.ToHexString(Payload(sizes[i], i))), perNode[0]);
    }

    [Fact]
    public void A_single_lost_token_is_retransmitted_without_membership_change()
    {
        var c = FormedRing(3);
        var configsBefore = c.Configurations.Count;
        var dropAt = c.Now;
        bool dropped = false;
        c.Drop = (from, to, m) =>
        {
            if (dropped || m is not OrfToken) return false;
            dropped = true;
            return true;
        };
        c.Run(TimeSpan.FromMilliseconds(1500));
        Assert.True(dropped);
        c.Submit(2, Payload(100, 1));
        c.Run(TimeSpan.FromSeconds(12));
        Assert.Equal(configsBefore, c.Configurations.Count);
        Assert.Contains(c.TimersFired, t => t.At > dropAt && t.Timer == TotemTimer.TokenRetransmit);
        Assert.DoesNotContain(c.TimersFired, t => t.At > dropAt && t.Timer == TotemTimer.TokenLoss);
        Assert.Equal(3, c.Deliveries.Count(d => d.Delivery.Payload.Length == 100));
    }

    [Fact]
    public void Single_lost_commit_token_or_mcast_causes_no_extra_membership_change()
    {
        foreach (var type in new[] { TotemMessageType.CommitToken, TotemMessageType.Mcast })
        {
            var c = FormedRing(3);
            c.Submit(1, Payload(50, 1));
            bool dropped = false;
            c.Drop = (from, to, m) =>
            {
                if (dropped || m.Type != type) return false;
                dropped = true;
                return true;
            };
            var before = c.Configurations.Count;
            if (type == TotemMessageType.CommitToken)
            {
                // A new member joins: exactly one more ring, despite the lost commit token.
                c = new TestCluster(3);
                c.Drop = (from, to, m) =>
                {
                    if (dropped || m.Type != type) return false;
                    dropped = true;
                    return true;
                };
                c.Start(1); c.Start(2);
                c.Run(TimeSpan.FromSeconds(2));
                before = c.Regulars(1).Count;
                dropped = false;
                c.Start(3);
                c.Run(TimeSpan.FromSeconds(12));
                Assert.True(dropped);
                Assert.Equal(before + 1, c.Regulars(1).Count);
                Assert.Equal(3, c.Regulars(1)[^1].Members.Length);
                continue;
            }
            c.Run(TimeSpan.FromSeconds(12));
            Assert.True(dropped);
            Assert.Equal(before, c.Configurations.Count);
            Assert.Equal(3, c.Deliveries.Count(d => d.Delivery.Payload.Length == 50));
        }
    }

    [Fact]
    public void Crash_of_one_of_three_forms_two_node_ring_within_token_plus_consensus()
    {
        var c = FormedRing(3);
        c.Run(TimeSpan.FromSeconds(1));
        var crashAt = c.Now;
        c.Crash(3);
        c.Run(TimeSpan.FromSeconds(20));
        var o = c.Node(1).Options;
        var bound = TimeSpan.FromMilliseconds((o.EffectiveToken + o.Consensus) * 1.1);
        foreach (uint n in new uint[] { 1, 2 })
        {
            var installed = c.Configurations.Last(x => x.Node.Value == n && x.Change.Kind == ConfigurationKind.Regular);
            Assert.Equal([new NodeId(1), new NodeId(2)], installed.Change.Members.ToArray());
            Assert.True(installed.At - crashAt <= bound, $"node {n} re-formed after {installed.At - crashAt}, bound {bound}");
            var trans = c.Configurations.Last(x => x.Node.Value == n && x.Change.Kind == ConfigurationKind.Transitional);
            Assert.Equal([new NodeId(3)], trans.Change.Left.ToArray());
        }
    }

    [Fact]
    public void A_crashed_member_the_transport_reports_unreachable_is_failed_without_waiting_for_consensus()
    {
        var c = FormedRing(3);
        c.Run(TimeSpan.FromSeconds(1));
        var crashAt = c.Now;
        c.Crash(3);
        // knet notices the missing pongs before the token times out.
        c.Run(TimeSpan.FromMilliseconds(1500));
        c.Reachability(1, 3, reachable: false);
        c.Reachability(2, 3, reachable: false);
        c.Run(TimeSpan.FromSeconds(20));
        AssertOneAndTwoReformedWithoutTheConsensusWait(c, crashAt);
    }

    /// <summary>Nodes 1 and 2 installed the ring {1, 2} within the token timeout and a quarter of consensus after the crash.</summary>
    private static void AssertOneAndTwoReformedWithoutTheConsensusWait(TestCluster c, TimeSpan crashAt)
    {
        var o = c.Node(1).Options;
        var bound = TimeSpan.FromMilliseconds(o.EffectiveToken + o.Consensus / 4);
        foreach (uint n in new uint[] { 1, 2 })
        {
            var installed = c.Configurations.Last(x => x.Node.Value == n && x.Change.Kind == ConfigurationKind.Regular);
            Assert.Equal([new NodeId(1), new NodeId(2)], installed.Change.Members.ToArray());
            Assert.True(installed.At - crashAt <= bound, $"node {n} re-formed after {installed.At - crashAt}, bound {bound} (token {o.EffectiveToken} ms + a quarter of consensus)");
        }
    }

    [Fact]
    public void A_member_only_one_node_reports_unreachable_is_failed_by_all_through_the_joins()
    {
        var c = FormedRing(3);
        c.Run(TimeSpan.FromSeconds(1));
        var crashAt = c.Now;
        c.Crash(3);
        c.Reachability(2, 3, reachable: false);
        c.Run(TimeSpan.FromSeconds(20));
        AssertOneAndTwoReformedWithoutTheConsensusWait(c, crashAt);
    }

    [Fact]
    public void A_restarted_peer_whose_link_is_not_yet_reported_up_joins_without_a_ring_storm()
    {
        var c = FormedRing(3);
        c.Run(TimeSpan.FromSeconds(1));
        c.Crash(3);
        c.Run(TimeSpan.FromMilliseconds(1500));
        c.Reachability(1, 3, reachable: false);
        c.Reachability(2, 3, reachable: false);
        c.Run(TimeSpan.FromSeconds(10));
        var before = c.Regulars(1).Count;
        // node 3 comes back; the transports of 1 and 2 have not seen its pongs yet.
        c.Start(3);
        c.Run(TimeSpan.FromSeconds(10));
        var after = c.Regulars(1).Skip(before).ToList();
        Assert.Equal([new NodeId(1), new NodeId(2), new NodeId(3)], after.Last().Members.ToArray());
        Assert.True(after.Count <= 2, $"{after.Count} rings formed while node 3 rejoined: {string.Join(", ", after.Select(r => r.RingId))}");
    }

    [Fact]
    public void A_peer_reachable_again_is_waited_for_as_usual()
    {
        var c = FormedRing(3);
        c.Run(TimeSpan.FromSeconds(1));
        c.Reachability(1, 3, reachable: false);
        c.Reachability(1, 3, reachable: true);
        var crashAt = c.Now;
        c.Crash(3);
        c.Run(TimeSpan.FromSeconds(20));
        var o = c.Node(1).Options;
        var installed = c.Configurations.Last(x => x.Node.Value == 1 && x.Change.Kind == ConfigurationKind.Regular);
        Assert.Equal([new NodeId(1), new NodeId(2)], installed.Change.Members.ToArray());
        Assert.True(installed.At - crashAt >= TimeSpan.FromMilliseconds(o.EffectiveToken + o.Consensus * 0.9),
            $"re-formed after {installed.At - crashAt}: the consensus wait was skipped for a reachable peer");
    }

    [Fact]
    public void Leave_lets_the_others_re_form_without_waiting_for_the_token_timeout()
    {
        var c = FormedRing(3);
        var leaveAt = c.Now;
        c.Leave(3);
        c.Run(TimeSpan.FromSeconds(10));
        foreach (uint n in new uint[] { 1, 2 })
        {
            var installed = c.Configurations.Last(x => x.Node.Value == n && x.Change.Kind == ConfigurationKind.Regular);
            Assert.Equal([new NodeId(1), new NodeId(2)], installed.Change.Members.ToArray());
            Assert.True(installed.At - leaveAt < TimeSpan.FromMilliseconds(c.Node(1).Options.TokenRetransmit),
                $"re-formed {installed.At - leaveAt} after the leave");
        }
        Assert.DoesNotContain(c.TimersFired, t => t.At > leaveAt && t.Timer == TotemTimer.TokenLoss);
    }

    [Fact]
    public void Ring_sequence_is_persisted_at_commit_and_never_reused_after_restart()
    {
        var c = FormedRing(3);
        var firstRing = c.Regulars(1)[^1].RingId;
        Assert.Equal(firstRing.Sequence, c.PersistedOf(1));
        // The representative crashes and restarts at once: its next ring must not reuse an id.
        c.Crash(1);
        var restartAt = c.Now;
        c.Start(1);
        c.Run(TimeSpan.FromSeconds(20));
        var seen = new Dictionary<RingId, string>();
        foreach (var (_, _, change) in c.Configurations.Where(x => x.Change.Kind == ConfigurationKind.Regular))
        {
            var members = string.Join(',', change.Members);
            Assert.True(!seen.TryGetValue(change.RingId, out var m) || m == members, $"ring {change.RingId} reused with [{members}] and [{m}]");
            seen[change.RingId] = members;
        }
        var restarted = c.Configurations.Where(x => x.Node.Value == 1 && x.At >= restartAt && x.Change.Kind == ConfigurationKind.Regular).ToList();
        Assert.NotEmpty(restarted);
        Assert.All(restarted, r => Assert.True(r.Change.RingId.Sequence > firstRing.Sequence));
        // At restart the persisted sequence is loaded and incremented by one.
        Assert.Equal(firstRing.Sequence + 1, c.Persisted.First(p => p.Node.Value == 1 && p.At >= restartAt).Seq);
        Assert.Equal(3, c.Node(1).Members.Count);
    }

    /// <summary>
    /// Issue 17 item 1: on a ring without crypto two forged joins with ring_seq 2^64-1, spoofed
    /// from a member, wrapped the next ring sequence (+4) into "stale" and split the ring into
    /// singletons for good, the persisted sequence going backwards.
    /// </summary>
    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(ulong.MaxValue - 3)]
    [InlineData(TotemNode.RingSequenceCeiling + 4)]
    public void Forged_join_with_a_ring_seq_near_2_pow_64_is_dropped_and_the_ring_stays_whole(ulong forgedSeq)
    {
        var c = FormedRing(3);
        var ring = c.Node(1).RingId;
        var forged = new JoinMessage(new NodeId(2), new NodeId(2), forgedSeq, [new(1), new(2), new(3)], []);
        c.Inject(1, forged);
        c.Inject(3, forged);
        c.Run(TimeSpan.FromSeconds(30));
        for (uint i = 1; i <= 3; i++)
        {
            Assert.Equal(MembershipState.Operational, c.Node(i).State);
            Assert.Equal(3, c.Node(i).Members.Count);
            Assert.Equal(ring, c.Node(i).RingId);
        }
        foreach (var node in c.Persisted.GroupBy(p => p.Node))
            Assert.True(node.Select(p => p.Seq).Zip(node.Select(p => p.Seq).Skip(1)).All(x => x.Second >= x.First),
                $"node {node.Key} persisted ring sequences went backwards: {string.Join(' ', node.Select(p => p.Seq.ToString("x")))}");
    }

    /// <summary>
    /// Below the ceiling a join is processed, but moves each node's sequence by at most one step:
    /// with full adoption and a relative bound, a forged join sent to one member made its next
    /// ring (+4) fall outside the others' bound, and they refused its joins for good.
    /// </summary>
    [Theory]
    [InlineData(400UL)]
    [InlineData(TotemNode.MaxRingSequenceLead - 4)]
    [InlineData(TotemNode.MaxRingSequenceLead + 0x100)]
    [InlineData(1UL << 62)]
    public void A_join_far_ahead_below_the_ceiling_is_followed_by_one_whole_ring_above_ours_moving_one_step_at_a_time(ulong lead)
    {
        var c = FormedRing(3);
        var ours = c.Node(1).RingId.Sequence;
        var join = new JoinMessage(new NodeId(2), new NodeId(2), ours + lead, [new(1), new(2), new(3)], []);
        c.Inject(1, join);   // to one member only, as a forger on udpu can
        c.Run(TimeSpan.FromSeconds(60));
        var states = string.Join("; ", Enumerable.Range(1, 3).Select(i => $"{i}: {c.Node((uint)i).State} {c.Node((uint)i).RingId} [{string.Join(' ', c.Node((uint)i).Members)}]"))
            + " | " + string.Join(" ", c.Configurations.Where(x => x.Change.Kind == ConfigurationKind.Regular).TakeLast(12).Select(x => $"{x.At.TotalSeconds:0.0}s n{x.Node}:{x.Change.RingId}[{string.Join(',', x.Change.Members)}]"));
        for (uint i = 1; i <= 3; i++)
        {
            Assert.True(c.Node(i).State == MembershipState.Operational, states);
            Assert.True(c.Node(i).Members.Count == 3, states);
            Assert.Equal(c.Node(1).RingId, c.Node(i).RingId);
        }
        Assert.True(c.Node(1).RingId.Sequence > ours, $"ring {c.Node(1).RingId}");
        foreach (var node in c.Persisted.GroupBy(p => p.Node))
            Assert.True(node.Select(p => p.Seq).Zip(node.Select(p => p.Seq).Skip(1)).All(x => x.Second >= x.First && x.Second - x.First <= TotemNode.MaxRingSequenceStep + 8),
                $"node {node.Key} persisted {string.Join(' ', node.Select(p => p.Seq.ToString("x")))}");
    }

    /// <summary>A sequence persisted by a build that accepted a forged header: +1 wrapped it to 0.</summary>
    [Fact]
    public void A_persisted_sequence_past_the_ceiling_continues_from_the_ceiling_instead_of_wrapping()
    {
        var c = new TestCluster(1);
        c.Start(1, persisted: ulong.MaxValue);
        c.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(TotemNode.RingSequenceCeiling, c.Persisted[0].Seq);
        Assert.Equal(TotemNode.RingSequenceCeiling + 4, Assert.Single(c.Regulars(1)).RingId.Sequence);
    }

    [Fact]
    public void Forged_commit_token_at_the_end_of_the_sequence_space_is_not_installed()
    {
        var c = FormedRing(3);
        // A genuine-looking join puts node 1 in gather with proc {1,2,3}; the forged commit token
        // that follows names exactly those members, so only its ring sequence gives it away.
        c.Inject(1, new JoinMessage(new NodeId(2), new NodeId(2), c.Node(1).RingId.Sequence, [new(1), new(2), new(3)], []));
        c.Inject(1, new CommitToken(new NodeId(3))
        {
            RingId = new RingId(new NodeId(1), ulong.MaxValue), MembIndex = 0,
            Addr = [new(1), new(2), new(3)], Entries = new CommitMemberEntry[3],
        });
        c.Run(TimeSpan.FromSeconds(30));
        for (uint i = 1; i <= 3; i++)
        {
            Assert.Equal(MembershipState.Operational, c.Node(i).State);
            Assert.Equal(3, c.Node(i).Members.Count);
            Assert.True(c.Node(i).RingId.Sequence < TotemNode.RingSequenceCeiling, $"node {i} ring {c.Node(i).RingId}");
        }
    }

    [Fact]
    public void Submit_refuses_messages_over_one_mebibyte_and_when_the_queue_is_full()
    {
        var node = new TotemNode(Three with { SendQueueBytes = 2 * 1024 * 1024 });
        node.Start(0, TimeSpan.Zero);
        node.Submit(new byte[1024 * 1024 + 1], TimeSpan.Zero, out var tooBig);
        Assert.False(tooBig);
        node.Submit(new byte[1024 * 1024], TimeSpan.Zero, out var first);
        node.Submit(new byte[1024 * 1024], TimeSpan.Zero, out var second);
        node.Submit(new byte[1], TimeSpan.Zero, out var third);
        Assert.True(first);
        Assert.True(second);
        Assert.False(third);
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => new TotemNode(Three with { LocalNode = new NodeId(9) }));
        Assert.Contains("not in the node list", e.Message, StringComparison.Ordinal);
    }
}
