using System.Globalization;

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
}
