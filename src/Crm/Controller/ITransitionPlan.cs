namespace Cluster.Crm.Controller;

/// <summary>
/// A scheduler result as the controller sees it. The transition graph and its engine (the
/// GraphEngine shared with crm_simulate) plug in here; the controller only needs to know
/// whether there is anything to do.
/// </summary>
public interface ITransitionPlan
{
    bool IsEmpty { get; }
}
