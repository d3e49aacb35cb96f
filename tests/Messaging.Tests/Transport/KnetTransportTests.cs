using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cluster.Messaging.Config;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Transport;

/// <summary>Link monitoring and link choice of the knet-style transport, against a scripted peer.</summary>
public class KnetTransportTests
{
    /// <summary>Node 2 played by raw sockets, one per link, answering pings only while its link is "up".</summary>
    private sealed class ScriptedPeer : IDisposable
    {
        private readonly Socket[] _sockets;
        private readonly Thread[] _threads;
        private volatile bool _stopped;

        public ScriptedPeer(int port, int links, bool answering = true)
        {
            Answering = Enumerable.Repeat(answering, links).ToArray();
            _sockets = new Socket[links];
            _threads = new Thread[links];
            for (var l = 0; l < links; l++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 100 };
                socket.Bind(new IPEndPoint(LoopbackNet.Address(2, l), port));
                _sockets[l] = socket;
                var link = l;
                _threads[l] = new Thread(() => Serve(link)) { IsBackground = true };
                _threads[l].Start();
            }
        }

        public bool[] Answering { get; }

        public ConcurrentQueue<(int Link, byte[] Payload)> Data { get; } = new();

        private void Serve(int link)
        {
            var buffer = new byte[70_000];
            while (!_stopped)
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                int n;
                try
                {
                    n = _sockets[link].ReceiveFrom(buffer, ref from);
                }
                catch (SocketException)
                {
                    continue;
                }
                var frame = buffer.AsSpan(0, n);
                if (!KnetFrame.TryRead(frame, out var type, out _, out _)) continue;
                if (type == KnetFrameType.Data)
                {
                    Data.Enqueue((link, frame[KnetFrame.HeaderSize..].ToArray()));
                }
                else if (type == KnetFrameType.Ping && Answering[link])
                {
                    var pong = new byte[KnetFrame.PingSize];
                    KnetFrame.WritePing(pong, KnetFrameType.Pong, new NodeId(2), KnetFrame.ReadStamp(frame), KnetFrame.ReadLink(frame));
                    _sockets[link].SendTo(pong, from);
                }
            }
        }

        public void Dispose()
        {
            _stopped = true;
            foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(2));
            foreach (var socket in _sockets) socket.Dispose();
        }
    }

    [Fact]
    public async Task Links_come_up_on_pongs_and_the_lowest_live_link_carries_the_frames()
    {
        await using var net = TransportHarness.Start(TransportKind.Knet, 2, crypto: false, links: 2, only: [1]);
        using var peer = new ScriptedPeer(net.Template.Port, 2);
        var log = net.Logs[0];
        Assert.True(LoopbackNet.Eventually(() => log.Contains("link: host: 2 link: 0 is up") && log.Contains("link: host: 2 link: 1 is up")));
        Assert.True(log.Contains("host: host: 2 (passive) best link: 0 (pri: 1)"));
        Assert.Contains(net.Transports[0].Links, l => l.Peer == new NodeId(2) && l.Link == 0 && l.Connected && l.Active);

        net.Transports[0].SendTo(new NodeId(2), "token"u8);
        Assert.True(LoopbackNet.Eventually(() => peer.Data.Any(d => d.Payload.AsSpan().SequenceEqual("token"u8))));
        Assert.All(peer.Data, d => Assert.Equal(0, d.Link));
    }

    [Fact]
    public async Task A_link_without_pongs_goes_down_is_logged_and_traffic_moves_to_the_next_link()
    {
        await using var net = TransportHarness.Start(TransportKind.Knet, 2, crypto: false, links: 2, only: [1]);
        using var peer = new ScriptedPeer(net.Template.Port, 2);
        var log = net.Logs[0];
        var reports = new System.Collections.Concurrent.ConcurrentQueue<(NodeId Peer, bool Reachable)>();
        net.Transports[0].PeerReachabilityChanged = (p, r) => reports.Enqueue((p, r));
        Assert.True(LoopbackNet.Eventually(() => log.Contains("best link: 0")));
        reports.Clear();

        peer.Answering[0] = false;
        Assert.True(LoopbackNet.Eventually(() => log.Contains("link: host: 2 link: 0 is down")));
        Assert.True(LoopbackNet.Eventually(() => log.Contains("host: host: 2 (passive) best link: 1 (pri: 1)")));
        peer.Data.Clear();
        net.Transports[0].Broadcast("after failover"u8);
        Assert.True(LoopbackNet.Eventually(() => peer.Data.Any(d => d.Link == 1 && d.Payload.AsSpan().SequenceEqual("after failover"u8))));
        Assert.True(!peer.Data.Any(d => d.Link == 0), string.Join("\n", log.Lines.Select(l => l.Message)));

        peer.Answering[1] = false;
        Assert.True(LoopbackNet.Eventually(() => log.Contains("host: host: 2 has no active links")));
        peer.Answering[0] = true;
        Assert.True(LoopbackNet.Eventually(() => log.Lines.Count(l => l.Message == "host: host: 2 (passive) best link: 0 (pri: 1)") == 2));
        // Only losing the last link and getting one back change the peer's reachability.
        Assert.Equal([(new NodeId(2), false), (new NodeId(2), true)], reports.ToArray());
    }

    [Fact]
    public async Task Before_any_pong_frames_go_out_on_every_link()
    {
        await using var net = TransportHarness.Start(TransportKind.Knet, 2, crypto: false, links: 2, only: [1]);
        using var peer = new ScriptedPeer(net.Template.Port, 2, answering: false);
        net.Transports[0].SendTo(new NodeId(2), "early"u8);
        Assert.True(LoopbackNet.Eventually(() => peer.Data.Count(d => d.Payload.AsSpan().SequenceEqual("early"u8)) == 2));
    }

    [Fact]
    public async Task A_frame_whose_knet_header_names_another_node_than_its_source_is_dropped()
    {
        await using var net = TransportHarness.Start(TransportKind.Knet, 3, crypto: false, only: [1]);
        using var wire = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        wire.Bind(new IPEndPoint(LoopbackNet.Address(2), 0));
        var frame = new byte[KnetFrame.HeaderSize + 4];
        KnetFrame.WriteHeader(frame, KnetFrameType.Data, new NodeId(3));
        wire.SendTo(frame, new IPEndPoint(LoopbackNet.Address(1), net.Template.Port));
        wire.SendTo(new byte[] { 0x4B, 9, 0, 0, 2, 0, 0, 0 }, new IPEndPoint(LoopbackNet.Address(1), net.Template.Port));
        Assert.True(LoopbackNet.Eventually(() => net.Transports[0].Counters.Dropped(PacketDropReason.InnerSenderMismatch) == 1
            && net.Transports[0].Counters.Dropped(PacketDropReason.Malformed) == 1));
        Assert.Empty(net.Sinks[0].Frames);
    }
}
