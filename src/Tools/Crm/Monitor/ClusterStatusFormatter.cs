using System.Globalization;
using System.Text;
using Cluster.Crm.Cib;
using Cluster.Crm.Scheduler;
using Cluster.Crm.Simulation;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>
/// crm_mon's one-shot text (Pacemaker 2.1.5): the summary, node list and resources come from the
/// CIB status through the scheduler, exactly as crm_simulate's "Current cluster status" (the
/// resource lines are <see cref="StatusFormatter"/>'s).
/// </summary>
public static class ClusterStatusFormatter
{
    public static string Format(CibDocument cib, ScheduleResult r, MonitorView view, DateTimeOffset now)
    {
        var o = new StringBuilder();
        Summary(cib, r, o, now);
        if (r.Nodes.Count > 0)
        {
            o.Append("\nNode List:\n");
            if (view.GroupByNode) ByNode(cib, r, o);
            else StatusFormatter.FormatNodes(r, o, "  ");
        }
        if (view.GroupByNode)
        {
            if (view.Inactive)
            {
                o.Append("\nInactive Resources:\n");
                var inactive = new StringBuilder();
                StatusFormatter.FormatResources(r, inactive, "  ", inactive: true, filter: x => !Leaves(x).Any(l => l.Active));
                o.Append(inactive.Length > 0 ? inactive.ToString() : "  * No inactive resources\n");
            }
        }
        else
        {
            o.Append('\n').Append(view.Inactive ? "Full List of Resources:\n" : "Active Resources:\n");
            var lines = new StringBuilder();
            StatusFormatter.FormatResources(r, lines, "  ", view.Inactive);
            if (lines.Length > 0) o.Append(lines);
            else o.Append(view.Inactive ? "  * No resources\n" : "  * No active resources\n");
        }
        if (view.NodeAttributes) NodeAttributes(cib, r, o);
        if (view.FailCounts) MigrationSummary(cib, r, o);
        if (view.Operations) OperationsSection(cib, r, o);
        FailedActions(cib, r, o);
        return o.ToString();
    }

