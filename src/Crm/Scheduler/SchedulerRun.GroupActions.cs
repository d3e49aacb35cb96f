namespace Cluster.Crm.Scheduler;

/// <summary>
/// A group's own pseudo-actions (start, running, stop, stopped), the ordering points that
/// constraints naming the group attach to. As in Pacemaker: a constraint with the group
/// "first" waits for "running"/"stopped"; one with the group "then" applies to the group's
/// start/stop and to each member's; "running"/"stopped" are required when any member's
/// start/stop is, and unrunnable when any member's is.
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>Per top-level group: its pseudo-actions by task.</summary>
    private readonly Dictionary<WorkResource, Dictionary<string, ScheduledAction>> _groupPseudo = [];

    private static string MemberTask(string groupTask) => groupTask switch
    {
        "running" => "start",
        "stopped" => "stop",
        _ => groupTask,
    };

    private void CreateGroupPseudoActions()
    {
        foreach (var g in TopResources)
        {
            if (!g.IsGroup || g.Children.Count == 0) continue;
            var map = new Dictionary<string, ScheduledAction>(StringComparer.Ordinal);
            foreach (var task in (string[])["start", "running", "stop", "stopped"])
            {
                var a = NewAction(g, task, null);
                a.Pseudo = true;
                map[task] = a;
            }
            _groupPseudo[g] = map;
            // stop -> stopped, start -> running; stopped before start only orders.
            Order(map["stop"], map["stopped"], OrderFlags.RunnableLeft);
            Order(map["stopped"], map["start"], OrderFlags.None);
            Order(map["start"], map["running"], OrderFlags.RunnableLeft);
            foreach (var m in g.Children)
            {
                foreach (var s in m.Actions.Where(a => a.Task == "start")) Order(s, map["running"], OrderFlags.RunnableLeft | OrderFlags.ImpliesThen);
                foreach (var s in m.Actions.Where(a => a.Task == "stop")) Order(s, map["stopped"], OrderFlags.None);
            }
        }
    }

    /// <summary>The actions an ordering on a group attaches to, or null if the group has none for the task.</summary>
    /// <summary>Whether a group's members are ordered (meta "ordered", default true; a cloned
    /// group inherits its clone's when it sets none itself).</summary>
    private static bool GroupOrdered(WorkResource g) => !g.Meta.TryGetValue("ordered", out var v) || Cib.Truth.IsTrue(v);

    private List<ScheduledAction>? GroupOrderingActions(WorkResource g, string task, bool asFirst)
    {
        if (!_groupPseudo.TryGetValue(g, out var map) || task is not ("start" or "stop")) return null;
        if (asFirst) return [map[task == "start" ? "running" : "stopped"]];
        // Later members follow through the member chain, so their reasons name the previous member.
        var list = new List<ScheduledAction> { map[task] };
        list.AddRange(g.Children[0].Actions.Where(a => a.Task == task && a.Node is not null));
        return list;
    }

    /// <summary>Derives the group pseudo-actions' flags from their members'. Returns whether any changed.</summary>
    private bool UpdateGroupPseudoFlags()
    {
        bool changed = false;
        foreach (var (g, map) in _groupPseudo)
        {
            foreach (var (task, a) in map)
            {
                var mt = MemberTask(task);
                foreach (var m in g.Children)
                {
                    var ma = m.Actions.FirstOrDefault(x => x.Task == mt);
                    if (ma is null)
                    {
                        if (mt != "stop" && a.Runnable) { a.Runnable = false; changed = true; }
                        continue;
                    }
                    if (!ma.Optional && a.Optional) { a.Optional = false; changed = true; }
                    if (mt != task && !ma.Runnable && a.Runnable) { a.Runnable = false; changed = true; }
                }
            }
        }
        return changed;
    }
}
