using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Plain values a transport needs; the daemon maps the parsed corosync.conf onto them.
/// <see cref="Nodes"/> gives each node's link addresses in link order (ring0_addr, ring1_addr, ...).
/// </summary>
public sealed record TransportOptions
{
    public const int DefaultPort = 5405;
    public const int MaxLinks = 8;

    public required TransportKind Kind { get; init; }

    public required NodeId LocalNode { get; init; }

    public required ImmutableSortedDictionary<NodeId, ImmutableArray<IPAddress>> Nodes { get; init; }

    /// <summary>mcastport: the receive port of every node (udp sends from Port-1).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>Local address per link (resolved bindnetaddr); empty: the local node's own nodelist addresses.</summary>
    public ImmutableArray<IPAddress> BindAddresses { get; init; } = [];

    /// <summary>udp only: the multicast group (mcastaddr).</summary>
    public IPAddress? MulticastAddress { get; init; }

    /// <summary>udp only: multicast TTL (ttl), 1 by default.</summary>
    public int MulticastTtl { get; init; } = 1;

    /// <summary>Drop datagrams whose source is no configured member's address (block_unlisted_ips, default yes).</summary>
    public bool BlockUnlistedIps { get; init; } = true;

    /// <summary>Crypto on when set (crypto_cipher/crypto_hash not none, or secauth: on).</summary>
    public CryptoOptions? Crypto { get; init; }

    /// <summary>knet only: how often each link is pinged (knet_ping_interval).</summary>
    public TimeSpan KnetPingInterval { get; init; } = TimeSpan.FromMilliseconds(750);

    /// <summary>knet only: a link with no pong for this long is down (knet_ping_timeout).</summary>
    public TimeSpan KnetPingTimeout { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Largest datagram accepted or sent (UDP payload limit).</summary>
    public int MaxDatagramSize { get; init; } = 65507;

    public int LinkCount => Kind == TransportKind.Knet ? Nodes[LocalNode].Length : 1;

    /// <summary>The local address of <paramref name="link"/>.</summary>
    public IPAddress LocalAddress(int link) =>
        link < BindAddresses.Length ? BindAddresses[link] : Nodes[LocalNode][link];

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending field.</summary>
    public void Validate()
    {
        if (Nodes.Count == 0)
            throw new ArgumentException("the nodelist is empty", nameof(Nodes));
        if (!Nodes.TryGetValue(LocalNode, out var local))
            throw new ArgumentException($"local node id {LocalNode} is not in the nodelist", nameof(LocalNode));
        foreach (var (id, addresses) in Nodes)
        {
            if (id.Value == 0)
                throw new ArgumentException("node id 0 is not allowed in the nodelist", nameof(Nodes));
            if (addresses.IsDefaultOrEmpty)
                throw new ArgumentException($"node {id} has no address", nameof(Nodes));
            if (addresses.Length > MaxLinks)
                throw new ArgumentException($"node {id} has {addresses.Length} addresses; at most {MaxLinks} links are supported", nameof(Nodes));
            if (Kind != TransportKind.Knet && addresses.Length > 1)
                throw new ArgumentException($"node {id} has {addresses.Length} addresses; transport {Kind.ToString().ToLowerInvariant()} supports one link", nameof(Nodes));
            if (Kind == TransportKind.Knet && addresses.Length != local.Length)
                throw new ArgumentException($"node {id} has {addresses.Length} links but the local node has {local.Length}", nameof(Nodes));
        }
        if (Port is < 1 or > 65535 || (Kind == TransportKind.Udp && Port < 2))
            throw new ArgumentException($"port {Port} is out of range", nameof(Port));
        if (BindAddresses.Length > LinkCount)
            throw new ArgumentException($"{BindAddresses.Length} bind addresses given for {LinkCount} links", nameof(BindAddresses));
        if (Kind == TransportKind.Udp)
        {
            if (MulticastAddress is null)
                throw new ArgumentException("transport udp needs a multicast address (mcastaddr)", nameof(MulticastAddress));
            if (MulticastAddress.AddressFamily != AddressFamily.InterNetwork || !IsIPv4Multicast(MulticastAddress))
                throw new ArgumentException($"mcastaddr {MulticastAddress} is not an IPv4 multicast address", nameof(MulticastAddress));
            if (MulticastTtl is < 0 or > 255)
                throw new ArgumentException($"ttl {MulticastTtl} is out of range 0..255", nameof(MulticastTtl));
        }
        if (KnetPingInterval <= TimeSpan.Zero || KnetPingTimeout <= KnetPingInterval)
            throw new ArgumentException("knet ping timeout must be longer than the (positive) ping interval", nameof(KnetPingTimeout));
        Crypto?.Validate();
    }

    private static bool IsIPv4Multicast(IPAddress address) => (address.GetAddressBytes()[0] & 0xF0) == 0xE0;
}
