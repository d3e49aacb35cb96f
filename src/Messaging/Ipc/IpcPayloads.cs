namespace Cluster.Messaging.Ipc;

// The data records the JSON protocol's requests, replies and callbacks carry.

public sealed record CmapItem(string Key, string Type, string Value);

public sealed record CpgMemberInfo(uint NodeId, uint Pid, uint Reason);

public sealed record CpgGroupInfo(string Group, List<CpgMemberInfo> Members);

public sealed record QuorumMemberInfo(uint NodeId, uint Votes, string? Name, string Address);

/// <summary>What corosync-quorumtool -s needs.</summary>
public sealed record QuorumInfo(
    uint LocalNode, string RingId, bool Quorate, uint ExpectedVotes, uint HighestExpected, uint TotalVotes, uint Quorum,
    bool TwoNode, bool WaitForAll, bool WaitForAllStatus, bool LastManStanding, bool AutoTieBreaker, bool AllowDownscale,
    List<QuorumMemberInfo> Members);

public sealed record CfgNodeLink(uint NodeId, string State, bool Enabled, bool Connected, string? RemoteAddress);

public sealed record CfgLinkInfo(int Link, string Address, string LinkTransport, List<CfgNodeLink> Nodes);

/// <summary>What corosync-cfgtool -s / -n need.</summary>
public sealed record CfgInfo(uint LocalNode, string Transport, List<CfgLinkInfo> Links, Dictionary<string, long> Dropped, uint Mtu);
