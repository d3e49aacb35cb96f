namespace Cluster.Crm.Scheduler;

/// <summary>
/// The orderings Pacemaker derives from probes for the graph: a probe stands for a stop the
/// cluster may yet find it needs, so what would wait for that stop waits for the probe, and a
/// restart the probed resource's start would cause waits for it too.
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>A node is probed after it is unfenced, and its probes need not hold back
    /// another node's shutdown.</summary>
    private static bool ProbeComesBefore(ScheduledAction probe, ScheduledAction then) => then.Task switch
    {
        "do_shutdown" => then.Node is null || then.Node == probe.Node,
        "stonith" => !(then.Node == probe.Node && then.Detail == "on"),
        _ => true,
    };

    private void AddProbeOrders(List<ScheduledAction> exec)
    {
        var probes = exec.Where(a => a.IsProbe && a.Resource is { Primitive: not null }).ToLookup(a => a.Resource!);
        var after = Orders.ToLookup(o => o.First);

        // "stop R then X" for another resource: the probes of R come first too (if R turns out
        // to be active, its stop is only scheduled by the next transition).
        foreach (var o in Orders)
        {
            if (o.Flags.HasFlag(OrderFlags.FlagsOnly) || o.First.Task != "stop" || o.First.Resource is not { Primitive: not null } fr
                || o.Then.Resource == fr) continue;
            // Pacemaker finds the 'then' actions by the named resource's key: for a clone, its own
            // pseudo-action, not its instances' actions (which the ordering reaches for flags only).
            if (o.Then.Resource is { Instance: not null } ti && o.Then.Node is not null && ti.Top != fr.Top) continue;
            var then = RolePseudo(o.Then);
            foreach (var p in probes[fr])
                if (ProbeComesBefore(p, then)) _graphOrders.Add((p, then));
        }

        // -INFINITY colocation: one resource leaves its role on a node before the other gains
        // its role there (Pacemaker's anti-colocation orderings, both ways): for a role of
        // Started (or none) by stopping / starting, Promoted by demoting / promoting, Unpromoted
        // by stopping or promoting / starting or demoting. The probe of one that must stop (a
        // stop the cluster may yet need) comes first as well. Pacemaker keeps these orderings
        // only between actions on the same node; a group or clone takes part through its own
        // pseudo-actions (a first one through their completion).
        // Within a -INFINITY colocation set, every member is kept apart from every other one.
        var antiPairs = new List<(WorkResource A, Role RoleA, WorkResource B, Role RoleB)>();
        foreach (var c in _cib.Constraints.OfType<Cib.ColocationConstraint>())
        {
            if (Cib.Score.Parse(c.ScoreText).Value > -Cib.Score.InfinityValue) continue;
            if (c.Sets.Count == 0)
            {
                if (c.Resource is not null && c.WithResource is not null && ById.TryGetValue(c.Resource, out var a) && ById.TryGetValue(c.WithResource, out var b))
                    antiPairs.Add((a, RoleNames.Parse(c.ResourceRole), b, RoleNames.Parse(c.WithResourceRole)));
                continue;
            }
            foreach (var set in c.Sets)
            {
                if (set.ScoreText is { } st && Cib.Score.Parse(st).Value > -Cib.Score.InfinityValue) continue;
                var members = set.Resources.Where(ById.ContainsKey).Select(id => ById[id]).ToList();
                var role = RoleNames.Parse(set.Role);
                for (int i = 0; i < members.Count; i++)
                    for (int j = i + 1; j < members.Count; j++) antiPairs.Add((members[j], role, members[i], role));
            }
        }
        foreach (var (a, ra, b, rb) in antiPairs)
        {
            if (a == b || !TakesPartInAntiColocation(a) || !TakesPartInAntiColocation(b)) continue;
            foreach (var (x, xr, y, yr) in ((WorkResource, Role, WorkResource, Role)[])[(a, ra, b, rb), (b, rb, a, ra)])
            {
                string[] firstTasks = xr switch { Role.Promoted => ["demote"], Role.Unpromoted => ["stop", "promote"], _ => ["stop"] };
                string[] thenTasks = yr switch { Role.Promoted => ["promote"], Role.Unpromoted => ["start", "demote"], _ => ["start"] };
                foreach (var tt in thenTasks)
                    foreach (var then in AntiColocationThens(y, tt))
                        foreach (var ft in firstTasks)
                        {
                            foreach (var f in AntiColocationFirsts(x, ft).Where(f => f.Node is null || then.Node is null || f.Node == then.Node))
                            {
                                _graphOrders.Add((f, then));
                                _antiColocationOrders.Add((f, then));
                            }
                            if (ft == "stop")
                                foreach (var p in probes[x].Where(p => then.Node is null || p.Node == then.Node)) _graphOrders.Add((p, then));
                        }
            }
        }

        // A group member's stop comes before the group's stopped, whether or not the member
        // runs: its probes come first too.
        foreach (var (g, map) in _groupPseudo)
            foreach (var m in g.Children)
                foreach (var p in probes[m]) _graphOrders.Add((p, map["stopped"]));

        // A start that a probed resource's start implies (through mandatory orderings, from a
        // group or clone to its members) may be part of a restart: the probe comes before that
        // resource's stops too.
        foreach (var grouping in probes)
            foreach (var p in grouping)
            {
                var r = grouping.Key;
                var seen = new HashSet<ScheduledAction>();
                var work = new Stack<ScheduledAction>();
                var ownStart = r.Top is { IsClone: true } clone && _clonePseudo.TryGetValue((clone, "start"), out var cs)
                    ? [cs] : r.Actions.Where(a => a.Task == "start").ToList();
                foreach (var s in ownStart) work.Push(s);
                // A clone's instance reaches an interleaved clone's instance on its node (Pacemaker's
                // compatible instance); our model orders the instances directly.
                if (r.Parent is { IsClone: true })
                    foreach (var s in r.Actions.Where(a => a.Task == "start"))
                        foreach (var o in after[s])
                            if (o.Flags.HasFlag(OrderFlags.ImpliesThen) && o.Then.Resource is { Instance: not null } ti && ti.Top != r.Top)
                                work.Push(o.Then);
                while (work.Count > 0)
                {
                    var x = work.Pop();
                    if (!seen.Add(x)) continue;
                    if (x.Resource is { Primitive: not null } xr && xr != r)
                    {
                        var undo = x.Task switch { "start" => "stop", "promote" => "demote", _ => null };
                        if (undo is not null)
                            foreach (var u in xr.Actions.Where(a => a.Task == undo && !a.Pseudo)) _graphOrders.Add((p, u));
                    }
                    foreach (var o in after[x])
                        if (o.Flags.HasFlag(OrderFlags.ImpliesThen)) work.Push(o.Then);
                    // An ordering "clone start then X" waits in our model for the clone's running
                    // (what a first clone's start stands for); Pacemaker's walk meets it at the start.
                    if (x.Pseudo && x.Node is null && x.Resource is { IsClone: true } xc && x.Task == "start"
                        && _clonePseudo.TryGetValue((xc, "running"), out var running))
                        foreach (var o in after[running])
                            if (o.Flags.HasFlag(OrderFlags.ImpliesThen)) work.Push(o.Then);
                }
            }
    }

    /// <summary>The anti-colocation orderings among the graph orderings: they can change actions,
    /// so an input of theirs that is required but cannot run stays in the graph.</summary>
    private readonly List<(ScheduledAction First, ScheduledAction Then)> _antiColocationOrders = [];

    private bool TakesPartInAntiColocation(WorkResource r) => r.Primitive is not null || _groupPseudo.ContainsKey(r) || r.IsClone;

    /// <summary>What an anti-colocation ordering waits for when <paramref name="r"/> is to lose its role by <paramref name="task"/>.</summary>
    private List<ScheduledAction> AntiColocationFirsts(WorkResource r, string task)
    {
        if (_groupPseudo.TryGetValue(r, out var map)) return task == "stop" ? [map["stopped"]] : [];
        if (r.IsClone)
        {
            var done = task switch { "stop" => "stopped", "promote" => "promoted", _ => "demoted" };
            return CloneLevel(r, done) is { } d ? [d] : [];
        }
        return [.. r.Actions.Where(s => s.Task == task && (task == "stop" || s.Node is not null))];
    }

    /// <summary>What waits in an anti-colocation ordering when <paramref name="r"/> is to gain its role by <paramref name="task"/>.</summary>
    private List<ScheduledAction> AntiColocationThens(WorkResource r, string task)
    {
        if (_groupPseudo.TryGetValue(r, out var map)) return task == "start" ? [map["start"]] : [];
        if (r.IsClone) return CloneLevel(r, task) is { } t ? [t] : [];
        return [.. r.Actions.Where(s => s.Task == task && s.Node is not null)];
    }
}
