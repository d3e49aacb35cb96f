using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Tests.Transport;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Runtime;

/// <summary>
/// The real Totem core, the runtime shell and real UDP sockets: three in-process nodes on
/// 127.0.0.1, .2 and .3 (no root needed). Every wait is bounded.
/// </summary>
public class UdpRingIntegrationTests
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DeliverTimeout = TimeSpan.FromSeconds(120);

    public static TheoryData<TransportKind, bool> Cases => new()
    {
        { TransportKind.Udpu, false },
        { TransportKind.Udpu, true },
        { TransportKind.Udp, true },
        { TransportKind.Knet, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Three_nodes_deliver_100000_messages_in_one_total_order_then_survive_a_crash(TransportKind kind, bool crypto)
    {
        await using var ring = new RingHarness(3, kind, crypto);
        var nodes = new[] { ring.StartNode(1), ring.StartNode(2), ring.StartNode(3) };
        Assert.True(await LoopbackNet.EventuallyAsync(() => nodes.All(n => n.IsIn(1, 2, 3)), FormTimeout),
            Describe(nodes));

        const int total = 100_000;
        var perNode = total / 3;
        var sends = nodes.Select((n, i) => n.SendAsync(0, i == 0 ? total - 2 * perNode : perNode)).ToArray();
        await Task.WhenAll(sends).WaitAsync(DeliverTimeout);
        Assert.True(await LoopbackNet.EventuallyAsync(() => nodes.All(n => n.Delivered == total), DeliverTimeout), Describe(nodes));
        var order = nodes[0].Messages;
        Assert.Equal(total, order.Distinct().Count());
        Assert.All(nodes, n => Assert.Equal(order, n.Messages));
        foreach (var node in nodes) // each sender's messages in the order it sent them
        {
            var own = order.Where(m => (uint)(m >> 32) == node.Id.Value).Select(m => (uint)m).ToArray();
            Assert.Equal(Enumerable.Range(0, own.Length).Select(i => (uint)i), own);
        }

        await ring.CrashAsync(3);
        var survivors = nodes[..2];
        Assert.True(await LoopbackNet.EventuallyAsync(() => survivors.All(n => n.IsIn(1, 2)), FormTimeout), Describe(survivors));
        foreach (var node in survivors)
        {
            var changes = node.Configurations;
            Assert.Equal(Cluster.Messaging.Totem.ConfigurationKind.Transitional, changes[^2].Change.Kind);
            Assert.Equal([3u], changes[^2].Change.Left.Select(n => n.Value).ToArray());
            Assert.Equal(changes[^1].Change.RingId, survivors[0].Configurations[^1].Change.RingId);
            Assert.True(changes[^1].Change.RingId.Sequence > changes[0].Change.RingId.Sequence);
        }

        await Task.WhenAll(survivors.Select(n => n.SendAsync(1_000_000, 1000))).WaitAsync(DeliverTimeout);
        Assert.True(await LoopbackNet.EventuallyAsync(() => survivors.All(n => n.Delivered == total + 2000), DeliverTimeout), Describe(survivors));
        Assert.Equal(survivors[0].Messages, survivors[1].Messages);
        Assert.Equal(order, survivors[0].Messages[..total]);
        Assert.All(nodes, n => Assert.False(n.Runtime.Completion.IsFaulted));
    }

    [Fact]
    public async Task A_node_with_a_different_authkey_stays_out_and_its_packets_are_counted()
    {
        await using var ring = new RingHarness(3, TransportKind.Udpu, crypto: true);
        var members = new[] { ring.StartNode(1), ring.StartNode(2) };
        Assert.True(await LoopbackNet.EventuallyAsync(() => members.All(n => n.IsIn(1, 2)), FormTimeout), Describe(members));
        var ringBefore = members[0].Configurations[^1].Change.RingId;

        var intruder = ring.StartNode(3, new CryptoOptions(Enumerable.Repeat((byte)0xA5, 256).ToArray(), "ring"));
        // It keeps trying to join (join messages every 50 ms): wait until both members rejected plenty.
        Assert.True(await LoopbackNet.EventuallyAsync(() => members.All(
            n => n.Transport.Counters.Dropped(PacketDropReason.AuthenticationFailed) >= 20), FormTimeout));
        await Task.WhenAll(members.Select(n => n.SendAsync(0, 500))).WaitAsync(DeliverTimeout);
        Assert.True(await LoopbackNet.EventuallyAsync(() => members.All(n => n.Delivered == 1000), DeliverTimeout), Describe(members));

        Assert.All(members, n => Assert.False(n.EverSaw(3)));
        Assert.All(members, n => Assert.Equal(ringBefore, n.Configurations[^1].Change.RingId)); // never disturbed
        Assert.False(intruder.EverSaw(1) || intruder.EverSaw(2));
        Assert.True(intruder.Transport.Counters.Dropped(PacketDropReason.AuthenticationFailed) > 0);
        Assert.Equal(members[0].Messages, members[1].Messages);
    }

    private static string Describe(IEnumerable<RingNode> nodes) => string.Join("; ", nodes.Select(n =>
        $"node {n.Id}: delivered {n.Delivered}, faulted {n.Runtime.Completion.IsFaulted}, "
        + $"configs [{string.Join(", ", n.Configurations.Select(c => $"{c.Change.Kind} {c.Change.RingId} {{{string.Join(" ", c.Change.Members)}}}"))}], "
        + $"drops {n.Transport.Counters.Snapshot().TotalDropped}"));
}
