namespace Cluster.Messaging.Totem;

/// <summary>
/// One node's Totem protocol (with packing and fragmentation of application messages), as a
/// sans-IO state machine: inputs are frames, timer expiries and application sends with the
/// current monotonic time; outputs are effects. No sockets, threads or clocks inside.
/// </summary>
public interface ITotemNode
{
    NodeId LocalNode { get; }

    /// <summary>Starts the node: loads <paramref name="persistedRingSequence"/> (0 if none) and enters GATHER.</summary>
    IReadOnlyList<TotemEffect> Start(ulong persistedRingSequence, TimeSpan now);

    /// <summary>A frame received from the network (already authenticated and decrypted by the shell).</summary>
    IReadOnlyList<TotemEffect> OnFrame(ReadOnlySpan<byte> frame, TimeSpan now);

    IReadOnlyList<TotemEffect> OnTimer(TotemTimer timer, TimeSpan now);

    /// <summary>
    /// Queues an application message (0 bytes to 1 MiB) for agreed-order delivery. Returns false
    /// in <paramref name="accepted"/> when the send queue is full (flow control): retry later.
    /// </summary>
    IReadOnlyList<TotemEffect> Submit(ReadOnlyMemory<byte> message, TimeSpan now, out bool accepted);

    /// <summary>
    /// The transport's view of a peer: unreachable once every link to it is down (knet's "has no
    /// active links"), reachable again when one comes back. A member that is unreachable when the
    /// ring re-forms is failed at once instead of after the consensus timeout.
    /// </summary>
    IReadOnlyList<TotemEffect> OnPeerReachability(NodeId peer, bool reachable, TimeSpan now);

    /// <summary>Leaves the ring gracefully so the others re-form without waiting for token loss.</summary>
    IReadOnlyList<TotemEffect> Leave(TimeSpan now);
}
