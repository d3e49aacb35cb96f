using System.Buffers;
using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Cluster.Messaging.Config;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Our own multi-link unicast transport standing in for corosync 3's knet: up to 8 links per
/// node (ring0_addr..ring7_addr), one socket per link bound to the local link address and the
/// port. Every link to every peer is pinged each ping interval; a pong marks it up, no pong
/// within the ping timeout marks it down, each change is logged as knet does, and frames go
/// over the best live link (the lowest-numbered one, knet's passive mode with equal
/// priorities). While a peer has no live link, frames go out on every link so nothing waits
/// for the first pong. Frames to self are handed back in-process.
/// </summary>
public sealed class KnetTransport : DatagramTransport
{
    private readonly TimeProvider _time;
    private readonly object _linkGate = new();
    private readonly NodeId[] _peers;
    private readonly FrozenDictionary<NodeId, int> _peerIndex;
    private readonly PeerLink[,] _state;
    private readonly int[] _best;
    private Socket[] _sockets = [];
    private ITimer? _pingTimer;

    public KnetTransport(TransportOptions options, ILogger logger, ulong cryptoEpoch, TimeProvider time)
        : base(options, logger, cryptoEpoch)
    {
        if (options.Kind != TransportKind.Knet)
            throw new ArgumentException($"options are for transport {options.Kind}, not knet", nameof(options));
        _time = time;
        _peers = [.. options.Nodes.Keys.Where(id => id != options.LocalNode)];
        _peerIndex = _peers.Select((id, i) => (id, i)).ToFrozenDictionary(p => p.id, p => p.i);
        _state = new PeerLink[_peers.Length, options.LinkCount];
        _best = new int[_peers.Length];
        Array.Fill(_best, -1);
        for (var p = 0; p < _peers.Length; p++)
        {
            for (var l = 0; l < options.LinkCount; l++)
            {
                var remote = new IPEndPoint(options.Nodes[_peers[p]][l], options.Port);
                _state[p, l] = new PeerLink(remote, remote.Serialize());
            }
        }
    }

    public override IReadOnlyList<LinkStatus> Links
    {
        get
        {
            lock (_linkGate)
            {
                var list = new List<LinkStatus>();
                for (var p = 0; p < _peers.Length; p++)
                {
                    for (var l = 0; l < Options.LinkCount; l++)
                        list.Add(new LinkStatus(_peers[p], l, _state[p, l].Remote, _state[p, l].Up, _best[p] == l));
                }
                return list;
            }
        }
    }

    protected override void OpenSockets()
    {
        Logger.LogInformation("Initializing transport (Kronosnet-style, {Links} link(s)).", Options.LinkCount);
        _sockets = new Socket[Options.LinkCount];
        for (var l = 0; l < Options.LinkCount; l++)
        {
            var local = Options.LocalAddress(l);
            var socket = NewUdpSocket(local.AddressFamily);
            Bind(socket, new IPEndPoint(local, Options.Port), $"link {l}");
            _sockets[l] = socket;
            var link = l;
            AddReceiver(socket, $"knet-rx-{LocalNode}-{l}", (source, datagram) => OnDatagram(link, source, datagram));
            Logger.LogInformation("link {Link} bound to {Address}:{Port}", l, local, Options.Port);
        }
        _pingTimer = _time.CreateTimer(_ => PingAll(), null, TimeSpan.Zero, Options.KnetPingInterval);
    }

    public override void SendTo(NodeId target, ReadOnlySpan<byte> frame)
    {
        if (target == LocalNode)
        {
            Deliver(LocalNode, frame.ToArray());
            return;
        }
        if (!_peerIndex.TryGetValue(target, out var peer))
            throw new ArgumentException($"node {target} is not in the nodelist", nameof(target));
        SendData(frame, peer);
    }

    public override void Broadcast(ReadOnlySpan<byte> frame)
    {
        for (var p = 0; p < _peers.Length; p++) SendData(frame, p);
        Deliver(LocalNode, frame.ToArray());
    }

