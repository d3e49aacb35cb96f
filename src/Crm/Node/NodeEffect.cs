using System.Xml.Linq;
using Cluster.Agents.Invocation;
using Cluster.Crm.CibManager;
using Cluster.Crm.Controller;

namespace Cluster.Crm.Node;

/// <summary>What one node's Pacemaker asks its shell to do (all the I/O there is).</summary>
public abstract record NodeEffect;

/// <summary>Multicast to a CPG group (`cib` or `crmd`).</summary>
public sealed record SendToGroup(string Group, byte[] Payload) : NodeEffect;

/// <summary>Join the `crmd` group: the CIB is synced, the controller may start.</summary>
public sealed record JoinControllerGroup : NodeEffect;

/// <summary>A CIB manager effect for the outside (answer a local client, write cib.xml, notify).</summary>
public sealed record CibOut(CibEffect Effect) : NodeEffect;

public sealed record ArmTimer(NodeTimer Timer, TimeSpan After) : NodeEffect;

public sealed record CancelTimer(NodeTimer Timer) : NodeEffect;

/// <summary>Run the scheduler on <paramref name="Cib"/> (an immutable snapshot) off the loop; answer with <see cref="SchedulerFinished"/>.</summary>
public sealed record StartScheduler(int TransitionId, XElement Cib) : NodeEffect;

/// <summary>
/// Queue an operation on this node's executor; the shell gives the call-id to
/// <see cref="PacemakerNode.Submitted"/> before the next input.
/// </summary>
public sealed record ExecutorSubmit(AgentRequest Agent, ActionRequest For) : NodeEffect;

public sealed record ExecutorCancel(string ResourceId, string Action, TimeSpan Interval) : NodeEffect;

/// <summary>Fence <paramref name="Target"/> (reboot/off) with the configured devices; answer with <see cref="FencingFinished"/>.</summary>
public sealed record FenceNode(string Target, string Action) : NodeEffect;

/// <summary>A log line in Pacemaker's format: daemon, function, level, text.</summary>
public sealed record LogLine(string Daemon, string Function, string Level, string Text) : NodeEffect;

/// <summary>The controller cannot go on (refused at join): stop pacemakerd.</summary>
public sealed record NodeExit(string Reason) : NodeEffect;

/// <summary>Join the `attrd` group (with the controller's, once the CIB is synced).</summary>
public sealed record JoinAttributeGroup : NodeEffect;

/// <summary>
/// The answer to an <see cref="AttributeClientRequest"/>: an error (the request was refused), or
/// for a query the values by node (empty: none), or neither (an update accepted: it takes effect
/// once the `attrd` group delivers it).
/// </summary>
public sealed record AttributeClientReply(long ClientId, long CallId, string? Error, IReadOnlyDictionary<string, string>? Values) : NodeEffect;
