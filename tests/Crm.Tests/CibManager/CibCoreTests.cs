using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;

namespace Cluster.Crm.Tests.CibManager;

public class CibCoreTests
{
    private static CibRequest Modify(string xml, string? scope = null, CibCallOptions options = CibCallOptions.None) =>
        new(CibCommand.Modify, scope, null, CibXmlText.Parse(xml), options);

    private static CibRequest AddProperty(string name, string value) =>
        Modify($"<cluster_property_set id=\"cib-bootstrap-options\"><nvpair id=\"opt-{name}\" name=\"{name}\" value=\"{value}\"/></cluster_property_set>",
            "crm_config", CibCallOptions.AllowCreate);

    private static OrderedGroup ThreeNodes()
    {
        var g = new OrderedGroup();
        foreach (var n in new uint[] { 1, 2, 3 }) g.Add(n);
        g.ChangeMembers([1, 2, 3]);
        g.Run();
        return g;
    }

    [Fact]
    public void Changes_made_on_different_nodes_are_applied_by_all_in_one_order_to_the_same_cib()
    {
        var g = ThreeNodes();
        var calls = new List<long>();
        for (int i = 0; i < 30; i++) calls.Add(g.Call((uint)(i % 3 + 1), AddProperty($"p{i}", i.ToString())));
        g.Run();
        Assert.Empty(g.Violations);
        Assert.All(calls, c => Assert.True(g.ReplyTo(c)!.Ok));
        Assert.Single(g.Digests().Distinct());
        Assert.Equal(30, g.Nodes[1].Cib.Descendants("nvpair").Count(e => ((string?)e.Attribute("id"))!.StartsWith("opt-p", StringComparison.Ordinal)));
        // The first change created the set (config), every later one bumped the epoch again.
        Assert.Equal(new CibVersion(0, 30, 0), g.Nodes[3].Version);
        Assert.Equal("node3", (string?)g.Nodes[1].Cib.Attribute("update-origin")); // the last change came from node 3
    }

    [Fact]
    public void A_query_is_answered_locally_at_once_and_a_change_only_after_delivery()
    {
        var g = ThreeNodes();
        var q = g.Call(2, new CibRequest(CibCommand.Query, "crm_config"));
        Assert.True(g.ReplyTo(q)!.Ok);
        var c = g.Call(2, AddProperty("x", "1"));
        Assert.Null(g.ReplyTo(c));
        g.Run();
        Assert.True(g.ReplyTo(c)!.Ok);
    }

    [Fact]
    public void An_invalid_change_is_refused_to_its_client_and_applied_nowhere()
    {
        var g = ThreeNodes();
        var before = g.Digests();
        var c = g.Call(1, new CibRequest(CibCommand.Create, "resources", null,
            CibXmlText.Parse("<primitive id=\"bad\" class=\"nonsense\" type=\"Dummy\"/>")));
        g.Run();
        Assert.Equal(CibResultCode.ConfigInvalid, g.ReplyTo(c)!.Code);
        Assert.Equal(before, g.Digests());
    }

    [Fact]
    public void A_joining_node_with_an_older_copy_takes_the_clusters_copy()
    {
        var g = new OrderedGroup();
        g.Add(1);
        g.Add(2);
        g.Add(3);
        g.ChangeMembers([1, 2]);
        g.Run();
        for (int i = 0; i < 5; i++) g.Call(1, AddProperty($"p{i}", "v"));
        g.Run();
        g.Join(3);
        g.Run();
        Assert.Empty(g.Violations);
        Assert.Single(g.Digests().Distinct());
        Assert.Equal(g.Nodes[1].Version, g.Nodes[3].Version);
        Assert.True(g.Persisted[3] > 0); // the adopted copy is written to disk
    }

    [Fact]
    public void After_a_full_restart_the_node_with_the_newest_stored_copy_wins()
    {
        var newest = CibOperations.Empty(epoch: 7);
        newest.Element("configuration")!.Element("crm_config")!.Add(XElement.Parse("<cluster_property_set id=\"s\"><nvpair id=\"s-a\" name=\"a\" value=\"1\"/></cluster_property_set>"));
        var g = new OrderedGroup();
        g.Add(1, CibOperations.Empty(epoch: 3));
        g.Add(2, newest);
        g.Add(3, null);
        g.ChangeMembers([1, 2, 3]);
        g.Run();
        Assert.Single(g.Digests().Distinct());
        Assert.Equal(new CibVersion(0, 7, 0), g.Nodes[1].Version);
    }

    [Fact]
    public void Changes_delivered_during_a_sync_wait_and_are_applied_after_it_everywhere()
    {
        var g = new OrderedGroup();
        g.Add(1);
        g.Add(2);
        g.ChangeMembers([1]);
        g.Run();
        g.Call(1, AddProperty("before", "1"));
        g.Run();
        g.Join(2);
        g.Step(); // the membership change: both now wait for offers
        var during = g.Call(2, AddProperty("during", "1")); // queued behind the offers
        g.Run();
        Assert.True(g.ReplyTo(during)!.Ok);
        Assert.Single(g.Digests().Distinct());
        Assert.Contains(g.Nodes[1].Cib.Descendants("nvpair"), e => (string?)e.Attribute("name") == "during");
        Assert.Contains(g.Nodes[2].Cib.Descendants("nvpair"), e => (string?)e.Attribute("name") == "before");
    }

