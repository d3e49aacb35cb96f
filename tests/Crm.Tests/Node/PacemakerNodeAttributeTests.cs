using System.Xml.Linq;
using Cluster.Crm.Attributes;
using Cluster.Crm.CibManager;
using Cluster.Crm.Node;

namespace Cluster.Crm.Tests.Node;

/// <summary>
/// attrd inside one node's Pacemaker: a lone node (its own attrd writer) turns client requests
/// into `attrd` group messages, and their delivery into writes of status/node_state/transient_attributes.
/// Group messages are looped back as a one-member CPG would deliver them.
/// </summary>
public class PacemakerNodeAttributeTests
{
    private static readonly DateTimeOffset Wall = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private sealed class LoneNode
    {
        public PacemakerNode Node { get; } = new(1, new Dictionary<uint, string> { [1] = "node1" }, null, clusterName: "c");

        public List<NodeEffect> Seen { get; } = [];

        public TimeSpan Now { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>Handles <paramref name="input"/> and delivers what it sends to the cib and attrd groups until nothing is left.</summary>
        public void Run(NodeInput input)
        {
            var queue = new Queue<NodeInput>([input]);
            for (var steps = 0; queue.Count > 0 && steps < 200; steps++)
            {
                foreach (var effect in Node.Handle(queue.Dequeue(), Now, Wall))
                {
                    Seen.Add(effect);
                    switch (effect)
                    {
                        case SendToGroup { Group: PacemakerNode.CibGroup } s:
                            queue.Enqueue(new CibIn(new CibDelivered(1, s.Payload)));
                            break;
                        case SendToGroup { Group: PacemakerNode.AttrdGroup } s:
                            queue.Enqueue(new AttrdDelivered(1, s.Payload));
                            break;
                    }
                }
            }
        }

        public string? Transient(string name) =>
            Node.Cib.Cib.Element("status")?.Elements("node_state").Where(s => (string?)s.Attribute("id") == "1")
                .Elements("transient_attributes").Elements("instance_attributes").Elements("nvpair")
                .FirstOrDefault(n => (string?)n.Attribute("name") == name)?.Attribute("value")?.Value;

        public static LoneNode Started()
        {
            var n = new LoneNode();
            n.Run(new CibIn(new CibMembership([1], true)));
            Assert.Contains(n.Seen, e => e is JoinAttributeGroup);
            n.Run(new AttrdMembership([1]));
            return n;
        }
    }

    [Fact]
    public void A_client_update_is_agreed_through_the_attrd_group_and_written_by_the_writer()
    {
        var n = LoneNode.Started();
        n.Run(new AttributeClientRequest(7, 1, new AttributeSetRequest(new AttributeUpdate("node1", "fail-count-D#monitor_10000", "value++"))));
        n.Run(new AttributeClientRequest(7, 2, new AttributeSetRequest(new AttributeUpdate("node1", "fail-count-D#monitor_10000", "value++"))));
        Assert.Contains(new AttributeClientReply(7, 1, null, null), n.Seen);
        Assert.Equal("2", n.Transient("fail-count-D#monitor_10000"));
        var nv = n.Node.Cib.Cib.Descendants("nvpair").Single(x => (string?)x.Attribute("name") == "fail-count-D#monitor_10000");
        Assert.Equal("status-1-fail-count-D.monitor_10000", (string?)nv.Attribute("id"));
        n.Run(new AttributeClientRequest(7, 3, new AttributeQuery("fail-count-D#monitor_10000", null)));
        var reply = Assert.IsType<AttributeClientReply>(n.Seen[^1]);
        Assert.Equal("2", reply.Values!["node1"]);
    }

    [Fact]
    public void A_deletion_removes_the_nvpair()
    {
        var n = LoneNode.Started();
        n.Run(new AttributeClientRequest(7, 1, new AttributeSetRequest(new AttributeUpdate("node1", "standby", "on"))));
        Assert.Equal("on", n.Transient("standby"));
        n.Run(new AttributeClientRequest(7, 2, new AttributeSetRequest(new AttributeUpdate("node1", "standby", null))));
        Assert.Null(n.Transient("standby"));
        Assert.Null(n.Node.Attributes.Value("node1", "standby"));
    }

    [Fact]
    public void A_dampened_value_reaches_the_cib_only_when_its_timer_fires_and_then_the_latest_one()
    {
        var n = LoneNode.Started();
        n.Run(new AttributeClientRequest(7, 1, new AttributeSetRequest(new AttributeUpdate("node1", "ping", "100", TimeSpan.FromSeconds(5)))));
        n.Run(new AttributeClientRequest(7, 2, new AttributeSetRequest(new AttributeUpdate("node1", "ping", "0"))));
        Assert.Single(n.Seen.OfType<ArmTimer>(), a => a.Timer == new DampeningTimerKey("ping") && a.After == TimeSpan.FromSeconds(5));
        Assert.Null(n.Transient("ping"));
        n.Now += TimeSpan.FromSeconds(5);
        n.Run(new TimerFired(new DampeningTimerKey("ping")));
        Assert.Equal("0", n.Transient("ping"));
    }

    [Fact]
    public void A_refused_request_is_answered_with_the_reason_and_sends_nothing()
    {
        var n = LoneNode.Started();
        var before = n.Seen.Count;
        n.Run(new AttributeClientRequest(7, 1, new AttributeSetRequest(new AttributeUpdate("node1", "", "1"))));
        var reply = Assert.IsType<AttributeClientReply>(Assert.Single(n.Seen.Skip(before)));
        Assert.Equal("attribute name is empty", reply.Error);
    }

    [Fact]
    public void A_malformed_attrd_message_is_logged_and_dropped()
    {
        var n = LoneNode.Started();
        var version = n.Node.Cib.Version;
        n.Run(new AttrdDelivered(1, "<attrd op=\"update\"/>"u8.ToArray()));
        Assert.Contains(n.Seen.OfType<LogLine>(), l => l.Daemon == "pacemaker-attrd" && l.Text.Contains("an update carries 0 <attr> elements", StringComparison.Ordinal));
        Assert.Equal(version, n.Node.Cib.Version);
    }
}
