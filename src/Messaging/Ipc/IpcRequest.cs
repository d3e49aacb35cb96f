using System.Text.Json.Serialization;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// A request on our JSON client socket (the corosync-* tools and the client library; the real
/// client libraries use the libqb sockets instead). One record per operation; the <c>op</c>
/// member names it on the wire. <see cref="Seq"/> is chosen by the client and echoed in the reply.
/// No request carries a pid: the daemon uses the kernel's peer credentials.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = IpcOps.Discriminator)]
[JsonDerivedType(typeof(CmapGetRequest), "cmap.get")]
[JsonDerivedType(typeof(CmapIterRequest), "cmap.iter")]
[JsonDerivedType(typeof(CmapSetRequest), "cmap.set")]
[JsonDerivedType(typeof(CmapDeleteRequest), "cmap.delete")]
[JsonDerivedType(typeof(CmapDeletePrefixRequest), "cmap.delete_prefix")]
[JsonDerivedType(typeof(CmapTrackRequest), "cmap.track")]
[JsonDerivedType(typeof(QuorumStatusRequest), "quorum.status")]
[JsonDerivedType(typeof(QuorumTrackRequest), "quorum.track")]
[JsonDerivedType(typeof(QuorumSetExpectedRequest), "quorum.set_expected")]
[JsonDerivedType(typeof(QuorumSetVotesRequest), "quorum.set_votes")]
[JsonDerivedType(typeof(CpgInitRequest), "cpg.init")]
[JsonDerivedType(typeof(CpgJoinRequest), "cpg.join")]
[JsonDerivedType(typeof(CpgLeaveRequest), "cpg.leave")]
[JsonDerivedType(typeof(CpgMcastRequest), "cpg.mcast")]
[JsonDerivedType(typeof(CpgMembersRequest), "cpg.members")]
[JsonDerivedType(typeof(CpgGroupsRequest), "cpg.groups")]
[JsonDerivedType(typeof(CfgStatusRequest), "cfg.status")]
[JsonDerivedType(typeof(CfgReloadRequest), "cfg.reload")]
[JsonDerivedType(typeof(CfgKillRequest), "cfg.kill")]
[JsonDerivedType(typeof(CfgShutdownRequest), "cfg.shutdown")]
public abstract record IpcRequest
{
    public long Seq { get; init; }
}

/// <summary>One key's type and value (reply: <see cref="CmapValueReply"/>, or CS_ERR_NOT_EXIST).</summary>
public sealed record CmapGetRequest(string Key) : IpcRequest;

/// <summary>Every key under a prefix (reply: <see cref="CmapItemsReply"/>).</summary>
public sealed record CmapIterRequest(string Prefix) : IpcRequest;

/// <summary>Sets a key; <see cref="Type"/> is a cmap type name (u32, str, ...), <see cref="Value"/> its text.</summary>
public sealed record CmapSetRequest(string Key, string Type, string Value) : IpcRequest;

public sealed record CmapDeleteRequest(string Key) : IpcRequest;

public sealed record CmapDeletePrefixRequest(string Prefix) : IpcRequest;

/// <summary>Tracks a key (or a prefix); changes arrive as <see cref="CmapTrackCallback"/> (reply: <see cref="CmapTrackReply"/>).</summary>
public sealed record CmapTrackRequest(string Key, bool Prefix) : IpcRequest;

/// <summary>What corosync-quorumtool -s shows (reply: <see cref="QuorumStatusReply"/>).</summary>
public sealed record QuorumStatusRequest : IpcRequest;

/// <summary>The current quorum state and every change, as <see cref="QuorumEventCallback"/>.</summary>
public sealed record QuorumTrackRequest : IpcRequest;

public sealed record QuorumSetExpectedRequest(uint ExpectedVotes) : IpcRequest;

/// <summary>Sets a node's votes; node 0 is this node.</summary>
public sealed record QuorumSetVotesRequest(uint NodeId, uint Votes) : IpcRequest;

/// <summary>Registers the connection for CPG (reply: <see cref="CpgInitReply"/>).</summary>
public sealed record CpgInitRequest : IpcRequest;

public sealed record CpgJoinRequest(string Group) : IpcRequest;

public sealed record CpgLeaveRequest(string Group) : IpcRequest;

public sealed record CpgMcastRequest(string Group, byte[] Data) : IpcRequest;

/// <summary>A group's members (reply: <see cref="CpgMembersReply"/>).</summary>
public sealed record CpgMembersRequest(string Group) : IpcRequest;

/// <summary>Every group and its members, for corosync-cpgtool (reply: <see cref="CpgGroupsReply"/>).</summary>
public sealed record CpgGroupsRequest : IpcRequest;

/// <summary>What corosync-cfgtool -s / -n show (reply: <see cref="CfgStatusReply"/>).</summary>
public sealed record CfgStatusRequest : IpcRequest;

public sealed record CfgReloadRequest : IpcRequest;

/// <summary>Asks a node to leave the cluster (corosync-cfgtool -k).</summary>
public sealed record CfgKillRequest(uint NodeId) : IpcRequest;

/// <summary>Shuts this node's corosync down (corosync-cfgtool -H).</summary>
public sealed record CfgShutdownRequest : IpcRequest;
