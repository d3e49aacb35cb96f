namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    internal readonly List<SummaryLine> Summary = [];

    /// <summary>Resources in the scheduler's list order: priority (desc), then configuration order; children under parents.</summary>
    internal IEnumerable<WorkResource> SummaryOrder() =>
        TopResources.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i)
            .SelectMany(x => x.r.IsGroup ? x.r.Children : x.r.IsClone ? x.r.Clone!.Instances.SelectMany(InstanceLeaves) : [x.r]);

    private void BuildSummary()
    {
        foreach (var f in FenceActions)
            Summary.Add(new SummaryLine("Fence", f.Node!.Uname, null, null)
            { Verbatim = $"Fence ({f.Detail}) {f.Node!.Uname} '{f.Reason}'" });
        foreach (var r in SummaryOrder())
            SummarizeResource(r);
    }

    private static string? ReasonText(ScheduledAction action, ScheduledAction? source)
    {
        source ??= action;
        if (source.Reason is not null && !action.Runnable) return $"due to {source.Reason} (blocked)";
        if (source.Reason is not null) return $"due to {source.Reason}";
        if (!action.Runnable) return "blocked";
        return null;
    }

    /// <summary>A start made required by the (unrunnable, required) start of a running managed
    /// resource that stops on its own account (disabled, no node, its own start unrunnable):
    /// Pacemaker reaches it before the stop's ordering, so the Stop line shows "required X start".
    /// When X's start was itself required by another start, the stop's reason wins (observed
    /// with 2.1.5: a group member after one stopping for an ordering names that member's stop).</summary>
    private static bool StoppingStartRequires(ScheduledAction start) =>
        start.RequiredBy is { Task: "start", Runnable: false, Optional: false, RequiredBy: null, Resource: { Managed: true, Active: true } };

    private void Line(string verb, WorkResource r, WorkNode? origin, WorkNode? dest, ScheduledAction action, ScheduledAction? source)
    {
        string details = origin is not null && dest is not null ? $"{origin.Uname} -> {dest.Uname}" : (origin ?? dest)!.Uname;
        Summary.Add(new SummaryLine(verb, r.Id, details, ReasonText(action, source)));
    }

    private void SummarizeResource(WorkResource r)
    {
        if (PromotableOf(r) is not null || r.CurrentRole > Role.Started) { SummarizePromotable(r); return; }
        var current = r.CurrentNode;
        var next = r.AssignedNode;
        if (!r.Managed || (current is null && next is null)) return;
        var start = next is null ? r.Actions.FirstOrDefault(a => a.Task == "start")
            : r.Actions.FirstOrDefault(a => a.Task == "start" && a.Node == next);
        var stop = current is null ? null : r.Actions.FirstOrDefault(a => a.Task == "stop" && a.Node == current);
        bool moving = current is not null && next is not null && current != next;
        var role = r.Active ? Role.Started : Role.Stopped;
        var nextRole = next is null ? Role.Stopped : Role.Started;

        if (role == nextRole)
        {
            if (start is null || start.Optional)
            {
                // A reload happens only when nothing else restarts or moves the resource.
                if (r.ReloadOn is { } rn && rn == current && !moving && start?.Runnable != false)
                    Summary.Add(new SummaryLine("Reload", r.Id, rn.Uname, null));
                return;
            }
            if (!start.Runnable)
            {
                // Unless the stop is blocked and X's start has no cause of its own (only its own
                // blocked stop): then the stop's blocking cause comes first (wide seeds 117, 835).
                bool stopFirst = stop is { Runnable: false } && start.RequiredBy is { Reason: null };
                var reasonOp = stop?.Reason is null || (StoppingStartRequires(start) && !stopFirst) ? start : stop;
                Line("Stop", r, current, null, stop ?? start, reasonOp);
            }
            else if (moving)
                Line(r.Failed ? "Recover" : "Move", r, current, next, stop ?? start, null);
            else if (r.Failed)
                // With stop_unexpected a copy that stays without stopping (only an extra copy
                // failed) recovers for the extra copies' reason.
                Line("Recover", r, current, null, stop ?? start,
                    r.MultiplyActive && current is not null && !r.FailedOn.Contains(current)
                        ? r.Actions.FirstOrDefault(a => a.Task == "stop" && a.Reason is not null) : null);
            else
                Line("Restart", r, current, null, start, null);
            return;
        }
        if (stop is not null && (nextRole == Role.Stopped || (start is not null && !start.Runnable)))
        {
            foreach (var n in r.RunningOn)
            {
                var s = r.Actions.First(a => a.Task == "stop" && a.Node == n);
                var reasonOp = start?.Reason is not null ? start : s;
                Line("Stop", r, n, null, s, reasonOp);
            }
        }
        else if (stop is not null && r.Failed)
            Line("Recover", r, current, next, stop, start);
        else if (moving)
            Line("Move", r, current, next, stop!, null);
        else if (start is not null && !start.Optional)
            Line("Start", r, null, next, start, null);
    }
}
