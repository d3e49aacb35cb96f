namespace Cluster.Messaging.Ipc;

/// <summary>
/// The answer to one request: <see cref="Seq"/> is the request's, <see cref="Error"/> a
/// cs_error_t name (CS_OK on success) and, for a refused or unreadable request, <see cref="Detail"/>
/// says why in words. A reply with an error is always a <see cref="StatusReply"/>.
/// </summary>
public abstract record IpcReply : IpcDaemonMessage
{
    public const string Ok = "CS_OK";

    public long Seq { get; init; }
    public string Error { get; init; } = Ok;
    public string? Detail { get; init; }
}

/// <summary>Only the outcome (set, delete, join, ... and every error).</summary>
public sealed record StatusReply : IpcReply;

public sealed record CmapValueReply(string Key, string Type, string Value) : IpcReply;

public sealed record CmapItemsReply(List<CmapItem> Items) : IpcReply;

public sealed record CmapTrackReply(long TrackId) : IpcReply;

public sealed record QuorumStatusReply(QuorumInfo Quorum) : IpcReply;

/// <summary>This node's id (cpg_local_get).</summary>
public sealed record CpgInitReply(uint NodeId) : IpcReply;

public sealed record CpgMembersReply(List<CpgMemberInfo> Members) : IpcReply;

public sealed record CpgGroupsReply(List<CpgGroupInfo> Groups) : IpcReply;

public sealed record CfgStatusReply(CfgInfo Cfg) : IpcReply;
