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
        foreach (var r in Primitives)
        {
            if (r.Primitive is not { } p || r.Orphan || !r.Managed) continue;
            if (r.AssignedNode is not { } node || node.Maintenance) continue;
            var start = r.Actions.FirstOrDefault(a => a.Task == "start" && a.Node == node);
            if (start is null || !start.Runnable) continue;
            var promote = r.Actions.FirstOrDefault(a => a.Task == "promote" && a.Node == node && !a.Optional);
            var nextRole = r.NextRole == Role.Unknown ? Role.Started : r.NextRole;
            foreach (var op in p.Operations)
            {
                if (op.Name != "monitor" || op.IntervalMs <= 0 || !op.Enabled) continue;
                var opRole = RoleNames.Parse(op.Role);
                if (opRole is Role.Stopped) continue;
                if (opRole is Role.Promoted && nextRole != Role.Promoted) continue;
                if (opRole is Role.Unpromoted or Role.Started && nextRole == Role.Promoted) continue;
                bool restarted = !start.Optional || promote is not null;
                var m = NewAction(r, "monitor", node, op.IntervalMs);
                m.Optional = !restarted && HasRunningRecurring(r, node, op.IntervalMs);
                m.Runnable = true;
                _graphOrders.Add((start, m));
                if (promote is not null) _graphOrders.Add((promote, m));
            }
        }
    }

    /// <summary>Whether the node's history shows the recurring monitor active since the resource's last start there.</summary>
    private bool HasRunningRecurring(WorkResource r, WorkNode node, long intervalMs)
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
                    if (op.Operation == "monitor" && op.IntervalMs == intervalMs && op.CallId >= lastStart
                        && op.OpStatus == 0 && op.RcCode is 0 or 8)
                        return true;
            }
        }
        return false;
    }
}
