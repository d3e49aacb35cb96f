using System.Collections.Immutable;
using System.Globalization;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Cmap;

/// <summary>
/// Writes the runtime.* keys the tools and clients read: services, members (ip, status,
/// join_count), votequorum state and per-service message counters, named and typed as 3.1.7 has them.
/// </summary>
public static class CmapRuntimeKeys
{
    private static readonly (ServiceId Id, string Name, int Functions)[] Services =
    [
        (ServiceId.Cmap, "cmap", 1), (ServiceId.Cfg, "cfg", 5), (ServiceId.Cpg, "cpg", 7), (ServiceId.Quorum, "quorum", 0),
        (ServiceId.Pload, "pload", 2), (ServiceId.Votequorum, "votequorum", 4), (ServiceId.Mon, "mon", 0), (ServiceId.Wd, "wd", 0),
    ];

    private static string N(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The keys set once at start: internal_configuration.service.*, runtime.services.*, blackbox, force_gather.</summary>
    public static void Initialize(CmapStore store)
    {
        foreach (var (id, name, functions) in Services)
        {
            var n = N((ulong)id);
            store.Set($"internal_configuration.service.{n}.name", CmapValue.Str("corosync_" + name), null);
            store.Set($"internal_configuration.service.{n}.ver", CmapValue.U32(0), null);
            store.Set($"runtime.services.{name}.service_id", CmapValue.U16((ushort)id), null);
            for (int f = 0; f < functions; f++)
            {
                store.Set($"runtime.services.{name}.{f}.rx", CmapValue.U64(0), null);
                store.Set($"runtime.services.{name}.{f}.tx", CmapValue.U64(0), null);
            }
        }
        store.Set("runtime.blackbox.dump_flight_data", CmapValue.Str("no"), null);
        store.Set("runtime.blackbox.dump_state", CmapValue.Str("no"), null);
        store.Set("runtime.force_gather", CmapValue.Str("no"), null);
    }

    /// <summary>
    /// After a sync: members of the ring are `joined` (join_count grows each time a node comes
    /// back), nodes that were members and are gone are `left`.
    /// </summary>
    public static void UpdateMembers(CmapStore store, ImmutableArray<NodeId> members, Func<NodeId, IReadOnlyList<string>> addresses, ServiceOutput? output)
    {
        foreach (var node in members)
        {
            var p = $"runtime.members.{node}.";
            bool wasJoined = IsJoined(store.Get(p + "status"));
            if (!wasJoined)
            {
                var count = store.Get(p + "join_count") is { } jc ? (ulong)jc.AsInteger : 0;
                store.Set(p + "config_version", CmapValue.U64(0), output);
                store.Set(p + "ip", CmapValue.Str(IpString(addresses(node))), output);
                store.Set(p + "join_count", CmapValue.U32((uint)count + 1), output);
                store.Set(p + "status", CmapValue.Str("joined"), output);
            }
        }
        foreach (var kv in store.Iterate("runtime.members."))
        {
            if (!kv.Key.EndsWith(".status", StringComparison.Ordinal) || !IsJoined(kv.Value))
                continue;
            var id = kv.Key["runtime.members.".Length..^".status".Length];
            if (!members.Any(m => m.ToString() == id))
                store.Set(kv.Key, CmapValue.Str("left"), output);
        }
    }

    private static bool IsJoined(CmapValue? v) => v is { Type: CmapType.String } && v.AsString == "joined";

    /// <summary>`r(0) ip(10.77.0.11) ` (one `r(N) ip(..) ` per link).</summary>
    public static string IpString(IReadOnlyList<string> addresses) =>
        string.Concat(addresses.Select((a, i) => $"r({i}) ip({a}) "));

    public static void UpdateVotequorum(CmapStore store, QuorumStatus status, NodeId lowest, NodeId highest, ServiceOutput? output)
    {
        store.Set("runtime.votequorum.ev_barrier", CmapValue.U32(status.ExpectedVotes), output);
        store.Set("runtime.votequorum.highest_node_id", CmapValue.U32(highest.Value), output);
        store.Set("runtime.votequorum.lowest_node_id", CmapValue.U32(lowest.Value), output);
        store.Set("runtime.votequorum.this_node_id", CmapValue.U32(status.LocalNode.Value), output);
        store.Set("runtime.votequorum.two_node", CmapValue.U8(status.TwoNode ? (byte)1 : (byte)0), output);
        store.Set("runtime.votequorum.wait_for_all_status", CmapValue.U8(status.WaitForAllStatus ? (byte)1 : (byte)0), output);
        foreach (var key in new[] { "runtime.votequorum.ev_barrier", "runtime.votequorum.highest_node_id", "runtime.votequorum.lowest_node_id",
                     "runtime.votequorum.this_node_id", "runtime.votequorum.two_node", "runtime.votequorum.wait_for_all_status" })
            store.MarkReadOnly(key);
    }

    public static void UpdateServiceCounters(CmapStore store, ServiceHost host)
    {
        foreach (var (id, name, functions) in Services)
        {
            for (ushort f = 0; f < functions; f++)
            {
                host.Received.TryGetValue((id, f), out var rx);
                host.Sent.TryGetValue((id, f), out var tx);
                store.Set($"runtime.services.{name}.{N(f)}.rx", CmapValue.U64(rx), null);
                store.Set($"runtime.services.{name}.{N(f)}.tx", CmapValue.U64(tx), null);
            }
        }
    }
}
