using System.Collections.Immutable;

namespace Cluster.Messaging.Totem;

/// <summary>Which of the two EVS configuration changes this is.</summary>
public enum ConfigurationKind
{
    /// <summary>The survivors of the old ring, delivered first after a membership change.</summary>
    Transitional,
    /// <summary>The new ring's full membership.</summary>
    Regular,
}

/// <summary>
/// A configuration change as Totem delivers it to the layers above (services, sync, CPG):
/// the same on every member, at the same point in the total order.
/// </summary>
public sealed record ConfigurationChange(
    ConfigurationKind Kind,
    RingId RingId,
    ImmutableArray<NodeId> Members,
    ImmutableArray<NodeId> Left,
    ImmutableArray<NodeId> Joined);

/// <summary>An application message delivered in agreed (total) order.</summary>
public sealed record Delivery(NodeId Sender, ReadOnlyMemory<byte> Payload);