    [Fact]
    public void A_process_restarted_on_a_listed_node_id_still_triggers_a_sync_so_it_is_not_left_waiting()
    {
        var a = new CibCore(1, "node1", CibOperations.Empty(epoch: 5));
        var b = new CibCore(2, "node2", null);
        a.Handle(new CibMembership([1, 2]));
        // node 2's new process joins before its old one's leave was seen: the ids do not change.
        var fromA = a.Handle(new CibMembership([1, 2], SomeoneJoined: true)).OfType<CibSend>().Single();
        var fromB = b.Handle(new CibMembership([1, 2], SomeoneJoined: true)).OfType<CibSend>().Single();
        foreach (var core in new[] { a, b })
        {
            core.Handle(new CibDelivered(1, fromA.Payload));
            core.Handle(new CibDelivered(2, fromB.Payload));
        }
        Assert.False(b.Syncing);
        Assert.Equal(new CibVersion(0, 5, 0), b.Version);
    }

    /// <summary>Offers as two members would send them at a sync; the test delivers them to both.</summary>
    private static (CibCore A, CibCore B, CibSend FromA, CibSend FromB) TwoMembersOffering(XElement cibA, XElement cibB)
    {
        var a = new CibCore(1, "node1", cibA);
        var b = new CibCore(2, "node2", cibB);
        var fromA = a.Handle(new CibMembership([1, 2], SomeoneJoined: true)).OfType<CibSend>().Single();
        var fromB = b.Handle(new CibMembership([1, 2], SomeoneJoined: true)).OfType<CibSend>().Single();
        return (a, b, fromA, fromB);
    }

    [Fact]
    public void At_a_sync_every_member_adopts_the_newest_copy_and_the_holder_of_it_rewrites_nothing()
    {
        var (a, b, fromA, fromB) = TwoMembersOffering(CibOperations.Empty(epoch: 9), CibOperations.Empty(epoch: 4));
        var effects = new Dictionary<CibCore, List<CibEffect>>();
        foreach (var core in new[] { a, b })
            effects[core] = [.. core.Handle(new CibDelivered(1, fromA.Payload)), .. core.Handle(new CibDelivered(2, fromB.Payload))];

        Assert.Equal((new CibVersion(0, 9, 0), new CibVersion(0, 9, 0)), (a.Version, b.Version));
        Assert.Empty(effects[a].OfType<CibPersist>());
        Assert.Single(effects[b].OfType<CibPersist>());
        Assert.True(XNode.DeepEquals(a.Cib, b.Cib));
    }

    [Fact]
    public void A_newest_copy_that_does_not_parse_cannot_win_the_sync()
    {
        var (a, b, fromA, fromB) = TwoMembersOffering(CibOperations.Empty(epoch: 3), CibOperations.Empty(epoch: 4));
        // node 2's offer arrives damaged after its start tag: version 4 is readable, the rest is not.
        var damaged = System.Text.Encoding.UTF8.GetString(fromB.Payload).Replace("<configuration>", "<configuration", StringComparison.Ordinal);
        foreach (var core in new[] { a, b })
        {
            core.Handle(new CibDelivered(1, fromA.Payload));
            core.Handle(new CibDelivered(2, System.Text.Encoding.UTF8.GetBytes(damaged)));
        }

        Assert.False(a.Syncing);
        Assert.Equal((new CibVersion(0, 3, 0), new CibVersion(0, 3, 0)), (a.Version, b.Version));
    }

    [Fact]
    public void A_change_before_joining_is_refused_as_not_connected()
    {
        var g = new OrderedGroup();
        g.Add(1);
        var c = g.Call(1, AddProperty("x", "1"));
        Assert.Equal(CibResultCode.NotConnected, g.ReplyTo(c)!.Code);
    }

    [Fact]
    public void Garbage_from_a_peer_is_ignored()
    {
        var core = new CibCore(1, "node1", null);
        core.Handle(new CibMembership([1]));
        Assert.Empty(core.Handle(new CibDelivered(2, "not xml"u8.ToArray())));
        Assert.Empty(core.Handle(new CibDelivered(2, "<cib-msg t=\"change\"/>"u8.ToArray())));
    }

    /// <summary>
    /// Seeded random runs: changes from every node, nodes leaving and rejoining at random points.
    /// Checked: versions never go back on a node; every acknowledged change is in the final CIB;
    /// after the last membership change all members hold one digest. A failure names its seed.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Random_changes_and_membership_churn_converge_and_lose_no_acknowledged_change(int seed)
    {
        var rng = new Random(seed);
        var g = new OrderedGroup();
        foreach (var n in new uint[] { 1, 2, 3 }) g.Add(n);
        g.ChangeMembers([1, 2, 3]);
        var calls = new Dictionary<long, string>();
        for (int i = 0; i < 200; i++)
        {
            var roll = rng.Next(100);
            if (roll < 5 && g.Members.Count > 1) g.Leave(g.Members[rng.Next(g.Members.Count)]);
            else if (roll < 10) g.Join((uint)rng.Next(1, 4));
            else
            {
                var node = (uint)rng.Next(1, 4);
                calls[g.Call(node, AddProperty($"k{i}", "v"))] = $"k{i}";
            }
            for (int s = rng.Next(4); s > 0; s--) g.Step();
        }
        g.ChangeMembers([1, 2, 3]);
        g.Run();
        Assert.True(g.Violations.Count == 0, $"seed {seed}: {string.Join("; ", g.Violations)}");
        Assert.True(g.Digests().Distinct().Count() == 1, $"seed {seed}: members differ");
        var names = g.Nodes[1].Cib.Descendants("nvpair").Select(e => (string?)e.Attribute("name")).ToHashSet();
        foreach (var (call, name) in calls)
            if (g.ReplyTo(call) is { Ok: true })
                Assert.True(names.Contains(name), $"seed {seed}: acknowledged change {name} lost");
    }
}
