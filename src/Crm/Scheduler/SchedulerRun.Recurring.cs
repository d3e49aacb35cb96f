using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// Recurring monitors: each enabled recurring monitor of a resource that will run is scheduled
/// on its node after the start; it is required when the resource (re)starts there or when the
/// node's history holds no running instance of that monitor since the last start.
/// </summary>
internal sealed partial class SchedulerRun
{
    private void CreateRecurringMonitors()
    {
        // Expired fail counts are cleared by the controller, as a cluster action of the graph.
        foreach (var (rsc, node) in ClearFailcounts)
        {
            var c = NewAction(rsc, "clear_failcount", node);
            c.Optional = false;
        }
        foreach (var r in Primitives)
        {
            if (r.Primitive is not { } p || r.Orphan || !r.Managed) continue;
            CreateStoppedMonitors(r, p);
            if (r.AssignedNode is not { } node || node.Maintenance) continue;
            var start = r.Actions.FirstOrDefault(a => a.Task == "start" && a.Node == node);
            if (start is null || !start.Runnable) continue;
            var promote = r.Actions.FirstOrDefault(a => a.Task == "promote" && a.Node == node && !a.Optional);
            var nextRole = r.NextRole == Role.Unknown ? Role.Started : r.NextRole;
            foreach (var op in p.Operations)
            {
                if (op.Name != "monitor" || op.IntervalMs <= 0 || !op.Enabled || Duplicated(p, op)) continue;
                var opRole = RoleNames.Parse(op.Role);
                if (opRole is Role.Stopped) continue;
                if (opRole is Role.Promoted && nextRole != Role.Promoted) continue;
                if (opRole is Role.Unpromoted or Role.Started && nextRole == Role.Promoted) continue;
                bool restarted = !start.Optional || promote is not null;
                var m = NewAction(r, "monitor", node, op.IntervalMs);
                m.Optional = !restarted && HasRunningRecurring(r, node, op.IntervalMs, running: true);
                m.Runnable = true;
                _graphOrders.Add((start, m));
                if (promote is not null) _graphOrders.Add((promote, m));
            }
        }
    }

    /// <summary>Two operations with one name and interval are a configuration error: Pacemaker
    /// schedules neither.</summary>
    private static bool Duplicated(Cib.CibPrimitive p, Cib.CibOperation op) =>
        p.Operations.Count(o => o.Name == op.Name && o.IntervalMs == op.IntervalMs) > 1;

    /// <summary>Monitors with role="Stopped" watch every node where the resource will not be
    /// running; they run after its stop or probe there and before a start there.</summary>
    private void CreateStoppedMonitors(WorkResource r, Cib.CibPrimitive p)
    {
        foreach (var op in p.Operations)
        {
            if (op.Name != "monitor" || op.IntervalMs <= 0 || !op.Enabled || RoleNames.Parse(op.Role) != Role.Stopped || Duplicated(p, op)) continue;
            foreach (var n in Nodes)
            {
                if (!n.Online || n.Unclean || n.Pending || n.Maintenance) continue;
                var start = r.Actions.FirstOrDefault(a => a.Task == "start" && a.Node == n && a.Runnable);
                if (start is { Optional: true }) continue;
                if (start is not null)
                {
                    // Where it starts, a Stopped-role monitor still running there is cancelled first.
                    if (!HasRunningRecurring(r, n, op.IntervalMs, running: false)) continue;
                    var cancel = NewAction(r, "cancel", n, op.IntervalMs);
                    cancel.Detail = op.Name;
                    cancel.Optional = false;
                    _graphOrders.Add((cancel, start));
                    continue;
                }
                bool restarted = r.Actions.Any(a => a.Task == "stop" && a.Node == n && !a.Optional);
                var m = NewAction(r, "monitor", n, op.IntervalMs);
                m.Optional = !restarted && HasRunningRecurring(r, n, op.IntervalMs, running: false);
                m.Runnable = true;
                foreach (var before in r.Actions.Where(a => a.Node == n && (a.Task == "stop" || a.IsProbe)))
                    _graphOrders.Add((before, m));
            }
        }
    }

    /// <summary>Whether the node's history shows the recurring monitor active since the resource's last start there.</summary>
    private bool HasRunningRecurring(WorkResource r, WorkNode node, long intervalMs, bool running)
    {
        var lrmId = r.Instance?.HistoryIds.GetValueOrDefault(node) ?? r.Id;
        foreach (var s in _cib.Status)
        {
            if (NodeOf(s) != node) continue;
            foreach (var lr in s.Resources)
            {
                if (lr.Id != lrmId) continue;
                int lastStart = -1;
                foreach (var op in lr.Ops)
                    if (op.Operation is "start" or "migrate_from" or "stop" && op.CallId > lastStart) lastStart = op.CallId;
                foreach (var op in lr.Ops)
                    // A monitor whose parameters changed since it was scheduled is scheduled again.
                    if (op.Operation == "monitor" && op.IntervalMs == intervalMs && op.CallId >= lastStart
                        && op.OpStatus == 0 && (running ? op.RcCode is 0 or 8 : op.RcCode == 7))
                        return !DigestChanged(r, node, op);
            }
        }
        return false;
    }
}
