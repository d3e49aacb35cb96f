using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Called for every datagram that passed the transport's checks (source, envelope, replay).
/// <paramref name="sender"/> is the authenticated sender with crypto on, the owner of the
/// source address without it, or node id 0 when unknown (block_unlisted_ips: no). The frame's
/// memory belongs to the receiver. Called on a transport receive thread.
/// </summary>
public delegate void FrameReceivedHandler(NodeId sender, ReadOnlyMemory<byte> frame);

/// <summary>
/// Moves opaque Totem frames between the nodes of the nodelist (messaging-spec §1, §11.1):
/// a unicast path for the token and a "multicast" path that reaches every member, the sender
/// included. Implementations: <see cref="UdpuTransport"/>, <see cref="UdpMulticastTransport"/>,
/// <see cref="KnetTransport"/>.
/// </summary>
public interface ITransport : IAsyncDisposable
{
    NodeId LocalNode { get; }

    /// <summary>Packets sent, accepted and dropped by reason.</summary>
    PacketCounters Counters { get; }

    /// <summary>Opens the sockets and starts receiving; frames go to <paramref name="onFrame"/>.</summary>
    void Start(FrameReceivedHandler onFrame);

    /// <summary>Sends a frame to one node (the token path).</summary>
    void SendTo(NodeId target, ReadOnlySpan<byte> frame);

    /// <summary>Sends a frame to every configured node, the sender included.</summary>
    void Broadcast(ReadOnlySpan<byte> frame);

    /// <summary>The state of each link to each peer, for status tools (one link for udp/udpu).</summary>
    IReadOnlyList<LinkStatus> Links { get; }

    /// <summary>
    /// Told when every link to a peer went down (false) or one came back (true), on a transport
    /// thread. Only transports that watch their links (knet) call it; set before <see cref="Start"/>.
    /// </summary>
    Action<NodeId, bool>? PeerReachabilityChanged { get; set; }
}
