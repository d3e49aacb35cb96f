namespace Cluster.Crm.Graph;

/// <summary>What the <see cref="GraphEngine"/> asks its shell to do, or tells it.</summary>
public abstract record GraphEffect;

/// <summary>Run this action (an rsc_op on its node, or a crm_event such as fencing) and report its result.</summary>
public sealed record ExecuteAction(GraphAction Action) : GraphEffect;

/// <summary>A pseudo-action whose inputs completed: it is complete too (nothing to run).</summary>
public sealed record PseudoActionCompleted(GraphAction Action) : GraphEffect;

/// <summary>Every action completed successfully.</summary>
public sealed record TransitionCompleted : GraphEffect;

/// <summary>An action failed: nothing new was started, and every action in flight has reported.</summary>
public sealed record TransitionAborted(GraphAction FailedAction, int Rc) : GraphEffect;

/// <summary>Nothing is in flight and no waiting action can ever become ready (its inputs wait on each other).</summary>
public sealed record TransitionStalled(IReadOnlyList<GraphAction> Waiting) : GraphEffect;

/// <summary>The transition was stopped from the outside (<see cref="GraphEngine.Abort"/>) and every action in flight has reported.</summary>
public sealed record TransitionCancelled(string Reason) : GraphEffect;
