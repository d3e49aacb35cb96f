using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// Recurring operations the history shows running that must stop running: every one of a
/// resource (or on a node) in maintenance mode, and one no longer configured (an "orphan", or
/// disabled with enabled=false). As Pacemaker 2.1.5 checks the history for configuration
/// changes: on available nodes (and nodes in maintenance), for resources active there, for the
/// operations since the last start. Each cancel names the call it ends and comes after any stop
/// of the resource. The same check clears the fail count of a resource one of whose operations
/// changed definition (or is no longer configured).
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>The history call id each such cancel ends (CRM_meta_call_id).</summary>
    private readonly Dictionary<ScheduledAction, int> _cancelCallIds = [];

    private void CreateHistoryCancels()
    {
        foreach (var s in _cib.Status)
        {
            if (NodeOf(s) is not { } node) continue;
            if (!node.Maintenance && !(node.Online && !node.Unclean && !node.Standby && !node.Shutdown && !node.Pending)) continue;
            var byHistoryId = PrimitivesByHistoryId(node);
            foreach (var lr in s.Resources)
                foreach (var r in byHistoryId.GetValueOrDefault(lr.Id, []))
                {
                    if (r.Orphan || r.Primitive is not { } p || !r.RunningOn.Contains(node)) continue;
                    var seen = new HashSet<(string, long)>();
                    bool definitionChanged = false;
                    foreach (var op in OpsSinceLastStart(lr.Ops))
                    {
                        bool maintenance = r.InMaintenance || node.Maintenance;
                        if (!maintenance && (op.IntervalMs > 0 || op.Operation is "monitor" or "start" or "promote" or "migrate_from"))
                            definitionChanged |= (op.IntervalMs > 0 && !p.Operations.Any(o => o.Name == op.Operation && o.IntervalMs == op.IntervalMs && o.Enabled))
                                || DigestChanged(r, node, op);
                        if (op.IntervalMs <= 0 || !seen.Add((op.Operation, op.IntervalMs))) continue;
                        bool configured = p.Operations.Any(o => o.Name == op.Operation && o.IntervalMs == op.IntervalMs && o.Enabled);
                        if (!maintenance && (configured || !Config.StopOrphanActions)) continue;
                        var cancel = NewAction(r, "cancel", node, op.IntervalMs);
                        cancel.Detail = op.Operation;
                        cancel.Optional = false;
                        _cancelCallIds[cancel] = op.CallId;
                        foreach (var stop in r.Actions.Where(a => a.Task == "stop")) _graphOrders.Add((stop, cancel));
                    }
                    // An operation whose definition changed is retried afresh: the fail count goes.
                    if (definitionChanged && r.Managed && FailCounts.GetValueOrDefault((r, node)).Value > 0
                        && !r.Actions.Any(a => a.Task == "clear_failcount" && a.Node == node))
                        NewAction(r, "clear_failcount", node).Optional = false;
                }
        }
    }

    /// <summary>The history entries from the last start on (Pacemaker's active-ops window: a
    /// start or migrate_from, else a promotion or demotion, else a monitor that found it
    /// running), or none when a later successful stop ended it.</summary>
    private static List<LrmOp> OpsSinceLastStart(IReadOnlyList<LrmOp> ops)
    {
        var sorted = ops.OrderBy(o => o.CallId).ToList();
        int start = -1, stop = -1, impliedByMonitor = -1, impliedByRole = -1;
        for (int i = 0; i < sorted.Count; i++)
        {
            var op = sorted[i];
            if (op.Operation == "stop" && op.OpStatus == 0) stop = i;
            else if (op.Operation is "start" or "migrate_from") start = i;
            else if (impliedByMonitor <= stop && op.Operation == "monitor") { if (op.RcCode is 0 or 8) impliedByMonitor = i; }
            else if (op.Operation is "promote" or "demote") impliedByRole = i;
        }
        if (start == -1) start = impliedByRole != -1 ? impliedByRole : impliedByMonitor;
        if (start < stop) return [];
        return sorted.GetRange(Math.Max(start, 0), sorted.Count - Math.Max(start, 0));
    }
}
