using System.Collections.Immutable;
using System.Net;
using Cluster.Messaging.Config;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Transport;

public class TransportOptionsTests
{
    private static TransportOptions Valid(TransportKind kind = TransportKind.Udpu, int links = 1) => new()
    {
        Kind = kind,
        LocalNode = new NodeId(1),
        Nodes = LoopbackNet.Nodes(3, links),
        MulticastAddress = IPAddress.Parse("239.192.0.1"),
    };

    [Fact]
    public void A_local_node_outside_the_nodelist_is_rejected() =>
        Assert.Contains("local node id 9 is not in the nodelist",
            Assert.Throws<ArgumentException>(() => (Valid() with { LocalNode = new NodeId(9) }).Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void Udpu_accepts_one_link_only() =>
        Assert.Contains("transport udpu supports one link",
            Assert.Throws<ArgumentException>(() => Valid(TransportKind.Udpu, 2).Validate()).Message, StringComparison.Ordinal);

    [Fact]
    public void Knet_accepts_up_to_eight_links()
    {
        Valid(TransportKind.Knet, 8).Validate();
        Assert.Contains("at most 8 links",
            Assert.Throws<ArgumentException>(() => Valid(TransportKind.Knet, 9).Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Udp_needs_a_multicast_group() =>
        Assert.Contains("is not an IPv4 multicast address",
            Assert.Throws<ArgumentException>(() => (Valid(TransportKind.Udp) with { MulticastAddress = IPAddress.Parse("10.0.0.1") }).Validate()).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Knet_nodes_must_agree_on_the_link_count()
    {
        var nodes = LoopbackNet.Nodes(2, 2).SetItem(new NodeId(2), [IPAddress.Parse("127.0.0.2")]);
        Assert.Contains("node 2 has 1 links but the local node has 2",
            Assert.Throws<ArgumentException>(() => (Valid(TransportKind.Knet) with { Nodes = nodes }).Validate()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_nodes_sharing_an_address_are_rejected()
    {
        var nodes = ImmutableSortedDictionary<NodeId, ImmutableArray<IPAddress>>.Empty
            .Add(new NodeId(1), [IPAddress.Parse("127.0.0.1")])
            .Add(new NodeId(2), [IPAddress.Parse("127.0.0.1")]);
        var error = Assert.Throws<ArgumentException>(() => new FrameGuard(Valid() with { Nodes = nodes }, new PacketCounters(), 0));
        Assert.Contains("address 127.0.0.1 is given to both node 1 and node 2", error.Message, StringComparison.Ordinal);
    }
}