    /// <summary>ctime style as crm_mon prints dates: "Sat Nov 21 22:32:26 2026" (day padded with a space).</summary>
    public static string CTime(DateTimeOffset t) =>
        t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
        + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);

    private static string? Property(CibDocument cib, string name) =>
        cib.ClusterProperties.SelectMany(s => s.Pairs).FirstOrDefault(p => p.Name == name)?.Value;

    private static void Summary(CibDocument cib, ScheduleResult r, StringBuilder o, DateTimeOffset now)
    {
        o.Append("Cluster Summary:\n");
        o.Append("  * Stack: ").Append(Property(cib, "cluster-infrastructure") ?? "unknown").Append('\n');
        var dcId = cib.RootAttributes.GetValueOrDefault("dc-uuid");
        var dc = dcId is null ? null : r.Nodes.FirstOrDefault(n => n.Id == dcId);
        if (dc is null) o.Append("  * Current DC: NONE\n");
        else
            o.Append("  * Current DC: ").Append(dc.Uname).Append(" (version ").Append(Property(cib, "dc-version") ?? "unknown").Append(") - partition ")
                .Append(cib.HaveQuorum == true ? "with quorum" : "WITHOUT quorum").Append('\n');
        o.Append("  * Last updated: ").Append(CTime(now.ToLocalTime())).Append('\n');
        o.Append("  * Last change:  ");
        if (cib.RootAttributes.TryGetValue("cib-last-written", out var written))
        {
            o.Append(written);
            if (cib.RootAttributes.TryGetValue("update-user", out var user)) o.Append(" by ").Append(user);
            if (cib.RootAttributes.TryGetValue("update-client", out var client)) o.Append(" via ").Append(client);
            if (cib.RootAttributes.TryGetValue("update-origin", out var origin)) o.Append(" on ").Append(origin);
        }
        o.Append('\n');
        o.Append("  * ").Append(r.Nodes.Count).Append(r.Nodes.Count == 1 ? " node configured\n" : " nodes configured\n");
        // An orphan still active counts (as crm_mon counts it).
        var prims = r.Primitives.Where(p => !p.Orphan || p.Active).ToList();
        // The primitive's own effective target-role (its own meta over its group's, clone's and
        // rsc_defaults'): a clone set to Stopped whose primitive says Started is not counted.
        int disabled = prims.Count(p => p.TargetRole == Role.Stopped
            || (p.TargetRole == Role.Unpromoted && p.Top.Clone is { Promotable: true }));
        int blocked = prims.Count(p => p.Blocked);
        o.Append("  * ").Append(prims.Count).Append(prims.Count == 1 ? " resource instance configured" : " resource instances configured");
        if (disabled > 0 && blocked > 0) o.Append($" ({disabled} DISABLED, {blocked} BLOCKED from further action due to failure)");
        else if (disabled > 0) o.Append($" ({disabled} DISABLED)");
        else if (blocked > 0) o.Append($" ({blocked} BLOCKED from further action due to failure)");
        o.Append('\n');
        if (r.Config.MaintenanceMode)
            o.Append("\n              *** Resource management is DISABLED ***\n  The cluster will not attempt to start, stop or recover services\n");
    }

    /// <summary>
    /// Whether the scheduler no longer counts the failure: failure-timeout has passed since the
    /// result (a missing agent never expires, nor does a failure an on-fail=block operation
    /// left). A failed recurring monitor expires only on a node online and clean, where
    /// Pacemaker can schedule it again.
    /// </summary>
    private static bool Expired(WorkResource p, WorkNode? node, LrmOp op, ScheduleResult r)
    {
        if (p.FailureTimeoutMs <= 0 || op.LastRcChange <= 0 || op.OpStatus == 7) return false;
        if (r.Now.ToUnixTimeSeconds() <= op.LastRcChange + p.FailureTimeoutMs / 1000) return false;
        if (node is not null && r.FailureBlocked(p, node)) return false;
        return op.IntervalMs == 0 || node is null || !node.Unclean;
    }

    /// <summary>Unmanaged by configuration (is-managed=false, maintenance), not merely on a node in maintenance.</summary>
    private static bool ConfiguredUnmanaged(WorkResource p, ScheduleResult r) =>
        r.Config.MaintenanceMode
        || (p.Meta.TryGetValue("is-managed", out var managed) && !Truth.IsTrue(managed))
        || (p.Meta.TryGetValue("maintenance", out var maintenance) && Truth.IsTrue(maintenance));

    private static IEnumerable<WorkResource> Leaves(WorkResource x) =>
        x.Children.Count == 0 ? [x] : x.Children.SelectMany(Leaves);

    private static void ByNode(CibDocument cib, ScheduleResult r, StringBuilder o)
    {
        foreach (var n in r.Nodes)
        {
            // Resources in the order the node's history lists them (as crm_mon finds them active there).
            var history = cib.Status.Where(st => st.Id == n.Id || st.Uname == n.Uname).SelectMany(st => st.Resources).Select(lr => lr.Id).ToList();
            int Rank(WorkResource p) => history.IndexOf(p.Id) is var i and >= 0 ? i
                : p.Instance is not null && history.IndexOf(p.Instance.BaseId) is var j and >= 0 ? j : int.MaxValue;
            var state = StatusFormatter.SpecialState(n, r) ?? (n.Online ? "online" : "OFFLINE");
            o.Append("  * Node ").Append(n.Uname).Append(": ").Append(state).Append(":\n");
            o.Append("    * Resources:\n");
            foreach (var p in r.Primitives.Where(p => p.RunningOn.Contains(n)).OrderBy(Rank))
            {
                // The node's heading already tells it is unclean.
                var line = StatusFormatter.PrimitiveLine(p, r).Replace(" (UNCLEAN)", "", StringComparison.Ordinal).Replace("(UNCLEAN, ", "(", StringComparison.Ordinal);
                var id = p.Instance is null || p.Top.Clone is { Unique: true } ? p.Id : p.Instance.BaseId;
                line = id + line[p.Id.Length..];
                // Under its node a resource active on several shows no node list.
                if (p.RunningOn.Count > 1 && line.LastIndexOf(" [ ", StringComparison.Ordinal) is var list and > 0) line = line[..list];
                o.Append("      * ").Append(line.Replace(" " + n.Uname, "", StringComparison.Ordinal)).Append('\n');
            }
        }
    }

    private static IEnumerable<(string Node, List<(string Name, string Value)> Attributes)> NodeAttributeSets(CibDocument cib, ScheduleResult r)
    {
        foreach (var n in r.Nodes)
        {
            var list = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var cn in cib.Nodes.Where(c => c.Uname == n.Uname))
                foreach (var (k, v) in NvSet.Flatten(cn.Attributes, null)) list[k] = v;
            foreach (var st in cib.Status.Where(s => s.Uname == n.Uname || s.Id == n.Id))
                foreach (var (k, v) in NvSet.Flatten(st.TransientAttributes, null))
                    if (!k.StartsWith('#') && !k.StartsWith("fail-count-", StringComparison.Ordinal) && !k.StartsWith("last-failure-", StringComparison.Ordinal))
                        list[k] = v;
            yield return (n.Uname, list.Select(kv => (kv.Key, kv.Value)).ToList());
        }
    }

    private static void NodeAttributes(CibDocument cib, ScheduleResult r, StringBuilder o)
    {
        var sets = NodeAttributeSets(cib, r).Where(s => s.Attributes.Count > 0).ToList();
        if (sets.Count == 0) return;
        o.Append("\nNode Attributes:\n");
        foreach (var (node, attrs) in sets)
        {
            o.Append("  * Node: ").Append(node).Append(":\n");
            foreach (var (k, v) in attrs)
                o.Append("    * ").Append(k.PadRight(32)).Append("\t: ").Append(v.PadRight(10)).Append('\n');
        }
    }

    /// <summary>fail-count-RSC#OP_INTERVAL attributes of one node, summed per resource.</summary>
    private static Dictionary<string, (long Count, long LastFailure)> FailCounts(CibDocument cib, WorkNode n)
    {
        var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var st in cib.Status.Where(s => s.Uname == n.Uname || s.Id == n.Id))
            foreach (var (k, v) in NvSet.Flatten(st.TransientAttributes, null))
            {
                bool fail = k.StartsWith("fail-count-", StringComparison.Ordinal);
                bool last = k.StartsWith("last-failure-", StringComparison.Ordinal);
                if (!fail && !last) continue;
                var rest = k[(fail ? "fail-count-" : "last-failure-").Length..];
                var rsc = rest.Contains('#') ? rest[..rest.IndexOf('#')] : rest;
                result.TryGetValue(rsc, out var cur);
                var value = Score.Parse(v).Value;
                result[rsc] = fail ? (Score.FromLong((long)cur.Item1 + value).Value, cur.Item2) : (cur.Item1, Math.Max(cur.Item2, long.TryParse(v, out var t) ? t : 0));
            }
        return result;
    }

    private static string BaseOf(string id) => id.LastIndexOf(':') is var colon and > 0 ? id[..colon] : id;

    private static void MigrationSummary(CibDocument cib, ScheduleResult r, StringBuilder o)
    {
        // Offline nodes are left out, and so is the heading when no node is online.
        var online = r.Nodes.Where(n => n.Online || n.ShownOnline).ToList();
        if (online.Count == 0) return;
        o.Append("\nMigration Summary:\n");
        foreach (var n in online)
        {
            // A resource is listed where the node holds its history (in history order); an
            // anonymous clone instance counts the failures recorded under any instance number.
            var byResource = FailCounts(cib, n);
            var counts = new List<(string Rsc, (long Count, long LastFailure))>();
            foreach (var lr in cib.Status.Where(st => st.Uname == n.Uname || st.Id == n.Id).SelectMany(st => st.Resources))
            {
                var primitive = r.Primitives.FirstOrDefault(p => p.Id == lr.Id || p.Instance?.BaseId == lr.Id);
                bool anonymous = primitive?.Top.Clone is { Unique: false };
                var baseId = BaseOf(lr.Id);
                long count = 0, last = 0;
                foreach (var (rsc, (c, l)) in byResource)
                    if (rsc == lr.Id || (anonymous && BaseOf(rsc) == baseId))
                    {
                        count = Score.FromLong(count + c).Value;
                        last = Math.Max(last, l);
                    }
                if (count > 0 && !counts.Any(x => x.Rsc == lr.Id)) counts.Add((lr.Id, (count, last)));
            }
            if (counts.Count == 0) continue;
            o.Append("  * Node: ").Append(n.Uname).Append(":\n");
            foreach (var (rsc, (count, lastFailure)) in counts)
            {
                var threshold = r.Primitives.FirstOrDefault(p => p.Id == rsc || p.Instance?.BaseId == rsc || p.Instance?.BaseId == BaseOf(rsc))?.MigrationThreshold ?? Score.InfinityValue;
                // The count is printed as a number, INFINITY as 1000000.
                o.Append("    * ").Append(rsc).Append(": migration-threshold=").Append(threshold)
                    .Append(" fail-count=").Append(Math.Min(count, Score.InfinityValue).ToString(CultureInfo.InvariantCulture));
                if (lastFailure > 0)
                    o.Append(" last-failure='").Append(CTime(DateTimeOffset.FromUnixTimeSeconds(lastFailure).ToLocalTime())).Append('\'');
                o.Append('\n');
            }
        }
    }

    private static void OperationsSection(CibDocument cib, ScheduleResult r, StringBuilder o)
    {
        o.Append("\nOperations:\n");
        foreach (var st in cib.Status)
        {
            var resources = st.Resources.Where(lr => lr.Ops.Count > 0).ToList();
            if (resources.Count == 0) continue;
            o.Append("  * Node: ").Append(st.Uname ?? st.Id).Append(":\n");
            foreach (var lr in resources)
            {
                var threshold = r.Primitives.FirstOrDefault(p => p.Id == lr.Id || p.Instance?.BaseId == lr.Id)?.MigrationThreshold ?? Score.InfinityValue;
                o.Append("    * ").Append(lr.Id).Append(": migration-threshold=").Append(threshold).Append(":\n");
                foreach (var op in lr.Ops.OrderBy(x => x.CallId))
                {
                    if (op.Operation == "monitor" && op.IntervalMs == 0 && op.RcCode == 7) continue;
                    o.Append("      * (").Append(op.CallId).Append(") ").Append(op.Operation);
                    if (op.IntervalMs > 0) o.Append(": interval=\"").Append(op.IntervalMs).Append("ms\"");
                    o.Append('\n');
                }
            }
        }
    }

    private static void FailedActions(CibDocument cib, ScheduleResult r, StringBuilder o)
    {
        var lines = FailedActionList.Lines(cib, st => r.Nodes.Any(n => n.Id == st.Id && (n.Online || n.ShownOnline)), (st, rsc, op) =>
            r.Primitives.FirstOrDefault(p => p.Id == rsc || p.Instance?.BaseId == rsc) is { } p
            && (Expired(p, r.Nodes.FirstOrDefault(n => n.Id == st.Id), op, r)
                // An unmanaged resource a monitor finds not running is stopped, not failed (an
                // "error" status is judged by its rc, as a completed operation is).
                || (ConfiguredUnmanaged(p, r) && op.Operation == "monitor" && op.OpStatus is (0 or 4) && op.RcCode == 7)
                // In an opt-in cluster an agent missing where the resource may not run is expected:
                // Pacemaker records "not installed" as a failure only in a symmetric cluster.
                || (!r.Config.SymmetricCluster && op.RcCode == 5)));
        if (lines.Count == 0) return;
        o.Append("\nFailed Resource Actions:\n");
        foreach (var l in lines) o.Append(l).Append('\n');
    }
}
