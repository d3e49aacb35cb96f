namespace Cluster.Messaging.Config;

/// <summary>The <c>system { }</c> section with corosync 3.1 defaults.</summary>
public sealed record SystemConfig(ConfSettings Values)
{
    /// <summary>As written (absolute; lives under HA_ROOT when used).</summary>
    public string StateDir => Values.Str("state_dir") ?? "/var/lib/corosync";

    public string QbIpcType => Values.Str("qb_ipc_type") ?? "native";
    public bool SchedRr => Values.Flag("sched_rr") ?? true;
    public string Priority => Values.Str("priority") ?? "max";
    public string MoveToRootCgroup => Values.Str("move_to_root_cgroup") ?? "auto";
    public bool AllowKnetHandleFallback => Values.Flag("allow_knet_handle_fallback") ?? false;
}
