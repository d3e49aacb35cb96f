using System.Collections.Frozen;
using System.Net;
using System.Net.Sockets;
using Cluster.Messaging.Config;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Transport <c>udp</c> (IPv4 multicast, for old configs): a socket bound to mcastaddr:mcastport
/// and joined to the group on the local interface receives multicasts; a socket bound to the
/// local address and mcastport receives and sends tokens; multicasts leave from local
/// address:mcastport-1 with the configured TTL and loopback on, so the sender receives its own
/// copy as corosync expects.
/// </summary>
public sealed class UdpMulticastTransport : DatagramTransport
{
    private Socket? _group;
    private Socket? _token;
    private Socket? _send;
    private FrozenDictionary<NodeId, SocketAddress> _peers = FrozenDictionary<NodeId, SocketAddress>.Empty;
    private SocketAddress? _groupAddress;

    public UdpMulticastTransport(TransportOptions options, ILogger logger, ulong cryptoEpoch)
        : base(options, logger, cryptoEpoch)
    {
        if (options.Kind != TransportKind.Udp)
            throw new ArgumentException($"options are for transport {options.Kind}, not udp", nameof(options));
        if (options.LocalAddress(0).AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("transport udp supports IPv4 only", nameof(options));
    }

    public override IReadOnlyList<LinkStatus> Links =>
        [.. Options.Nodes.Where(n => n.Key != LocalNode)
            .Select(n => new LinkStatus(n.Key, 0, new IPEndPoint(n.Value[0], Options.Port), Connected: true, Active: true))];

    protected override void OpenSockets()
    {
        var local = Options.LocalAddress(0);
        var group = Options.MulticastAddress!;
        Logger.LogInformation("Initializing transport (UDP/IP Multicast).");

        _group = NewUdpSocket(AddressFamily.InterNetwork);
        // Every node on this host binds the same group and port.
        _group.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        Bind(_group, new IPEndPoint(group, Options.Port), "multicast receive");
        try
        {
            _group.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, local));
        }
        catch (SocketException e)
        {
            throw new TransportException($"cannot join multicast group {group} on {local}: {e.Message}", e);
        }

        _token = NewUdpSocket(AddressFamily.InterNetwork);
        Bind(_token, new IPEndPoint(local, Options.Port), "token");

        _send = NewUdpSocket(AddressFamily.InterNetwork);
        Bind(_send, new IPEndPoint(local, Options.Port - 1), "multicast send");
        _send.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, local.GetAddressBytes());
        _send.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, Options.MulticastTtl);
        _send.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);

        Logger.LogInformation("The network interface [{Address}] is now up.", local);
        _peers = Options.Nodes.ToFrozenDictionary(n => n.Key, n => new IPEndPoint(n.Value[0], Options.Port).Serialize());
        _groupAddress = new IPEndPoint(group, Options.Port).Serialize();
        AddReceiver(_group, $"udp-mcast-rx-{LocalNode}", Accept);
        AddReceiver(_token, $"udp-token-rx-{LocalNode}", Accept);
    }

    public override void SendTo(NodeId target, ReadOnlySpan<byte> frame)
    {
        if (!_peers.TryGetValue(target, out var address))
            throw new ArgumentException($"node {target} is not in the nodelist", nameof(target));
        SendProtected(_token!, frame, [address]);
    }

    public override void Broadcast(ReadOnlySpan<byte> frame) => SendProtected(_send!, frame, [_groupAddress!]);

    protected override void DisposeSockets() => _send?.Dispose();
}
