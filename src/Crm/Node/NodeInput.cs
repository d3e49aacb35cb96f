using System.Xml.Linq;
using Cluster.Crm.CibManager;
using Cluster.Crm.Execd;
using Cluster.Crm.Graph;

namespace Cluster.Crm.Node;

/// <summary>What one node's Pacemaker (<see cref="PacemakerNode"/>) reacts to.</summary>
public abstract record NodeInput;

/// <summary>An input of the CIB manager: a local client's request, a `cib` group delivery or membership.</summary>
public sealed record CibIn(CibInput Input) : NodeInput;

/// <summary>A message of the `crmd` group from node <paramref name="Sender"/>.</summary>
public sealed record CrmdDelivered(uint Sender, byte[] Payload) : NodeInput;

/// <summary>
/// The `crmd` group's members (controllers that are up), and those CPG reported as joined in this
/// change: a member that was already there and is listed as joined left and came back unseen.
/// </summary>
public sealed record CrmdMembership(IReadOnlyList<uint> Members, IReadOnlyList<uint>? Joined = null) : NodeInput;

/// <summary>Corosync's membership and votequorum's verdict.</summary>
public sealed record QuorumChanged(IReadOnlyList<uint> Members, bool Quorate) : NodeInput;

/// <summary>A timer armed with <see cref="ArmTimer"/> expired.</summary>
public sealed record TimerFired(NodeTimer Timer) : NodeInput;

/// <summary>The scheduler run asked for by <see cref="StartScheduler"/> ended (<paramref name="Graph"/> null on error).</summary>
public sealed record SchedulerFinished(int TransitionId, TransitionGraph? Graph, string? Error, XElement? Input = null) : NodeInput;

/// <summary>The executor reports an operation's result (a recurring one: when it changes).</summary>
public sealed record ExecutorReported(OperationResult Result) : NodeInput;

/// <summary>A fencing operation asked for by <see cref="FenceNode"/> ended.</summary>
public sealed record FencingFinished(string Target, bool Succeeded, string Detail) : NodeInput;

/// <summary>pacemakerd was told to stop (SIGTERM).</summary>
public sealed record ShutdownRequested : NodeInput;

/// <summary>A message of the `attrd` group from node <paramref name="Sender"/>.</summary>
public sealed record AttrdDelivered(uint Sender, byte[] Payload) : NodeInput;

/// <summary>The `attrd` group's members.</summary>
public sealed record AttrdMembership(IReadOnlyList<uint> Members) : NodeInput;

/// <summary>A local attrd client's call (attrd_updater, crm_attribute -l reboot); answered with <see cref="AttributeClientReply"/>.</summary>
public sealed record AttributeClientRequest(long ClientId, long CallId, Attributes.AttributeClientOperation Operation) : NodeInput;
