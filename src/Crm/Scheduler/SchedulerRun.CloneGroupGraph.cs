namespace Cluster.Crm.Scheduler;

// A cloned group's instances in the graph: each group instance ("grp:N") has its own start,
// running, stop, stopped (and, when promotable, promote, promoted, demote, demoted)
// pseudo-actions between the clone's and its members', as Pacemaker writes them. They shape the
// graph only: the flags were settled on the members directly.
internal sealed partial class SchedulerRun
{
    private readonly Dictionary<(WorkResource Group, string Task), ScheduledAction> _instanceGroupPseudo = [];

    private static readonly string[] InstanceGroupTasks = ["start", "running", "stop", "stopped", "promote", "promoted", "demote", "demoted"];

    private static string MemberTaskOf(string task) => task switch
    {
        "running" => "start",
        "stopped" => "stop",
        "promoted" => "promote",
        "demoted" => "demote",
        _ => task,
    };

    /// <summary>Adds each group instance's pseudo-actions that the graph needs: the start-like one
    /// when a member's action of that kind is in the graph, the completion too when none of them is blocked.</summary>
    private void AddInstanceGroupPseudo(List<ScheduledAction> exec, HashSet<ScheduledAction> execSet)
    {
        foreach (var clone in Clones)
            foreach (var g in clone.Children.Where(i => i.IsGroup))
                foreach (var task in InstanceGroupTasks)
                {
                    if (task is "promote" or "promoted" or "demote" or "demoted" && !clone.Clone!.Promotable) continue;
                    var mt = MemberTaskOf(task);
                    var memberActions = g.Children.SelectMany(m => m.Actions.Where(x => x.Task == mt && x.Node is not null)).ToList();
                    bool wanted = memberActions.Any(execSet.Contains) && (mt == task || memberActions.All(x => x.Runnable));
                    if (!wanted) continue;
                    var a = NewAction(g, task, null);
                    a.Pseudo = true;
                    a.Optional = false;
                    _instanceGroupPseudo[(g, task)] = a;
                    exec.Add(a);
                }
    }

    /// <summary>The graph edges through a group instance: clone action, group instance action,
    /// members' actions, group instance completion, clone completion.</summary>
    private void AddInstanceGroupOrders()
    {
        // Members of an ordered group promote in group order (no corpus graph shows a demotion chain yet).
        foreach (var g in _instanceGroupPseudo.Keys.Where(k => k.Item2 == "promote").Select(k => k.Item1).Distinct().Where(GroupOrdered).ToList())
            for (int i = 1; i < g.Children.Count; i++)
            {
                var (prev, cur) = (g.Children[i - 1], g.Children[i]);
                foreach (var p in prev.Actions.Where(x => x.Task == "promote" && x.Node is not null))
                    foreach (var c in cur.Actions.Where(x => x.Task == "promote" && x.Node == p.Node))
                        _graphOrders.Add((p, c));
            }
        // A group instance demotes before it promotes.
        foreach (var ((g, _), demote) in _instanceGroupPseudo.Where(kv => kv.Key.Task == "demote").ToList())
            if (_instanceGroupPseudo.GetValueOrDefault((g, "promote")) is { } promote) _graphOrders.Add((demote, promote));
        foreach (var ((g, task), a) in _instanceGroupPseudo)
        {
            var clone = g.Parent!;
            var mt = MemberTaskOf(task);
            var members = g.Children.SelectMany(m => m.Actions.Where(x => x.Task == mt && x.Node is not null));
            if (mt == task)
            {
                if (CloneLevel(clone, task) is { } cloneAction) _graphOrders.Add((cloneAction, a));
                // Promoted (demoted) follows the members' promotions (demotions) alone, as for the clone itself.
                if (task is not ("promote" or "demote") && _instanceGroupPseudo.GetValueOrDefault((g, Completion(task))) is { } done) _graphOrders.Add((a, done));
                foreach (var m in members) _graphOrders.Add((a, m));
                if (task == "start" && _instanceGroupPseudo.GetValueOrDefault((g, "stopped")) is { } stopped) _graphOrders.Add((stopped, a));
            }
            else
            {
                foreach (var m in members) _graphOrders.Add((m, a));
                if (CloneLevel(clone, task) is { } cloneDone) _graphOrders.Add((a, cloneDone));
            }
        }
    }

    private static string Completion(string task) => task switch { "start" => "running", "stop" => "stopped", "promote" => "promoted", _ => "demoted" };

    private ScheduledAction? CloneLevel(WorkResource clone, string task) => task is "start" or "running" or "stop" or "stopped"
        ? _clonePseudo.GetValueOrDefault((clone, task)) : PromotablePseudo(clone, task);

    /// <summary>An ordering between a clone's own pseudo-action and a member of one of its group
    /// instances goes through the group instance's pseudo-action when it is in the graph.</summary>
    private bool ThroughInstanceGroup(ScheduledAction first, ScheduledAction then)
    {
        if (first.Resource is { IsClone: true } c1 && first.Node is null && then.Resource?.Parent is { IsGroup: true, Instance: not null } g1
            && g1.Parent == c1 && _instanceGroupPseudo.ContainsKey((g1, MemberTaskOf(then.Task))))
            return true;
        if (then.Resource is { IsClone: true } c2 && then.Node is null && first.Resource?.Parent is { IsGroup: true, Instance: not null } g2
            && g2.Parent == c2 && _instanceGroupPseudo.ContainsKey((g2, Completion(MemberTaskOf(first.Task)))))
            return true;
        return false;
    }

    /// <summary>An ordering between a member of a cloned group's instance and another clone's
    /// instance (interleaving pairs them) runs in the graph from the group instance's completion,
    /// or to the group instance's own pseudo-action, when the graph has them.</summary>
    private (ScheduledAction First, ScheduledAction Then) BetweenInstanceGroups(ScheduledAction first, ScheduledAction then)
    {
        // Instance to instance only: an ordering from a clone's own pseudo-action is the clone's.
        if (first.Resource?.Top is not { IsClone: true } t1 || then.Resource?.Top is not { IsClone: true } t2 || t1 == t2
            || first.Node is null || then.Node is null) return (first, then);
        var f = first.Resource.Parent is { IsGroup: true, Instance: not null } g1
            && _instanceGroupPseudo.GetValueOrDefault((g1, Completion(MemberTaskOf(first.Task)))) is { } done ? done : first;
        var t = then.Resource.Parent is { IsGroup: true, Instance: not null } g2
            && _instanceGroupPseudo.GetValueOrDefault((g2, then.Task)) is { } own ? own : then;
        return (f, t);
    }
}
