namespace Cluster.Crm.ClusterSim;

/// <summary>How a simulated cluster is set up for fencing (drawn per seed).</summary>
public enum FencingMode
{
    /// <summary>stonith-enabled=true and a working fence device: fencing crashes (reboots) its target.</summary>
    Device,

    /// <summary>stonith-enabled=true without a device: every fencing request fails, so a lost node's resources stay stopped.</summary>
    NoDevice,

    /// <summary>stonith-enabled=false: a lost node is assumed down.</summary>
    Disabled,
}
