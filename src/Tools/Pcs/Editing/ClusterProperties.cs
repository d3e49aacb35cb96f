using System.Globalization;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>How a cluster property's value is checked (pcs 0.11.5 validates what pacemaker-schedulerd/controld advertise).</summary>
public enum PropertyType
{
    Boolean,
    Enum,
    Integer,
    Time,
    Score,
    Percentage,
    Text,
}

/// <summary>One cluster option with its default (<c>pcs property config --all</c>).</summary>
public sealed record ClusterProperty(string Name, string Default, PropertyType Type, IReadOnlyList<string>? Allowed = null, bool ReadOnly = false);

/// <summary>The cluster options of Pacemaker 2.1.5 as pcs 0.11.5 knows them, and pcs's validation of a new value.</summary>
public static class ClusterProperties
{
    public static IReadOnlyList<ClusterProperty> All { get; } =
    [
        new("batch-limit", "0", PropertyType.Integer),
        new("cluster-delay", "60s", PropertyType.Time),
        new("cluster-infrastructure", "", PropertyType.Text, ReadOnly: true),
        new("cluster-ipc-limit", "500", PropertyType.Integer),
        new("cluster-name", "", PropertyType.Text, ReadOnly: true),
        new("cluster-recheck-interval", "15min", PropertyType.Time),
        new("concurrent-fencing", "false", PropertyType.Boolean),
        new("dc-deadtime", "20s", PropertyType.Time),
        new("dc-version", "", PropertyType.Text, ReadOnly: true),
        new("election-timeout", "2min", PropertyType.Time),
        new("enable-acl", "false", PropertyType.Boolean),
        new("enable-startup-probes", "true", PropertyType.Boolean),
        new("fence-reaction", "stop", PropertyType.Enum, ["stop", "panic"]),
        new("have-watchdog", "false", PropertyType.Boolean, ReadOnly: true),
        new("join-finalization-timeout", "30min", PropertyType.Time),
        new("join-integration-timeout", "3min", PropertyType.Time),
        new("load-threshold", "80%", PropertyType.Percentage),
        new("maintenance-mode", "false", PropertyType.Boolean),
        new("migration-limit", "-1", PropertyType.Integer),
        new("no-quorum-policy", "stop", PropertyType.Enum, ["demote", "freeze", "ignore", "stop", "suicide"]),
        new("node-action-limit", "0", PropertyType.Integer),
        new("node-health-base", "0", PropertyType.Score),
        new("node-health-green", "0", PropertyType.Score),
        new("node-health-red", "-INFINITY", PropertyType.Score),
        new("node-health-strategy", "none", PropertyType.Enum, ["custom", "migrate-on-red", "none", "only-green", "progressive"]),
        new("node-health-yellow", "0", PropertyType.Score),
        new("pe-error-series-max", "-1", PropertyType.Integer),
        new("pe-input-series-max", "4000", PropertyType.Integer),
        new("pe-warn-series-max", "5000", PropertyType.Integer),
        new("placement-strategy", "default", PropertyType.Enum, ["balanced", "default", "minimal", "utilization"]),
        new("priority-fencing-delay", "0", PropertyType.Time),
        new("remove-after-stop", "false", PropertyType.Boolean),
        new("shutdown-escalation", "20min", PropertyType.Time),
        new("shutdown-lock", "false", PropertyType.Boolean),
        new("shutdown-lock-limit", "0", PropertyType.Time),
        new("start-failure-is-fatal", "true", PropertyType.Boolean),
        new("startup-fencing", "true", PropertyType.Boolean),
        new("stonith-action", "reboot", PropertyType.Enum, ["off", "poweroff", "reboot"]),
        new("stonith-enabled", "true", PropertyType.Boolean),
        new("stonith-max-attempts", "10", PropertyType.Integer),
        new("stonith-timeout", "60s", PropertyType.Time),
        new("stonith-watchdog-timeout", "0", PropertyType.Text),
        new("stop-all-resources", "false", PropertyType.Boolean),
        new("stop-orphan-actions", "true", PropertyType.Boolean),
        new("stop-orphan-resources", "true", PropertyType.Boolean),
        new("symmetric-cluster", "true", PropertyType.Boolean),
        new("transition-delay", "0s", PropertyType.Time),
    ];

    public static ClusterProperty? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    private static readonly string[] Booleans = ["0", "1", "false", "n", "no", "off", "on", "true", "y", "yes"];

    /// <summary>pcs's error for name=value (without the ", use --force to override" tail), or null when valid.</summary>
    public static string? Validate(string name, string value)
    {
        var p = Find(name);
        if (p is null || p.ReadOnly)
            return $"invalid cluster property option '{name}', allowed options are: "
                   + string.Join(", ", All.Where(a => !a.ReadOnly).Select(a => $"'{a.Name}'"));
        if (value.Length == 0) return null;
        bool ok = p.Type switch
        {
            PropertyType.Boolean => Booleans.Contains(value.ToLowerInvariant()),
            PropertyType.Enum => p.Allowed!.Contains(value),
            PropertyType.Integer => Cluster.Crm.Cib.Score.TryParseStrict(value, out _),
            PropertyType.Time => Cluster.Crm.Cib.Duration.ParseMs(value) is not null,
            PropertyType.Score => Cluster.Crm.Cib.Score.TryParseStrict(value, out _),
            PropertyType.Percentage => value.EndsWith('%') && int.TryParse(value[..^1], out var pct) && pct >= 0,
            _ => true,
        };
        if (ok) return null;
        var use = p.Type switch
        {
            PropertyType.Boolean => "a pacemaker boolean value: " + string.Join(", ", Booleans.Select(b => $"'{b}'")),
            PropertyType.Enum => string.Join(", ", p.Allowed!.Select(a => $"'{a}'")),
            PropertyType.Integer => "an integer or INFINITY or -INFINITY",
            PropertyType.Time => "time interval (e.g. 1, 2s, 3m, 4h, ...)",
            PropertyType.Score => "an integer or INFINITY or -INFINITY",
            PropertyType.Percentage => "a non-negative integer followed by '%' (e.g. 0%, 50%, 200%, ...)",
            _ => "a valid value",
        };
        return $"'{value}' is not a valid {name} value, use {use}";
    }
}
