using System.Collections.Immutable;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Quorum;

/// <summary>One member as corosync-quorumtool lists it.</summary>
public sealed record QuorumMember(NodeId Node, uint Votes, NodeState State);

/// <summary>A snapshot of votequorum's state: what corosync-quorumtool -s shows and clients read.</summary>
public sealed record QuorumStatus(
    NodeId LocalNode,
    RingId RingId,
    bool Quorate,
    uint ExpectedVotes,
    uint HighestExpected,
    uint TotalVotes,
    uint Quorum,
    bool TwoNode,
    bool WaitForAll,
    bool WaitForAllStatus,
    bool LastManStanding,
    bool AutoTieBreaker,
    bool AllowDownscale,
    ImmutableArray<QuorumMember> Members);
