namespace Cluster.TestSupport.Cib;

/// <summary>The membership state a generated node is written in.</summary>
public enum GeneratedNodeState
{
    /// <summary>In membership, controller up, joined.</summary>
    Online,

    /// <summary>Online with the permanent node attribute standby=on.</summary>
    Standby,

    /// <summary>Cleanly shut down (expected down).</summary>
    Offline,

    /// <summary>Left membership while expected to be a member: must be fenced.</summary>
    Unclean,
}
