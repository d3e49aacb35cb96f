using System.Collections.Immutable;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Cpg;

/// <summary>A process in a group: node, pid and, in change lists, why it is there.</summary>
public readonly record struct CpgAddress(NodeId Node, uint Pid, CpgReason Reason = CpgReason.Undefined);

/// <summary>Membership of a group changed: the members after the change, who left and who joined.</summary>
public sealed record CpgConfigurationChangedEvent(
    string Group,
    ImmutableArray<CpgAddress> Members,
    ImmutableArray<CpgAddress> Left,
    ImmutableArray<CpgAddress> Joined) : ClientEvent;

/// <summary>A message multicast to a group, in the cluster's total order.</summary>
public sealed record CpgMessageEvent(string Group, NodeId Node, uint Pid, byte[] Payload) : ClientEvent;

/// <summary>The ring changed (CPG model v1 totem confchg): its id and members.</summary>
public sealed record CpgTotemChangedEvent(RingId RingId, ImmutableArray<NodeId> Members) : ClientEvent;
