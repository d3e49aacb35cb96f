using System.Collections.Immutable;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Sync;

/// <summary>
/// What a service learns at sync start: the new ring and its members, the members that came
/// through from the previous ring (transitional), and who left or joined relative to it.
/// </summary>
public sealed record SyncContext(
    RingId RingId,
    ImmutableArray<NodeId> Members,
    ImmutableArray<NodeId> Transitional,
    ImmutableArray<NodeId> Left,
    ImmutableArray<NodeId> Joined);
