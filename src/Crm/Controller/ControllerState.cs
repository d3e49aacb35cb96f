namespace Cluster.Crm.Controller;

/// <summary>The controller FSA's states, named as Pacemaker's controller (crmd) names them in its logs.</summary>
public enum ControllerState
{
    S_STARTING,
    S_PENDING,
    S_ELECTION,
    S_INTEGRATION,
    S_FINALIZE_JOIN,
    S_POLICY_ENGINE,
    S_TRANSITION_ENGINE,
    S_IDLE,
    S_NOT_DC,
    S_RELEASE_DC,
    S_STOPPING,
    S_TERMINATE,
}
