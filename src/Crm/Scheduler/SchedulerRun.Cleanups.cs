namespace Cluster.Crm.Scheduler;

/// <summary>
/// A resource's history on a node is deleted (a "delete" operation, crm_resource --cleanup's)
/// when the resource is no longer configured (an orphan) or its agent (class, provider, type)
/// changed since that history was recorded; as Pacemaker 2.1.5 does while checking the history
/// for configuration changes: on available nodes (and nodes in maintenance), never for a failed
/// resource; after the resource's stops, before its starts.
/// </summary>
internal sealed partial class SchedulerRun
{
    private void CreateCleanups()
    {
        foreach (var s in _cib.Status)
        {
            if (NodeOf(s) is not { } node) continue;
            if (!node.Maintenance && !(node.Online && !node.Unclean && !node.Standby && !node.Shutdown && !node.Pending)) continue;
            var byHistoryId = PrimitivesByHistoryId(node);
            foreach (var lr in s.Resources)
            {
                if (lr.Ops.Count == 0) continue;
                foreach (var r in _orphans.Where(o => o.Id == lr.Id).Concat(byHistoryId.GetValueOrDefault(lr.Id, []).Where(p => !p.Orphan && AgentChanged(p, lr))))
                {
                    // An unmanaged resource's one-shot actions never run (stop-orphan-resources=false).
                    if (r.Failed || !r.Managed) continue;
                    var delete = NewAction(r, "delete", node);
                    delete.Optional = false;
                    _cleanups.Add(delete);
                }
            }
        }
    }

    private readonly List<ScheduledAction> _cleanups = [];

    /// <summary>An orphan's fail counts are cleared on every online node that has one, before it stops.</summary>
    private readonly List<ScheduledAction> _orphanClears = [];

    private void CreateOrphanFailcountClears()
    {
        foreach (var r in _orphans)
        {
            if (!r.Managed) continue;
            foreach (var node in Nodes)
            {
                if (!node.Online || FailCounts.GetValueOrDefault((r, node)).Value <= 0
                    || r.Actions.Any(a => a.Task == "clear_failcount" && a.Node == node)) continue;
                var clear = NewAction(r, "clear_failcount", node);
                clear.Optional = false;
                _orphanClears.Add(clear);
            }
        }
    }

    /// <summary>Stop, clean up, start: the resource's stops and starts are created later.</summary>
    private void OrderCleanups()
    {
        foreach (var d in _cleanups)
            foreach (var a in d.Resource!.Actions)
            {
                if (a.Task == "stop") _graphOrders.Add((a, d));
                else if (a.Task == "start") _graphOrders.Add((d, a));
            }
        foreach (var c in _orphanClears)
            foreach (var stop in c.Resource!.Actions.Where(a => a.Task == "stop")) _graphOrders.Add((c, stop));
    }

    private static bool AgentChanged(WorkResource r, Cib.LrmResource lr) =>
        r.Primitive is { } p && (lr.Class != p.Class || lr.Provider != p.Provider || lr.Type != p.Type);
}
