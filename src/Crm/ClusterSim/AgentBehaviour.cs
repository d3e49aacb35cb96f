namespace Cluster.Crm.ClusterSim;

/// <summary>What a scripted agent does when the executor runs one of its actions.</summary>
public enum AgentBehaviour
{
    /// <summary>Does what it is asked promptly (a monitor reports the simulated real state).</summary>
    Succeed,

    /// <summary>Exits with OCF_ERR_GENERIC; a failed stop leaves the resource running.</summary>
    Fail,

    /// <summary>Never exits: the executor's timeout kills it (a killed start may have started the resource).</summary>
    Hang,

    /// <summary>Succeeds, but takes seconds, sometimes past its timeout.</summary>
    Slow,
}
