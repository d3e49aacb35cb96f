using System.Collections.Immutable;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Thread-safe packet counters of one transport: frames sent and accepted, and drops by reason.
/// Receive threads increment them; readers take a <see cref="Snapshot"/>.
/// </summary>
public sealed class PacketCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<PacketDropReason>().Length];
    private long _sent;
    private long _accepted;
    private long _sendErrors;

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountAccepted() => Interlocked.Increment(ref _accepted);

    public void CountSendError() => Interlocked.Increment(ref _sendErrors);

    public void CountDrop(PacketDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    /// <summary>
    /// A frame the transport accepted but its receiver then rejected (it does not decode as the
    /// protocol's frame): moved from accepted to <paramref name="reason"/>, so each datagram is
    /// counted once.
    /// </summary>
    public void CountRejected(PacketDropReason reason)
    {
        Interlocked.Decrement(ref _accepted);
        CountDrop(reason);
    }

    public long Dropped(PacketDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    public PacketCountersSnapshot Snapshot()
    {
        var drops = ImmutableSortedDictionary.CreateBuilder<PacketDropReason, long>();
        foreach (var reason in Enum.GetValues<PacketDropReason>())
            drops[reason] = Dropped(reason);
        return new PacketCountersSnapshot(Interlocked.Read(ref _sent), Interlocked.Read(ref _accepted),
            Interlocked.Read(ref _sendErrors), drops.ToImmutable());
    }
}

/// <summary>A point-in-time copy of <see cref="PacketCounters"/>.</summary>
public sealed record PacketCountersSnapshot(
    long Sent,
    long Accepted,
    long SendErrors,
    ImmutableSortedDictionary<PacketDropReason, long> Drops)
{
    public long TotalDropped => Drops.Values.Sum();
}
