using System.Text.Json.Serialization;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// The one message shape on the daemon's client socket (requests, replies and callbacks), so the
/// protocol stays a single source-generated JSON type. <see cref="Op"/> names the request
/// (<c>cmap.get</c>, <c>cpg.join</c>, ...), <c>reply</c>, or the callback (<c>cpg.deliver</c>, ...).
/// Only the fields an op uses are set; nulls are not written.
/// </summary>
public sealed record IpcMessage
{
    public string Op { get; init; } = "";
    public long Seq { get; init; }
    /// <summary>On replies: a cs_error_t name, CS_OK on success.</summary>
    public string? Error { get; init; }

    public string? Key { get; init; }
    public string? Type { get; init; }
    public string? Value { get; init; }
    public bool Prefix { get; init; }
    public long TrackId { get; init; }
    public string? Change { get; init; }
    public List<CmapItem>? Items { get; init; }

    public string? Group { get; init; }
    public uint Pid { get; init; }
    public uint NodeId { get; init; }
    public byte[]? Data { get; init; }
    public List<CpgMemberInfo>? Members { get; init; }
    public List<CpgMemberInfo>? Left { get; init; }
    public List<CpgMemberInfo>? Joined { get; init; }
    public List<CpgGroupInfo>? Groups { get; init; }
    public string? RingId { get; init; }
    public List<uint>? Nodes { get; init; }

    public bool Quorate { get; init; }
    public QuorumInfo? Quorum { get; init; }
    public CfgInfo? Cfg { get; init; }
}

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

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IpcMessage))]
internal sealed partial class IpcJsonContext : JsonSerializerContext;
