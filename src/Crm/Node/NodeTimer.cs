using Cluster.Crm.Controller;

namespace Cluster.Crm.Node;

/// <summary>The timers of one node's Pacemaker, as keys the shell's loop timers use.</summary>
public abstract record NodeTimer;

/// <summary>One of the controller's timers (dc-deadtime, election, integration).</summary>
public sealed record ControllerTimerKey(ControllerTimer Timer) : NodeTimer;

/// <summary>An action of the running transition that has not reported (timeout plus cluster-delay).</summary>
public sealed record ActionTimerKey(int TransitionId, int ActionId) : NodeTimer;

/// <summary>cluster-recheck-interval: run the scheduler even when nothing changed (failure-timeout expiry, time rules).</summary>
public sealed record RecheckTimerKey : NodeTimer;

/// <summary>attrd's dampening of one attribute: when it fires the writer writes the latest values.</summary>
public sealed record DampeningTimerKey(string Name) : NodeTimer;
