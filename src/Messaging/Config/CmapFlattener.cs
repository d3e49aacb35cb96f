using System.Globalization;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>
/// The cmap view of a config: the keys corosync's parser stores (same names and types as
/// <c>corosync-cmapctl</c> prints) and the derived <c>runtime.config.totem.*</c> keys.
/// </summary>
public static class CmapFlattener
{
    /// <summary>The keys as the file sets them, section by section in file-like order (not sorted).</summary>
    public static IReadOnlyList<CmapEntry> ConfigEntries(CorosyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var entries = new List<CmapEntry>();
        Add(entries, "totem.", config.Totem.Values);
        foreach (var link in config.Interfaces)
            Add(entries, string.Create(CultureInfo.InvariantCulture, $"totem.interface.{link.LinkNumber}."), link.Values);
        for (var i = 0; i < config.Nodes.Count; i++)
            Add(entries, string.Create(CultureInfo.InvariantCulture, $"nodelist.node.{i}."), config.Nodes[i].Values);
        Add(entries, "quorum.", config.Quorum.Values);
        Add(entries, "logging.", config.Logging.Values);
        foreach (var subsys in config.Logging.Subsystems)
        {
            var prefix = $"logging.logger_subsys.{subsys.Subsys}.";
            entries.Add(new CmapEntry(prefix + "subsys", CmapValue.Str(subsys.Subsys)));
            Add(entries, prefix, subsys.Values);
        }
        Add(entries, "system.", config.System.Values);
        Add(entries, "", config.Other);
        return entries;
    }

    /// <summary>The effective totem settings, as <c>runtime.config.totem.*</c> (all u32 but the compression level and model).</summary>
    public static IReadOnlyList<CmapEntry> RuntimeEntries(CorosyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var totem = config.Totem;
        var timers = config.Timers;
        const string prefix = "runtime.config.totem.";
        var entries = new List<CmapEntry>
        {
            U32("block_unlisted_ips", totem.BlockUnlistedIps ? 1u : 0u),
            U32("cancel_token_hold_on_retransmit", totem.CancelTokenHoldOnRetransmit ? 1u : 0u),
            U32("consensus", timers.Consensus),
            U32("downcheck", timers.Downcheck),
            U32("fail_recv_const", timers.FailRecvConst),
            U32("heartbeat_failures_allowed", timers.HeartbeatFailuresAllowed),
            U32("hold", timers.Hold),
            U32("join", timers.Join),
            new(prefix + "knet_compression_level", CmapValue.I32(totem.KnetCompressionLevel)),
            new(prefix + "knet_compression_model", CmapValue.Str(totem.KnetCompressionModel)),
            U32("knet_compression_threshold", totem.KnetCompressionThreshold),
            U32("knet_mtu", totem.KnetMtu),
            U32("knet_pmtud_interval", totem.KnetPmtudInterval),
            U32("max_messages", timers.MaxMessages),
            U32("max_network_delay", timers.MaxNetworkDelay),
            U32("merge", timers.Merge),
            U32("miss_count_const", timers.MissCountConst),
            U32("send_join", timers.SendJoin),
            U32("seqno_unchanged_const", timers.SeqnoUnchangedConst),
            U32("token", timers.Token),
            U32("token_retransmit", timers.TokenRetransmit),
            U32("token_retransmits_before_loss_const", timers.TokenRetransmitsBeforeLossConst),
            U32("token_warning", timers.TokenWarning),
            U32("window_size", timers.WindowSize),
        };
        foreach (var link in timers.Links)
        {
            var linkPrefix = string.Create(CultureInfo.InvariantCulture, $"interface.{link.Link}.");
            entries.Add(U32(linkPrefix + "knet_ping_interval", link.KnetPingInterval));
            entries.Add(U32(linkPrefix + "knet_ping_timeout", link.KnetPingTimeout));
        }
        return entries;

        static CmapEntry U32(string name, uint value) => new(prefix + name, CmapValue.U32(value));
    }

    /// <summary>Config and runtime keys together, sorted as corosync-cmapctl lists them.</summary>
    public static IReadOnlyList<CmapEntry> All(CorosyncConfig config)
    {
        var all = ConfigEntries(config).Concat(RuntimeEntries(config)).ToList();
        all.Sort(CmapEntry.KeyOrder);
        return all;
    }

    private static void Add(List<CmapEntry> entries, string prefix, ConfSettings values)
    {
        foreach (var (key, value) in values)
            entries.Add(new CmapEntry(prefix + key, value));
    }
}
