using System.Text;
using Cluster.Messaging.Cpg;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Tests.Sync;
using Cluster.Messaging.Totem;
using FsCheck;
using FsCheck.Fluent;

namespace Cluster.Messaging.Tests.Cpg;

public class CpgServiceTests
{
    private static FakeCluster Cluster(int nodes)
    {
        var votes = Enumerable.Range(1, nodes).ToDictionary(i => new NodeId((uint)i), _ => 1u);
        return new FakeCluster(id => [new CpgService(id), new Votequorum(QuorumOptions.Resolve(id, votes).Options)]);
    }

    private static List<string> Ms(FakeCluster c, uint node) =>
        [.. Cpg(c, node).MembersOf("grp").Select(a => $"{a.Node}/{a.Pid}").Order(StringComparer.Ordinal)];

    /// <summary>Three nodes in one ring, each with a process in "grp".</summary>
    private static FakeCluster ThreeInGroup()
    {
        var c = Cluster(3);
        c.Boot(1, 2, 3);
        c.Form([1, 2, 3]);
        foreach (uint n in new uint[] { 1, 2, 3 }) Join(c, n);
        return c;
    }

    private static ClientId Client(uint node) => new(node * 100);

    private static CpgService Cpg(FakeCluster c, uint id) => c[id].Service<CpgService>();

    private static void Join(FakeCluster c, uint node, string group = "grp", uint? pid = null) =>
        c.Local(node, o => Assert.Equal(CpgResult.Ok, Cpg(c, node).Join(Client(node), group, pid ?? node * 10, o)));

    private static void Send(FakeCluster c, uint node, string text, string group = "grp") =>
        c.Local(node, o => Assert.Equal(CpgResult.Ok, Cpg(c, node).Multicast(Client(node), group, node * 10, Encoding.UTF8.GetBytes(text), o)));

    /// <summary>What a client saw, one line per callback, so sequences can be compared across nodes.</summary>
    private static List<string> Seen(FakeCluster c, uint node) =>
        [.. c[node].EventsFor(Client(node)).Select(e => e switch
        {
            CpgMessageEvent m => $"msg {m.Group} {m.Node}/{m.Pid} {Encoding.UTF8.GetString(m.Payload)}",
            CpgConfigurationChangedEvent cc => $"conf {cc.Group} [{string.Join(',', cc.Members.Select(a => $"{a.Node}/{a.Pid}"))}]" +
                $" left [{string.Join(',', cc.Left.Select(a => $"{a.Node}/{a.Pid}:{a.Reason}"))}]" +
                $" joined [{string.Join(',', cc.Joined.Select(a => $"{a.Node}/{a.Pid}:{a.Reason}"))}]",
            CpgTotemChangedEvent t => $"totem {t.RingId} {string.Join(',', t.Members)}",
            _ => e.ToString()!,
        })];

    [Fact]
    public void Joins_are_announced_to_every_member_with_reason_join()
    {
        var c = Cluster(2);
        c.Boot(1, 2);
        c.Form([1, 2]);
        Join(c, 1);
        Join(c, 2);
        Assert.Equal("conf grp [1/10,2/20] left [] joined [2/20:Join]", Seen(c, 1).Last());
        Assert.Equal("conf grp [1/10,2/20] left [] joined [2/20:Join]", Seen(c, 2).Last());
        Assert.Equal(Ms(c, 1), Ms(c, 2));
    }

    [Fact]
    public void Joining_twice_is_refused_and_sending_without_joining_is_refused()
    {
        var c = Cluster(1);
        c.Boot(1);
        c.Form([1]);
        Join(c, 1);
        c.Local(1, o => Assert.Equal(CpgResult.Exist, Cpg(c, 1).Join(Client(1), "grp", 10, o)));
        c.Local(1, o => Assert.Equal(CpgResult.NotExist, Cpg(c, 1).Multicast(Client(1), "other", 10, [], o)));
        c.Local(1, o => Assert.Equal(CpgResult.InvalidParam, Cpg(c, 1).Join(Client(1), new string('x', 129), 10, o)));
    }

