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
            if (r.Primitive is not { } p || r.Orphan) continue;
            if (!r.Managed)
            {
                CreateUnmanagedMonitors(r, p);
                continue;
            }
            CreateStoppedMonitors(r, p);
            if (r.AssignedNode is not { } node || node.Maintenance) continue;
            var start = r.Actions.FirstOrDefault(a => a.Task == "start" && a.Node == node);
            if (start is null) continue;
            var promote = r.Actions.FirstOrDefault(a => a.Task == "promote" && a.Node == node && !a.Optional);
            var demote = r.Actions.FirstOrDefault(a => a.Task == "demote" && a.Node == node && !a.Optional && a.Runnable);
            var nextRole = r.NextRole == Role.Unknown ? Role.Started : r.NextRole;
            bool promotable = r.Instance?.Clone.Clone!.Promotable == true;
            foreach (var op in p.Operations)
            {
                if (op.Name != "monitor" || op.IntervalMs <= 0 || !op.Enabled || Duplicated(p, op)) continue;
                var opRole = RoleNames.Parse(op.Role);
                // A promotable instance's monitor without a role watches the Unpromoted role.
                if (opRole == Role.Unknown && promotable) opRole = Role.Unpromoted;
                if (opRole is Role.Stopped) continue;
                // A promotable instance is Unpromoted or Promoted, never Started: a monitor for
                // the Started role never matches it. (Pacemaker also cancels one still running;
                // not modelled yet.)
                if (opRole is Role.Started && promotable) continue;
                // Promoted here where it was not: a monitor of its old role still running is cancelled first.
                if (promote is not null && opRole is not Role.Promoted && r.CurrentRole is Role.Unpromoted or Role.Started
                    && r.RunningOn.Contains(node) && HasRunningRecurring(r, node, op.IntervalMs, running: true))
                {
                    var cancel = NewAction(r, "cancel", node, op.IntervalMs);
                    cancel.Detail = op.Name;
                    cancel.Optional = false;
                    _graphOrders.Add((cancel, promote));
                    continue;
                }
                if (opRole is Role.Promoted && nextRole != Role.Promoted)
                {
                    // Demoted here: its Promoted monitor still running is cancelled before the demote.
                    if (demote is not null && r.RunningOn.Contains(node) && HasRunningRecurring(r, node, op.IntervalMs, running: true))
                    {
                        var cancel = NewAction(r, "cancel", node, op.IntervalMs);
                        cancel.Detail = op.Name;
                        cancel.Optional = false;
                        _graphOrders.Add((cancel, demote));
                    }
                    continue;
                }
                if (opRole is Role.Unpromoted or Role.Started && nextRole == Role.Promoted) continue;
                var rescheduled = r.Actions.FirstOrDefault(a => a.Task == "monitor" && a.Node == node && a.IntervalMs == op.IntervalMs);
                if (!start.Runnable)
                {
                    // A monitor rescheduled there (its failure expired) cannot run either.
                    if (rescheduled is not null) rescheduled.Runnable = false;
                    continue;
                }
                bool restarted = !start.Optional || promote is not null;
                var m = rescheduled ?? NewAction(r, "monitor", node, op.IntervalMs);
                m.Optional = rescheduled is null && !restarted && HasRunningRecurring(r, node, op.IntervalMs, running: true);
                m.Runnable = true;
                _graphOrders.Add((start, m));
                if (promote is not null) _graphOrders.Add((promote, m));
                if (demote is not null) _graphOrders.Add((demote, m));
                // Pacemaker orders a monitor of a resource that was promoted after its demotion
                // wherever that happens (an instance moved off a fenced node waits for the
                // pseudo-demote there).
                if (r.CurrentRole == Role.Promoted && nextRole != Role.Promoted)
                    foreach (var d in r.Actions.Where(a => a.Task == "demote" && a.Node != node)) _graphOrders.Add((d, m));
            }
        }
    }

    /// <summary>
    /// The actions Pacemaker creates while it unpacks the status, so before any other (their ids
    /// come first, which decides where the executor takes them): fail counts cleared by the
    /// controller, then recurring monitors whose failure expired, scheduled again where they
    /// failed whether or not the resource stays there (unless it is assigned nowhere), waiting for
    /// nothing.
    /// </summary>
    private void CreateUnpackActions()
    {
        foreach (var (rsc, node) in ClearFailcounts)
        {
            // A non-recurring action of an unmanaged resource is optional: it never runs.
            if (!rsc.Managed) continue;
            var c = NewAction(rsc, "clear_failcount", node);
            c.Optional = false;
        }
        foreach (var (r, node, interval) in ExpiredMonitors)
        {
            if (!r.Managed || r.Orphan || !node.Online || node.Unclean || node.Maintenance) continue;
            // Pacemaker checks history only on nodes that can run resources: not in standby or
            // shutting down (pcmk__handle_rsc_config_changes).
            if (!node.Available) continue;
            // A resource assigned nowhere has every recurring action it has so far made
            // unrunnable (Pacemaker's assignment failure), this one included; one that moves
            // still runs it where it failed.
            if (r.Primitive is not { } p || !p.Operations.Any(o => o.Name == "monitor" && o.IntervalMs == interval && o.Enabled)) continue;
            var existing = r.Actions.FirstOrDefault(a => a.Task == "monitor" && a.Node == node && a.IntervalMs == interval);
            if (existing is not null) { existing.Optional = false; existing.Runnable &= r.AssignedNode is not null; continue; }
            var m = NewAction(r, "monitor", node, interval);
            m.Optional = false;
            m.Runnable = r.AssignedNode is not null;
        }
    }

    /// <summary>An unmanaged resource (is-managed=false, or start-up disabled because stonith is
    /// enabled without a device) stays where it is active, and its recurring monitors keep
    /// watching it there: one missing or with changed parameters is scheduled again.</summary>
    private void CreateUnmanagedMonitors(WorkResource r, Cib.CibPrimitive p)
    {
        // A blocked resource waits for the administrator; nothing watches it meanwhile.
        // Watched where it is assigned: its current node, the first one in its history even when
        // it is active on several.
        var where = r.AssignedNode ?? (r.RunningOn.Count == 1 ? r.RunningOn[0] : null);
        if (r.Blocked || r.InMaintenance || where is not { Online: true, Unclean: false, Maintenance: false, Pending: false } node) return;
        foreach (var op in p.Operations)
        {
            if (op.Name != "monitor" || op.IntervalMs <= 0 || !op.Enabled || Duplicated(p, op)) continue;
            var opRole = RoleNames.Parse(op.Role);
            if (opRole is Role.Stopped) continue;
            if (opRole is Role.Promoted && r.CurrentRole != Role.Promoted) continue;
            if (opRole is Role.Unpromoted or Role.Started && r.CurrentRole == Role.Promoted) continue;
            // Whatever its last result: a failed monitor of an unmanaged resource is not recovered.
            if (HasRunningRecurring(r, node, op.IntervalMs, running: true, anyResult: true)) continue;
            var m = NewAction(r, "monitor", node, op.IntervalMs);
            m.Optional = false;
            m.Runnable = true;
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

    /// <summary>Done, or recorded as an error with the result that was expected (older
    /// executors wrote op-status 4 for those; Pacemaker judges such a result by its rc).</summary>
    private static bool Completed(LrmOp op) => op.OpStatus == 0 || (op.OpStatus == 4 && op.RcCode == op.ExpectedRc());

    /// <summary>Whether the node's history shows the recurring monitor active since the resource's last start there.</summary>
    private bool HasRunningRecurring(WorkResource r, WorkNode node, long intervalMs, bool running, bool anyResult = false)
    {
        var lrmId = r.Instance?.HistoryIds.GetValueOrDefault(node) ?? r.Id;
        foreach (var lr in HistoryEntries(node, lrmId))
        {
            // Pacemaker's calculate_active_ops: the run begins at the last start (or
            // migrate_from); with none in the history, at the last promote or demote.
            int lastStart = -1, lastRoleChange = -1;
            foreach (var op in lr.Ops)
            {
                if (op.Operation is "start" or "migrate_from" or "stop" && op.CallId > lastStart) lastStart = op.CallId;
                if (op.Operation is "promote" or "demote" && op.CallId > lastRoleChange) lastRoleChange = op.CallId;
            }
            if (!lr.Ops.Any(o => o.Operation is "start" or "migrate_from") && lastRoleChange > lastStart) lastStart = lastRoleChange;
            foreach (var op in lr.Ops)
                // A monitor whose parameters changed since it was scheduled is scheduled again.
                if (op.Operation == "monitor" && op.IntervalMs == intervalMs && op.CallId >= lastStart
                    && (anyResult ? op.OpStatus != -1 : Completed(op) && (running ? op.RcCode is 0 or 8 : op.RcCode == 7)))
                    return !DigestChanged(r, node, op);
        }
        return false;
    }
}