    private void SendData(ReadOnlySpan<byte> frame, int peer)
    {
        var length = KnetFrame.HeaderSize + frame.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            KnetFrame.WriteHeader(buffer, KnetFrameType.Data, LocalNode);
            frame.CopyTo(buffer.AsSpan(KnetFrame.HeaderSize));
            var best = Volatile.Read(ref _best[peer]);
            if (best >= 0)
            {
                SendProtected(_sockets[best], buffer.AsSpan(0, length), [_state[peer, best].Address]);
                return;
            }
            for (var l = 0; l < _sockets.Length; l++)
                SendProtected(_sockets[l], buffer.AsSpan(0, length), [_state[peer, l].Address]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnDatagram(int link, IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        if (!Guard.TryAccept(source.Address, datagram, out var sender, out var frame)) return;
        if (!KnetFrame.TryRead(frame, out var type, out var inner, out var reason))
        {
            Counters.CountDrop(reason);
            return;
        }
        if (sender.Value != 0 && inner != sender)
        {
            Counters.CountDrop(PacketDropReason.InnerSenderMismatch);
            return;
        }
        if (!_peerIndex.TryGetValue(inner, out var peer))
        {
            // Unknown ids, and our own id coming back from the network (we never send to ourselves).
            Counters.CountDrop(PacketDropReason.UnknownSender);
            return;
        }
        switch (type)
        {
            case KnetFrameType.Data:
                Deliver(inner, frame.AsMemory(KnetFrame.HeaderSize));
                break;
            case KnetFrameType.Ping:
                Counters.CountAccepted();
                var pong = new byte[KnetFrame.PingSize];
                KnetFrame.WritePing(pong, KnetFrameType.Pong, LocalNode, KnetFrame.ReadStamp(frame), KnetFrame.ReadLink(frame));
                SendProtected(_sockets[link], pong, [source.Serialize()]);
                break;
            case KnetFrameType.Pong:
                Counters.CountAccepted();
                var pongLink = KnetFrame.ReadLink(frame);
                if (pongLink != link)
                {
                    Counters.CountDrop(PacketDropReason.Malformed);
                    return;
                }
                OnPong(peer, link);
                break;
        }
    }

    private void OnPong(int peer, int link)
    {
        lock (_linkGate)
        {
            var state = _state[peer, link];
            state.LastPong = _time.GetTimestamp();
            if (state.Up) return;
            state.Up = true;
            Logger.LogInformation("link: host: {Peer} link: {Link} is up", _peers[peer], link);
            ChooseBest(peer);
        }
    }

    private void PingAll()
    {
        var now = _time.GetTimestamp();
        lock (_linkGate)
        {
            for (var p = 0; p < _peers.Length; p++)
            {
                var changed = false;
                for (var l = 0; l < _sockets.Length; l++)
                {
                    var state = _state[p, l];
                    if (state.Up && _time.GetElapsedTime(state.LastPong, now) > Options.KnetPingTimeout)
                    {
                        state.Up = false;
                        changed = true;
                        Logger.LogInformation("link: host: {Peer} link: {Link} is down", _peers[p], l);
                    }
                }
                if (changed) ChooseBest(p);
            }
        }
        Span<byte> ping = stackalloc byte[KnetFrame.PingSize];
        for (var p = 0; p < _peers.Length; p++)
        {
            for (var l = 0; l < _sockets.Length; l++)
            {
                KnetFrame.WritePing(ping, KnetFrameType.Ping, LocalNode, now, l);
                SendProtected(_sockets[l], ping, [_state[p, l].Address]);
            }
        }
    }

    /// <summary>Called under the link lock after a link of <paramref name="peer"/> changed state.</summary>
    private void ChooseBest(int peer)
    {
        var best = -1;
        for (var l = 0; l < _sockets.Length; l++)
        {
            if (_state[peer, l].Up)
            {
                best = l;
                break;
            }
        }
        if (best == _best[peer]) return;
        var wasReachable = _best[peer] >= 0;
        Volatile.Write(ref _best[peer], best);
        if (best >= 0)
            Logger.LogInformation("host: host: {Peer} (passive) best link: {Link} (pri: 1)", _peers[peer], best);
        else
            Logger.LogWarning("host: host: {Peer} has no active links", _peers[peer]);
        if (wasReachable != best >= 0)
            PeerReachabilityChanged?.Invoke(_peers[peer], best >= 0);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_pingTimer is not null) await _pingTimer.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class PeerLink(IPEndPoint remote, SocketAddress address)
    {
        public IPEndPoint Remote { get; } = remote;
        public SocketAddress Address { get; } = address;
        public bool Up { get; set; }
        public long LastPong { get; set; }
    }
}
