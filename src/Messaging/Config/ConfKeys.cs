using System.Collections.Frozen;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>
/// The corosync.conf key table: which keys corosync 3.1 knows, and which of them its parser
/// stores with a numeric cmap type (all others are strings). Keys are written in their generic
/// form, without the index of a repeated section: <c>totem.interface.mcastport</c>,
/// <c>nodelist.node.nodeid</c>, <c>logging.logger_subsys.debug</c>.
/// </summary>
public static class ConfKeys
{
    private static readonly FrozenDictionary<string, CmapType> Typed = BuildTyped();

    private static FrozenDictionary<string, CmapType> BuildTyped()
    {
        var map = new Dictionary<string, CmapType>(StringComparer.Ordinal);
        foreach (var key in new[]
                 {
                     "version", "nodeid", "threads", "token", "token_coefficient", "token_retransmit",
                     "token_warning", "hold", "token_retransmits_before_loss_const", "join", "send_join",
                     "consensus", "merge", "downcheck", "fail_recv_const", "seqno_unchanged_const",
                     "heartbeat_failures_allowed", "max_network_delay", "window_size", "max_messages",
                     "miss_count_const", "knet_pmtud_interval", "knet_mtu", "knet_compression_threshold",
                     "netmtu", "rrp_problem_count_timeout", "rrp_problem_count_threshold",
                     "rrp_problem_count_mcast_threshold", "rrp_token_expired_timeout",
                     "rrp_autorecovery_check_timeout",
                 })
            map["totem." + key] = CmapType.UInt32;
        map["totem.knet_compression_level"] = CmapType.Int32;
        map["totem.config_version"] = CmapType.UInt64;
        map["totem.interface.linknumber"] = CmapType.UInt8;
        map["totem.interface.mcastport"] = CmapType.UInt16;
        map["totem.interface.ttl"] = CmapType.UInt8;
        map["totem.interface.knet_link_priority"] = CmapType.UInt8;
        foreach (var key in new[] { "knet_ping_interval", "knet_ping_timeout", "knet_ping_precision", "knet_pong_count" })
            map["totem.interface." + key] = CmapType.UInt32;
        foreach (var key in new[] { "expected_votes", "votes", "last_man_standing_window", "leaving_timeout" })
            map["quorum." + key] = CmapType.UInt32;
        foreach (var key in new[] { "two_node", "expected_votes_tracking", "allow_downscale", "wait_for_all", "auto_tie_breaker", "last_man_standing" })
            map["quorum." + key] = CmapType.UInt8;
        foreach (var key in new[] { "timeout", "sync_timeout", "votes" })
            map["quorum.device." + key] = CmapType.UInt32;
        map["quorum.device.master_wins"] = CmapType.UInt8;
        map["nodelist.node.nodeid"] = CmapType.UInt32;
        map["nodelist.node.quorum_votes"] = CmapType.UInt32;
        // Set by corosync at runtime (u32 in cmap); accepted in the file to name the local node.
        map["nodelist.local_node_pos"] = CmapType.UInt32;
        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Keys of corosync 3.1 itself, per section (generic form); used to warn about typos.</summary>
    private static readonly FrozenSet<string> Known = new[]
    {
        "totem.version", "totem.cluster_name", "totem.transport", "totem.crypto_model", "totem.crypto_cipher",
        "totem.crypto_hash", "totem.keyfile", "totem.key", "totem.link_mode", "totem.netmtu", "totem.ip_version",
        "totem.config_version", "totem.clear_node_high_bit", "totem.nodeid", "totem.token", "totem.token_coefficient",
        "totem.token_retransmit", "totem.token_warning", "totem.hold", "totem.token_retransmits_before_loss_const",
        "totem.join", "totem.send_join", "totem.consensus", "totem.merge", "totem.downcheck", "totem.fail_recv_const",
        "totem.seqno_unchanged_const", "totem.heartbeat_failures_allowed", "totem.max_network_delay",
        "totem.window_size", "totem.max_messages", "totem.miss_count_const", "totem.knet_pmtud_interval",
        "totem.knet_mtu", "totem.knet_compression_model", "totem.knet_compression_threshold",
        "totem.knet_compression_level", "totem.block_unlisted_ips", "totem.cancel_token_hold_on_retransmit",
        "totem.interface.linknumber", "totem.interface.bindnetaddr", "totem.interface.mcastaddr",
        "totem.interface.mcastport", "totem.interface.ttl", "totem.interface.broadcast",
        "totem.interface.knet_link_priority", "totem.interface.knet_ping_interval",
        "totem.interface.knet_ping_timeout", "totem.interface.knet_ping_precision",
        "totem.interface.knet_pong_count", "totem.interface.knet_transport",
        "nodelist.node.nodeid", "nodelist.node.name", "nodelist.node.quorum_votes", "nodelist.local_node_pos",
        "quorum.provider", "quorum.expected_votes", "quorum.votes", "quorum.two_node", "quorum.wait_for_all",
        "quorum.last_man_standing", "quorum.last_man_standing_window", "quorum.auto_tie_breaker",
        "quorum.auto_tie_breaker_node", "quorum.allow_downscale", "quorum.expected_votes_tracking",
        "quorum.leaving_timeout",
        "logging.timestamp", "logging.fileline", "logging.function_name", "logging.blackbox", "logging.to_stderr",
        "logging.to_logfile", "logging.to_syslog", "logging.logfile", "logging.logfile_priority",
        "logging.syslog_facility", "logging.syslog_priority", "logging.debug", "logging.logger_subsys.subsys",
        "logging.logger_subsys.debug", "logging.logger_subsys.to_stderr", "logging.logger_subsys.to_logfile",
        "logging.logger_subsys.to_syslog", "logging.logger_subsys.logfile", "logging.logger_subsys.logfile_priority",
        "logging.logger_subsys.syslog_facility", "logging.logger_subsys.syslog_priority",
        "logging.logger_subsys.timestamp", "logging.logger_subsys.fileline", "logging.logger_subsys.function_name",
        "system.state_dir", "system.qb_ipc_type", "system.sched_rr", "system.priority", "system.move_to_root_cgroup",
        "system.allow_knet_handle_fallback",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Top-level sections corosync 3.1 reads (others are stored but unused).</summary>
    public static IReadOnlySet<string> Sections { get; } =
        new[] { "totem", "nodelist", "quorum", "logging", "system", "resources", "uidgid", "nozzle" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The cmap type the parser stores a key with (string unless listed in the spec's typed keys).</summary>
    public static CmapType TypeOf(string genericKey) =>
        Typed.TryGetValue(genericKey, out var type) ? type : CmapType.String;

    /// <summary>True when corosync 3.1 reads this key; <c>ringX_addr</c> and the quorum device are open families.</summary>
    public static bool IsKnown(string genericKey) =>
        Known.Contains(genericKey)
        || genericKey.StartsWith("quorum.device.", StringComparison.Ordinal)
        || IsRingAddressKey(genericKey);

    public static bool IsRingAddressKey(string genericKey) =>
        genericKey.StartsWith("nodelist.node.ring", StringComparison.Ordinal)
        && genericKey.EndsWith("_addr", StringComparison.Ordinal)
        && int.TryParse(genericKey.AsSpan("nodelist.node.ring".Length, genericKey.Length - "nodelist.node.ring".Length - "_addr".Length), out var link)
        && link is >= 0 and <= 7;

    /// <summary>
    /// Turns a full cmap path into its generic form by dropping the index of a repeated section:
    /// <c>nodelist.node.3.nodeid</c> becomes <c>nodelist.node.nodeid</c>.
    /// </summary>
    public static string Generic(string path)
    {
        var parts = path.Split('.');
        if (parts.Length == 4 && parts[0] == "nodelist" && parts[1] == "node")
            return $"nodelist.node.{parts[3]}";
        if (parts.Length == 4 && parts[0] == "totem" && parts[1] == "interface")
            return $"totem.interface.{parts[3]}";
        if (parts.Length == 4 && parts[0] == "logging" && parts[1] == "logger_subsys")
            return $"logging.logger_subsys.{parts[3]}";
        return path;
    }
}
