using Cluster.Crm.Graph;

namespace Cluster.Crm.Controller;

/// <summary>What the DC's <see cref="TransitionEngine"/> asks its shell to do.</summary>
public abstract record TransitionEffect;

/// <summary>Run a resource action on <paramref name="Node"/> (through that node's controller).</summary>
public sealed record DispatchAction(string Node, ActionRequest Request) : TransitionEffect;

/// <summary>Run a cluster action (fencing, shutdown, clearing a fail count) and report it with <see cref="TransitionEngine.OnResult"/>.</summary>
public sealed record RunClusterAction(GraphAction Action, TransitionKey Key) : TransitionEffect;

/// <summary>Arm the action's timer (its timeout plus cluster-delay): a result that never comes counts as a failure.</summary>
public sealed record ArmActionTimer(int TransitionId, int ActionId, TimeSpan After) : TransitionEffect;

/// <summary>How a transition ended.</summary>
public enum TransitionOutcome
{
    /// <summary>Every action completed as expected.</summary>
    Completed,
    /// <summary>An action failed or gave an unexpected result.</summary>
    Failed,
    /// <summary>Stopped from the outside (CIB change, node loss, election).</summary>
    Cancelled,
    /// <summary>Its remaining actions wait on each other.</summary>
    Stalled,
}

/// <summary>The transition ended (nothing is in flight any more).</summary>
public sealed record TransitionDone(int TransitionId, TransitionOutcome Outcome, string Detail) : TransitionEffect;
