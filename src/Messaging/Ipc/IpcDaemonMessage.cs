using System.Text.Json.Serialization;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// What the daemon sends a client on our JSON socket: a reply to a request (an
/// <see cref="IpcReply"/>, matched by <see cref="IpcReply.Seq"/>) or a callback the client asked
/// for by tracking or joining (an <see cref="IpcCallback"/>). The <c>op</c> member names the record.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = IpcOps.Discriminator)]
[JsonDerivedType(typeof(StatusReply), "reply")]
[JsonDerivedType(typeof(CmapValueReply), "reply.cmap.value")]
[JsonDerivedType(typeof(CmapItemsReply), "reply.cmap.items")]
[JsonDerivedType(typeof(CmapTrackReply), "reply.cmap.track")]
[JsonDerivedType(typeof(QuorumStatusReply), "reply.quorum.status")]
[JsonDerivedType(typeof(CpgInitReply), "reply.cpg.init")]
[JsonDerivedType(typeof(CpgMembersReply), "reply.cpg.members")]
[JsonDerivedType(typeof(CpgGroupsReply), "reply.cpg.groups")]
[JsonDerivedType(typeof(CfgStatusReply), "reply.cfg.status")]
[JsonDerivedType(typeof(CmapTrackCallback), "cmap.event")]
[JsonDerivedType(typeof(QuorumEventCallback), "quorum.event")]
[JsonDerivedType(typeof(CpgConfchgCallback), "cpg.confchg")]
[JsonDerivedType(typeof(CpgDeliverCallback), "cpg.deliver")]
[JsonDerivedType(typeof(CpgTotemCallback), "cpg.totem")]
public abstract record IpcDaemonMessage;
