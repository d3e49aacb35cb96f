using Cluster.Crm.Graph;

namespace Cluster.Crm.Controller;

/// <summary>A scheduler result for the controller: the transition graph to run.</summary>
public sealed record TransitionPlan(TransitionGraph Graph) : ITransitionPlan
{
    public bool IsEmpty => Graph.Synapses.Count == 0;
}
