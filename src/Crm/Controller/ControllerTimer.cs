namespace Cluster.Crm.Controller;

/// <summary>The controller's timers.</summary>
public enum ControllerTimer
{
    /// <summary>dc-deadtime: how long a pending node waits for a DC before calling an election.</summary>
    DcDeadtime,
    /// <summary>election-timeout: a round without a winner is started again.</summary>
    ElectionTimeout,
    /// <summary>join-integration-timeout: the DC goes on with the nodes that answered.</summary>
    IntegrationTimeout,
}
