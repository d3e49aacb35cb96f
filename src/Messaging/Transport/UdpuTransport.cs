using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Cluster.Messaging.Config;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Transport <c>udpu</c> (messaging-spec §4.4): one socket bound to the local address and
/// mcastport receives everything and sends tokens (port to port); "multicast" is a unicast copy
/// to every nodelist address, the local node included, from a second socket on an ephemeral port.
/// Without crypto the datagrams are bare Totem frames, as real corosync sends them.
/// </summary>
public sealed class UdpuTransport : DatagramTransport
{
    private Socket? _receive;
    private Socket? _fanout;
    private FrozenDictionary<NodeId, SocketAddress> _peers = FrozenDictionary<NodeId, SocketAddress>.Empty;
    private SocketAddress[] _all = [];

    public UdpuTransport(TransportOptions options, ILogger logger, ulong cryptoEpoch)
        : base(options, logger, cryptoEpoch)
    {
        if (options.Kind != TransportKind.Udpu)
            throw new ArgumentException($"options are for transport {options.Kind}, not udpu", nameof(options));
    }

    public override IReadOnlyList<LinkStatus> Links =>
        [.. Options.Nodes.Where(n => n.Key != LocalNode)
            .Select(n => new LinkStatus(n.Key, 0, new IPEndPoint(n.Value[0], Options.Port), Connected: true, Active: true))];

    protected override void OpenSockets()
    {
        var local = Options.LocalAddress(0);
        Logger.LogInformation("Initializing transport (UDP/IP Unicast).");
        _receive = NewUdpSocket(local.AddressFamily);
        Bind(_receive, new IPEndPoint(local, Options.Port), "receive");
        _fanout = NewUdpSocket(local.AddressFamily);
        // Bound to the local address so peers see the configured source address, not whatever
        // the routing table would pick (on loopback that would be 127.0.0.1 for every node).
        Bind(_fanout, new IPEndPoint(local, 0), "multicast fan-out");
        Logger.LogInformation("The network interface [{Address}] is now up.", local);
        _peers = Options.Nodes.ToFrozenDictionary(n => n.Key, n => new IPEndPoint(n.Value[0], Options.Port).Serialize());
        foreach (var (id, addresses) in Options.Nodes)
        {
            if (id != LocalNode) Logger.LogInformation("adding new UDPU member {{{Address}}}", addresses[0]);
        }
        _all = [.. Options.Nodes.Keys.Select(id => _peers[id])];
        AddReceiver(_receive, $"udpu-rx-{LocalNode}", Accept);
    }

    public override void SendTo(NodeId target, ReadOnlySpan<byte> frame)
    {
        if (!_peers.TryGetValue(target, out var address))
            throw new ArgumentException($"node {target} is not in the nodelist", nameof(target));
        SendProtected(_receive!, frame, [address]);
    }

    public override void Broadcast(ReadOnlySpan<byte> frame) => SendProtected(_fanout!, frame, _all);

    protected override void DisposeSockets() => _fanout?.Dispose();
}
