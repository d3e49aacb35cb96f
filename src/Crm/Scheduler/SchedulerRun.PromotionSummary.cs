namespace Cluster.Crm.Scheduler;

// Transition Summary lines of promotable clone instances: the verbs and role wording of
// crm_simulate 2.1.5 (Promote, Demote, Re-promote, and Start/Stop/Move/Recover with roles).
internal sealed partial class SchedulerRun
{
    private void RoleLine(string verb, WorkResource r, WorkNode? origin, WorkNode? dest, ScheduledAction action, ScheduledAction? source) =>
        Summary.Add(new SummaryLine(verb, r.Id,
            RoleChangeDetails.Format(r.CurrentRole, r.NextRole, origin?.Uname, dest?.Uname), ReasonText(action, source)));

    /// <summary>Summarizes one primitive of a promotable clone instance.</summary>
    private void SummarizePromotable(WorkResource r)
    {
        var current = r.CurrentNode;
        var next = r.AssignedNode;
        if (!r.Managed || (current is null && next is null)) return;
        bool moving = current is not null && next is not null && current != next;
        ScheduledAction? Find(string task, WorkNode? node) =>
            r.Actions.FirstOrDefault(a => a.Task == task && (node is null || a.Node == node));
        var start = next is null ? null : Find("start", next);
        var startNode = start is null || !start.Runnable ? null : current;
        var stop = startNode is null ? Find("stop", null) : Find("stop", startNode);
        var promote = next is null ? null : Find("promote", next);
        var demote = Find("demote", next);
        var role = r.CurrentRole;
        var nextRole = r.NextRole;

        if (role == nextRole)
        {
            if (next is null) return;
            if (start is null || start.Optional)
            {
                if (demote is not null && promote is not null && !demote.Optional && !promote.Optional)
                    RoleLine("Re-promote", r, current, next, promote, demote);
                return;
            }
            if (!start.Runnable)
                RoleLine("Stop", r, current, null, stop ?? start, stop?.Reason is not null ? stop : start);
            else if (moving && current is not null)
                RoleLine(r.Failed ? "Recover" : "Move", r, current, next, stop ?? start, null);
            else if (r.Failed)
                RoleLine("Recover", r, current, null, stop ?? start, null);
            else
                RoleLine("Restart", r, current, next, start, null);
            return;
        }

        if (stop is not null && (nextRole == Role.Stopped || (start is not null && !start.Runnable)))
        {
            foreach (var n in r.RunningOn)
            {
                var s = r.Actions.FirstOrDefault(a => a.Task == "stop" && a.Node == n);
                if (s is null) continue;
                RoleLine("Stop", r, n, null, s, s.Reason is not null ? s : start);
            }
        }
        else if (stop is not null && r.Failed && !stop.Optional)
            RoleLine("Recover", r, current, next, stop, start);
        else if (moving)
            RoleLine("Move", r, current, next, stop ?? start!, null);
        else if (stop is not null && !stop.Optional)
            RoleLine("Restart", r, current, next, start ?? stop, null);
        else if (role == Role.Promoted && demote is not null)
            RoleLine("Demote", r, current, next, demote, null);
        else if (nextRole == Role.Promoted && promote is not null)
            RoleLine("Promote", r, current, next, promote, null);
        else if (role == Role.Stopped && nextRole > Role.Stopped && start is not null)
            RoleLine("Start", r, current, next, start, null);
    }
}
