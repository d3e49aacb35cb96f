using System.Net;
using System.Net.Sockets;
using System.Text;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Transport;

/// <summary>The three transports over real UDP on 127.0.0.x, with and without crypto.</summary>
public class DatagramTransportTests
{
    public static TheoryData<TransportKind, bool> Kinds => new()
    {
        { TransportKind.Udpu, false },
        { TransportKind.Udpu, true },
        { TransportKind.Udp, false },
        { TransportKind.Udp, true },
        { TransportKind.Knet, false },
        { TransportKind.Knet, true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Broadcast_reaches_every_node_including_the_sender_with_its_node_id(TransportKind kind, bool crypto)
    {
        await using var net = TransportHarness.Start(kind, 3, crypto);
        net.Transports[1].Broadcast("from two"u8);
        Assert.True(LoopbackNet.Eventually(() => net.Sinks.All(s => s.Has(new NodeId(2), "from two"))),
            $"sinks saw {string.Join(",", net.Sinks.Select(s => s.Count))} frames");
        Assert.All(net.Sinks, s => Assert.Single(s.Frames, f => Encoding.ASCII.GetString(f.Frame) == "from two"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SendTo_reaches_only_the_target(TransportKind kind, bool crypto)
    {
        await using var net = TransportHarness.Start(kind, 3, crypto);
        net.Transports[0].SendTo(new NodeId(3), "token"u8);
        net.Transports[0].Broadcast("marker"u8);
        Assert.True(LoopbackNet.Eventually(() => net.Sinks.All(s => s.Has(new NodeId(1), "marker"))));
        Assert.True(LoopbackNet.Eventually(() => net.Sinks[2].Has(new NodeId(1), "token")));
        Assert.False(net.Sinks[0].Has(new NodeId(1), "token"));
        Assert.False(net.Sinks[1].Has(new NodeId(1), "token"));
    }

    [Theory]
    [InlineData(TransportKind.Udpu)]
    [InlineData(TransportKind.Udp)]
    [InlineData(TransportKind.Knet)]
    public async Task A_node_with_another_authkey_is_dropped_as_failed_authentication(TransportKind kind)
    {
        await using var net = TransportHarness.Start(kind, 3, crypto: true, only: [1, 2]);
        var intruderOptions = net.Template with
        {
            LocalNode = new NodeId(3),
            Crypto = new CryptoOptions(Enumerable.Repeat((byte)0x5A, 256).ToArray(), "harness"),
        };
        await using var intruder = TransportFactory.Create(intruderOptions, new ListLogger(), TimeProvider.System, 1);
        var intruderSink = new FrameSink();
        intruder.Start(intruderSink.OnFrame);
        intruder.Broadcast("let me in"u8);
        intruder.SendTo(new NodeId(1), "token"u8);
        Assert.True(LoopbackNet.Eventually(() => net.Transports[0].Counters.Dropped(PacketDropReason.AuthenticationFailed) >= 2));
        Assert.True(LoopbackNet.Eventually(() => net.Transports[1].Counters.Dropped(PacketDropReason.AuthenticationFailed) >= 1));
        net.Transports[0].Broadcast("members only"u8);
        Assert.True(LoopbackNet.Eventually(() => net.Sinks[1].Has(new NodeId(1), "members only")));
        Assert.DoesNotContain(net.Sinks.SelectMany(s => s.Frames), f => f.Sender == new NodeId(3));
        Assert.DoesNotContain(intruderSink.Frames, f => f.Sender != new NodeId(3));
    }

    [Theory]
    [InlineData(TransportKind.Udpu, false)]
    [InlineData(TransportKind.Udpu, true)]
    [InlineData(TransportKind.Knet, false)]
    public async Task A_datagram_from_an_address_outside_the_nodelist_is_dropped_as_unlisted(TransportKind kind, bool crypto)
    {
        await using var net = TransportHarness.Start(kind, 2, crypto);
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        stranger.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.77"), 0));
        stranger.SendTo(new byte[64], new IPEndPoint(LoopbackNet.Address(1), net.Template.Port));
        Assert.True(LoopbackNet.Eventually(() => net.Transports[0].Counters.Dropped(PacketDropReason.UnlistedSource) == 1));
        Assert.DoesNotContain(net.Sinks[0].Frames, f => f.Frame.Length == 64 && f.Frame.All(b => b == 0));
    }

    [Fact]
    public async Task A_captured_packet_sent_again_is_dropped_as_a_replay()
    {
        await using var net = TransportHarness.Start(TransportKind.Udpu, 2, crypto: true, only: [1]);
        // Node 2's "wire": a raw socket on its address, sending what a real node-2 envelope produced.
        using var envelope = new CryptoEnvelope(new CryptoOptions(TransportHarness.Key, "harness"), new NodeId(2), [new NodeId(1), new NodeId(2)], 5);
        var packet = new byte[CryptoEnvelope.SealedLength(3)];
        envelope.Seal("abc"u8, packet);
        using var wire = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        wire.Bind(new IPEndPoint(LoopbackNet.Address(2), 0));
        var target = new IPEndPoint(LoopbackNet.Address(1), net.Template.Port);
        wire.SendTo(packet, target);
        Assert.True(LoopbackNet.Eventually(() => net.Sinks[0].Has(new NodeId(2), "abc")));
        wire.SendTo(packet, target);
        wire.SendTo(packet[..10], target);
        Assert.True(LoopbackNet.Eventually(() => net.Transports[0].Counters.Dropped(PacketDropReason.Replay) == 1
            && net.Transports[0].Counters.Dropped(PacketDropReason.Truncated) == 1));
        Assert.Single(net.Sinks[0].Frames);
    }

    [Fact]
    public async Task An_envelope_from_a_listed_address_naming_another_member_is_a_source_mismatch()
    {
        await using var net = TransportHarness.Start(TransportKind.Udpu, 3, crypto: true, only: [1]);
        using var envelope = new CryptoEnvelope(new CryptoOptions(TransportHarness.Key, "harness"), new NodeId(3), [new NodeId(3)], 5);
        var packet = new byte[CryptoEnvelope.SealedLength(3)];
        envelope.Seal("abc"u8, packet);
        using var wire = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        wire.Bind(new IPEndPoint(LoopbackNet.Address(2), 0)); // node 2's address, node 3's envelope
        wire.SendTo(packet, new IPEndPoint(LoopbackNet.Address(1), net.Template.Port));
        Assert.True(LoopbackNet.Eventually(() => net.Transports[0].Counters.Dropped(PacketDropReason.SourceMismatch) == 1));
        Assert.Empty(net.Sinks[0].Frames);
    }

    [Fact]
    public async Task Without_crypto_udpu_sends_the_bare_frame_as_corosync_does()
    {
        await using var net = TransportHarness.Start(TransportKind.Udpu, 2, crypto: false, only: [1]);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peer.Bind(new IPEndPoint(LoopbackNet.Address(2), net.Template.Port));
        peer.ReceiveTimeout = 5000;
        byte[] frame = [0x70, 0xC0, 3, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        net.Transports[0].SendTo(new NodeId(2), frame);
        var buffer = new byte[100];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = peer.ReceiveFrom(buffer, ref from);
        Assert.Equal(frame, buffer[..n]);
        Assert.Equal(new IPEndPoint(LoopbackNet.Address(1), net.Template.Port), from); // tokens go port to port
    }

    [Fact]
    public async Task Udpu_logs_the_corosync_start_up_lines()
    {
        await using var net = TransportHarness.Start(TransportKind.Udpu, 2, crypto: false, only: [1]);
        Assert.True(net.Logs[0].Contains("Initializing transport (UDP/IP Unicast)."));
        Assert.True(net.Logs[0].Contains("The network interface [127.0.0.1] is now up."));
        Assert.True(net.Logs[0].Contains("adding new UDPU member {127.0.0.2}"));
    }

    [Fact]
    public async Task Counters_count_sent_and_accepted_datagrams()
    {
        await using var net = TransportHarness.Start(TransportKind.Udpu, 2, crypto: true);
        net.Transports[0].Broadcast("x"u8);
        Assert.True(LoopbackNet.Eventually(() => net.Sinks.All(s => s.Count == 1)));
        var snapshot = net.Transports[0].Counters.Snapshot();
        Assert.Equal(2, snapshot.Sent);
        Assert.Equal(1, snapshot.Accepted);
        Assert.Equal(0, snapshot.TotalDropped);
    }

    [Fact]
    public async Task A_bind_failure_names_the_socket_and_address()
    {
        await using var net = TransportHarness.Start(TransportKind.Udpu, 2, crypto: false, only: [1]);
        await using var twin = new UdpuTransport(net.Template, new ListLogger(), 0);
        var error = Assert.Throws<TransportException>(() => twin.Start((_, _) => { }));
        Assert.Contains($"receive socket to 127.0.0.1:{net.Template.Port}", error.Message, StringComparison.Ordinal);
    }
}
