using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cluster.Messaging.Config;

/// <summary>One <c>nodelist { node { } }</c> block.</summary>
public sealed record NodeConfig(ConfSettings Values)
{
    /// <summary>The node id; null when absent (allowed for udp/udpu on IPv4, where it is derived from the address).</summary>
    public uint? NodeId => Values.U32("nodeid") is { } id and not 0 ? id : null;

    public string? Name => Values.Str("name");
    public uint QuorumVotes => Values.U32("quorum_votes") ?? 1;

    public string? RingAddress(int link) => Values.Str(string.Create(CultureInfo.InvariantCulture, $"ring{link}_addr"));

    /// <summary>The links this node has an address on (ring0_addr .. ring7_addr), ascending.</summary>
    public IEnumerable<int> Links => Enumerable.Range(0, 8).Where(link => RingAddress(link) is not null);

    /// <summary>
    /// The node id corosync gives a node without one on udp/udpu: its IPv4 ring0 address read as
    /// a big-endian number, with the top bit cleared when <c>clear_node_high_bit: yes</c>
    /// (so 192.168.1.101 gives 3232235877, or 1084752229 with the bit cleared).
    /// </summary>
    public static uint DeriveNodeId(IPAddress ipv4, bool clearHighBit)
    {
        ArgumentNullException.ThrowIfNull(ipv4);
        if (ipv4.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException($"a node id can only be derived from an IPv4 address, not {ipv4}", nameof(ipv4));
        var id = BinaryPrimitives.ReadUInt32BigEndian(ipv4.GetAddressBytes());
        return clearHighBit ? id & 0x7fffffffu : id;
    }
}
