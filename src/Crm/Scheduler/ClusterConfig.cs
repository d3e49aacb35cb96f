using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>Cluster options (crm_config) as the scheduler reads them.</summary>
public sealed record ClusterConfig(
    bool StonithEnabled,
    string StonithAction,
    bool SymmetricCluster,
    string NoQuorumPolicy,
    bool MaintenanceMode,
    bool StartFailureIsFatal,
    bool StartupFencing,
    bool StopOrphanResources,
    bool StopAllResources,
    bool ConcurrentFencing,
    Score DefaultStickiness,
    bool? IsManagedDefault)
{
    public static ClusterConfig From(IReadOnlyDictionary<string, string> p)
    {
        string? G(string n) => p.TryGetValue(n, out var v) ? v : null;
        bool Bool(string n, bool d) => G(n) is { } v ? Truth.IsTrue(v) : d;
        var action = G("stonith-action") ?? "reboot";
        if (action == "poweroff") action = "off";
        return new ClusterConfig(
            Bool("stonith-enabled", true), action, Bool("symmetric-cluster", true),
            (G("no-quorum-policy") ?? "stop").ToLowerInvariant(), Bool("maintenance-mode", false),
            Bool("start-failure-is-fatal", true), Bool("startup-fencing", true), Bool("stop-orphan-resources", true),
            Bool("stop-all-resources", false), Bool("concurrent-fencing", false),
            Score.Parse(G("default-resource-stickiness") ?? "0"),
            G("is-managed-default") is { } m ? Truth.IsTrue(m) : null)
        { StopOrphanActions = Bool("stop-orphan-actions", true) };
    }

    /// <summary>stop-orphan-actions: cancel recurring operations no longer configured.</summary>
    public bool StopOrphanActions { get; init; } = true;
}