    [Fact]
    public void Messages_reach_every_member_including_the_sender_in_one_total_order()
    {
        var c = ThreeInGroup();
        for (int i = 0; i < 20; i++)
            Send(c, (uint)(i % 3 + 1), "m" + i);
        var one = Seen(c, 1).Where(l => l.StartsWith("msg", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, one.Count);
        Assert.Equal(one, Seen(c, 2).Where(l => l.StartsWith("msg", StringComparison.Ordinal)));
        Assert.Equal(one, Seen(c, 3).Where(l => l.StartsWith("msg", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_crashed_node_leaves_with_nodedown_before_later_messages()
    {
        var c = ThreeInGroup();
        c.Crash(3);
        c.Form([1, 2]);
        Send(c, 1, "after");
        var seen = Seen(c, 2);
        int down = seen.IndexOf("conf grp [1/10,2/20] left [3/30:NodeDown] joined []");
        Assert.True(down >= 0, string.Join('\n', seen));
        Assert.True(down < seen.IndexOf("msg grp 1/10 after"));
        Assert.Equal(Seen(c, 1).Skip(Seen(c, 1).Count - 3), seen.Skip(seen.Count - 3));
    }

    [Fact]
    public void A_node_coming_back_brings_its_processes_with_nodeup()
    {
        var c = ThreeInGroup();
        c.Form([1, 2], [3]);
        Assert.Equal("conf grp [3/30] left [1/10:NodeDown,2/20:NodeDown] joined []", Seen(c, 3).Where(l => l.StartsWith("conf", StringComparison.Ordinal)).Last());
        c.Form([1, 2, 3]);
        Assert.Contains("conf grp [1/10,2/20,3/30] left [] joined [3/30:NodeUp]", Seen(c, 1));
        Assert.Equal(3, Cpg(c, 1).MembersOf("grp").Length);
        Assert.Equal(Ms(c, 3), Ms(c, 1));
    }

    [Fact]
    public void A_node_that_left_in_a_configuration_whose_sync_was_cut_short_leaves_and_joins_again()
    {
        // Nodes 2 and 3 lose node 1; their ring breaks before its sync ends, and node 1 is back in
        // the next one. Node 1 saw them go (its own ring synced): they must see it go and come back
        // too, or its group peers (the CIB's sync, the controllers' join) wait for them forever.
        var c = ThreeInGroup();
        c.Form([1]);
        c.FormAndBreak([2, 3]);
        c.Form([1, 2, 3]);
        foreach (uint n in new uint[] { 2, 3 })
        {
            var confs = Seen(c, n).Where(l => l.StartsWith("conf", StringComparison.Ordinal)).TakeLast(2).ToList();
            Assert.Equal(["conf grp [2/20,3/30] left [1/10:NodeDown] joined []",
                "conf grp [2/20,3/30,1/10] left [] joined [1/10:NodeUp]"], confs);
        }
        Assert.Contains("conf grp [1/10,2/20,3/30] left [] joined [3/30:NodeUp]", Seen(c, 1));
        Assert.Equal(Ms(c, 1), Ms(c, 2));
        Assert.Equal(Ms(c, 1), Ms(c, 3));
    }

    [Fact]
    public void Members_missing_from_the_transitional_set_leave_and_join_again_though_the_ring_has_the_same_members()
    {
        // Nodes 2 and 3 form a ring without node 1 that breaks before its sync ends; node 1 goes
        // straight from the old ring to the new one, which has the same members
        // ("Members joined: 2 3 left: 2 3"): its groups must still see 2 and 3 go and come back.
        var c = ThreeInGroup();
        c.FormAndBreak([2, 3]);
        c.Form([1, 2, 3]);
        var confs = Seen(c, 1).Where(l => l.StartsWith("conf", StringComparison.Ordinal)).TakeLast(3).ToList();
        Assert.Equal(["conf grp [1/10] left [2/20:NodeDown,3/30:NodeDown] joined []",
            "conf grp [1/10,2/20] left [] joined [2/20:NodeUp]",
            "conf grp [1/10,2/20,3/30] left [] joined [3/30:NodeUp]"], confs);
        Assert.Equal(Ms(c, 1), Ms(c, 2));
        Assert.Equal(Ms(c, 1), Ms(c, 3));
    }

    [Fact]
    public void A_dead_client_leaves_its_groups_with_procdown()
    {
        var c = Cluster(2);
        c.Boot(1, 2);
        c.Form([1, 2]);
        Join(c, 1);
        Join(c, 2);
        c.Local(2, o => Cpg(c, 2).ClientGone(Client(2), o));
        Assert.Equal("conf grp [1/10] left [2/20:ProcDown] joined []", Seen(c, 1).Last());
        Assert.Single(Cpg(c, 2).MembersOf("grp"));
    }

    [Fact]
    public void An_explicit_leave_is_reported_with_reason_leave_also_to_the_leaver()
    {
        var c = Cluster(2);
        c.Boot(1, 2);
        c.Form([1, 2]);
        Join(c, 1);
        Join(c, 2);
        c.Local(2, o => Assert.Equal(CpgResult.Ok, Cpg(c, 2).Leave(Client(2), "grp", 20, o)));
        Assert.Equal("conf grp [1/10] left [2/20:Leave] joined []", Seen(c, 1).Last());
        Assert.Equal("conf grp [1/10] left [2/20:Leave] joined []", Seen(c, 2).Last());
    }

    [Fact]
    public void Clients_get_a_totem_change_with_the_ring_members()
    {
        var c = Cluster(2);
        c.Boot(1, 2);
        c.Form([1]);
        Join(c, 1);
        c.Form([1, 2]);
        Assert.Contains(Seen(c, 1), l => l.StartsWith("totem 1.", StringComparison.Ordinal) && l.EndsWith(" 1,2", StringComparison.Ordinal));
    }

    [Fact]
    public void Group_callbacks_are_identical_on_nodes_that_stay_together_through_random_events()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 9), 30)), StaysConsistent).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Group_callbacks_are_identical_on_all_nodes_through_a_script_without_partitions()
    {
        // Found by the property above: re-forming the same ring while messages flow.
        Assert.True(StaysConsistent([4, 4, 0, 6, 5, 2, 6, 1, 2, 0, 3, 1, 2, 2, 8, 2, 5, 2, 5, 5, 2, 8, 6, 8, 8, 0, 6, 6, 3, 0]));
    }

    private static bool StaysConsistent(int[] script)
    {
        var c = ThreeInGroup();
        int msg = 0;
        foreach (var step in script)
        {
            switch (step)
            {
                case 7: c.Form([1, 2], [3]); break;
                case 8: c.Form([1, 2, 3]); break;
                case 9: c.Form([1], [2, 3]); break;
                default:
                    uint from = (uint)(step % 3 + 1);
                    Send(c, from, "m" + msg++);
                    break;
            }
        }
        c.Form([1, 2, 3]);
        // Nodes 1 and 2 are together except during step 9 partitions; compare what both saw of
        // messages sent by node 1 while connected: simplest strong check is the final members
        // and that each node saw its own messages in the order it sent them.
        bool sameMembers = Ms(c, 1).SequenceEqual(Ms(c, 2))
            && Ms(c, 2).SequenceEqual(Ms(c, 3))
            && Cpg(c, 1).MembersOf("grp").Length == 3;
        bool ownOrder = new uint[] { 1, 2, 3 }.All(n =>
        {
            var own = Seen(c, n).Where(l => l.StartsWith($"msg grp {n}/", StringComparison.Ordinal))
                .Select(l => int.Parse(l[(l.LastIndexOf('m') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            return own.SequenceEqual(own.Order());
        });
        bool noPartitions = !script.Any(s => s is 7 or 9);
        // Before node 3's join each node saw only the joins that happened after its own, so
        // compare from the change all three saw: node 3's join.
        List<string> SinceAllJoined(uint n) =>
            [.. Seen(c, n).SkipWhile(l => l != "conf grp [1/10,2/20,3/30] left [] joined [3/30:Join]")];
        bool identical = !noPartitions
            || (SinceAllJoined(1).Count > 0
                && SinceAllJoined(1).SequenceEqual(SinceAllJoined(2)) && SinceAllJoined(2).SequenceEqual(SinceAllJoined(3)));
        return sameMembers && ownOrder && identical;
    }
}
