using System.Collections.Immutable;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Quorum;

/// <summary>Quorum callback for a tracking client: sent after every sync and on every quorate change.</summary>
public sealed record QuorumChangedEvent(bool Quorate, RingId RingId, ImmutableArray<NodeId> Members) : ClientEvent;
