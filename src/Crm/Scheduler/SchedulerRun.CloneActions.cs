using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

// Clone actions: the clone's pseudo actions (start, running, stop, stopped) around its instances'
// actions, orderings on a clone (as "first" the clone's running/stopped summarise its instances;
// as "then" the ordering reaches the clone and every instance), and interleaved orderings
// between two clones (each instance ordered after the other clone's instance on its node).
internal sealed partial class SchedulerRun
{
    /// <summary>A clone's pseudo actions, created on demand ("start", "running", "stop", "stopped", ...).</summary>
    private readonly Dictionary<(WorkResource, string), ScheduledAction> _clonePseudo = [];

    /// <summary>Interleaved orderings between two clones, clone to clone: inputs in the graph only
    /// (the instances are ordered pairwise for their flags).</summary>
    private readonly List<(ScheduledAction First, ScheduledAction Then)> _cloneLevelGraphOrders = [];

    internal ScheduledAction ClonePseudo(WorkResource clone, string task)
    {
        if (_clonePseudo.TryGetValue((clone, task), out var a)) return a;
        a = NewAction(clone, task, null);
        a.Pseudo = true;
        _clonePseudo[(clone, task)] = a;
        return a;
    }

    private void AddCloneGroupInternals()
    {
        foreach (var clone in Clones)
            foreach (var g in clone.Children.Where(i => i.IsGroup))
                for (int i = 1; i < g.Children.Count; i++)
                {
                    var col = new WorkColocation($"{g.Id}-internal", g.Children[i], g.Children[i - 1], Score.Infinity, Role.Unknown, Role.Unknown, "#uname", true);
                    g.Children[i].ColocationsAsDependent.Insert(0, col);
                    g.Children[i - 1].ColocationsAsPrimary.Insert(0, col);
                }
    }

    private void CreateCloneActions()
    {
        foreach (var clone in Clones)
        {
            var start = ClonePseudo(clone, "start");
            var running = ClonePseudo(clone, "running");
            var stop = ClonePseudo(clone, "stop");
            var stopped = ClonePseudo(clone, "stopped");
            Order(start, running, OrderFlags.RunnableLeft);
            Order(stop, stopped, OrderFlags.None);
            Order(stopped, start, OrderFlags.None);
            foreach (var inst in clone.Clone!.Instances)
            {
                var leaves = InstanceLeaves(inst).ToList();
                foreach (var a in leaves[0].Actions.Where(a => a.Task == "start"))
                    Order(start, a, OrderFlags.RunnableLeft);
                foreach (var a in leaves.SelectMany(l => l.Actions).Where(a => a.Task == "stop"))
                    Order(stop, a, OrderFlags.None);
                if (GroupOrdered(inst))
                    for (int i = 1; i < leaves.Count; i++)
                        AddOrder(leaves[i - 1], "start", leaves[i], "start", "mandatory", true);
            }
        }
    }

    /// <summary>Order endpoints on a clone: as "first" its summary pseudo action, as "then" the clone's
    /// pseudo action and every instance's action (an ordering reaches each instance).</summary>
    private List<ScheduledAction> CloneActionsFor(WorkResource clone, string task, bool asFirst)
    {
        if (asFirst)
        {
            var done = task switch { "start" => "running", "stop" => "stopped", "promote" => "promoted", "demote" => "demoted", _ => task };
            return [ClonePseudo(clone, done)];
        }
        var result = new List<ScheduledAction> { ClonePseudo(clone, task) };
        foreach (var inst in clone.Children)
            result.AddRange(InstanceActions(inst, task, asFirst: false));
        return result;
    }

    /// <summary>An instance's actions for a task, as an ordering sees them (a group instance starts with its
    /// first member and has started with its last; stops reverse).</summary>
    private static IEnumerable<ScheduledAction> InstanceActions(WorkResource inst, string task, bool asFirst)
    {
        var leaves = InstanceLeaves(inst).ToList();
        bool startish = task is "start" or "promote";
        var leaf = startish ? (asFirst ? leaves[^1] : leaves[0]) : (asFirst ? leaves[0] : leaves[^1]);
        return leaf.Actions.Where(a => a.Task == task && (task != "monitor" || a.IntervalMs != 0));
    }

    /// <summary>Between two clones where the dependent ("then") clone interleaves, each of its instances
    /// is ordered only against the other clone's instance on the same node.</summary>
    private bool TryAddInterleavedOrder(WorkResource first, string fa, WorkResource then, string ta, OrderFlags fwd, bool symmetrical, OrderFlags inv)
    {
        if (!first.IsClone || !then.IsClone || first == then || !then.Clone!.Interleave) return false;
        AddInterleaved(first, fa, then, ta, fwd);
        // The clones themselves stay ordered in the graph (their pseudo-actions).
        var firstDone = CloneActionsFor(first, fa, asFirst: true)[0];
        var thenAction = ClonePseudo(then, ta);
        _cloneLevelGraphOrders.Add((firstDone, thenAction));
        // A clone that cannot become active holds back the clone that needs it, as a whole.
        if ((fwd & OrderFlags.RunnableLeft) != 0) Order(firstDone, thenAction, OrderFlags.RunnableLeft);
        if (symmetrical && Invert(fa) is { Length: > 0 } ifa && Invert(ta) is { Length: > 0 } ita)
        {
            AddInterleaved(then, ita, first, ifa, inv);
            _cloneLevelGraphOrders.Add((CloneActionsFor(then, ita, asFirst: true)[0], ClonePseudo(first, ifa)));
        }
        return true;
    }

    private void AddInterleaved(WorkResource first, string fa, WorkResource then, string ta, OrderFlags flags)
    {
        bool current = ta is "stop" or "demote";
        WorkNode? NodeOf(WorkResource inst) => current ? InstanceCurrentNode(inst) : InstanceAssignedNode(inst);
        foreach (var tInst in then.Children)
        {
            var node = NodeOf(tInst);
            if (node is null) continue;
            var thenActions = InstanceActions(tInst, ta, asFirst: false).ToList();
            var fInst = first.Children.FirstOrDefault(i => NodeOf(i) == node);
            if (fInst is null)
            {
                // Nothing of the first clone will be active beside it: the instance may not be active either.
                if (!current && (flags & (OrderFlags.RunnableLeft | OrderFlags.ImpliesThen)) != 0)
                    Unassign(tInst);
                continue;
            }
            foreach (var f in InstanceActions(fInst, fa, asFirst: true))
                foreach (var t in thenActions)
                    Order(f, t, flags);
        }
        if (!current && (flags & (OrderFlags.RunnableLeft | OrderFlags.ImpliesThen)) != 0)
            _inhibitingOrders.Add((first, then));
    }

    /// <summary>Interleaved mandatory orderings towards a start: (first clone, then clone).</summary>
    private readonly List<(WorkResource First, WorkResource Then)> _inhibitingOrders = [];

    /// <summary>
    /// An instance kept from being active by an interleaved ordering (nothing of the first clone
    /// beside it) in turn keeps the instances ordered after it on its node from being active, whatever
    /// order the constraints came in: Pacemaker re-runs an ordering whenever its first side changed
    /// (tier3 order-clone: dlm stopped, so o2cb, vg1, then ocfs2-1 and ocfs2-2 stay inactive).
    /// </summary>
    private void InhibitAfterUnassignedInstances()
    {
        bool changed = true;
        for (int guard = 0; changed && guard < 100; guard++)
        {
            changed = false;
            foreach (var (first, then) in _inhibitingOrders)
                foreach (var tInst in then.Children)
                {
                    if (InstanceAssignedNode(tInst) is not { } node) continue;
                    if (first.Children.Any(i => InstanceAssignedNode(i) == node)) continue;
                    Unassign(tInst);
                    changed = true;
                }
        }
    }

    private static void Unassign(WorkResource inst)
    {
        foreach (var leaf in InstanceLeaves(inst))
        {
            if (leaf.AssignedNode is { } n) n.AssignedCount--;
            leaf.AssignedNode = null;
            leaf.NextRole = Role.Stopped;
            foreach (var a in leaf.Actions)
            {
                if (a.Task == "start") { a.Runnable = false; a.Optional = true; }
                else if (a.Task == "stop" && leaf.Managed) a.Optional = false;
            }
        }
    }

    /// <summary>A clone's pseudo actions follow its instances: required when any instance's action is;
    /// "running" cannot happen when no instance can be started (or stay started).</summary>
    private bool UpdateClonePseudoActions()
    {
        bool changed = false;
        foreach (var clone in Clones)
        {
            if (!_clonePseudo.ContainsKey((clone, "start"))) continue;
            var start = ClonePseudo(clone, "start");
            var running = ClonePseudo(clone, "running");
            var stop = ClonePseudo(clone, "stop");
            var stopped = ClonePseudo(clone, "stopped");
            bool anyStartRequired = false, anyStartRunnable = false, anyStopRequired = false;
            foreach (var inst in clone.Children)
            {
                var leaves = InstanceLeaves(inst).ToList();
                var starts = leaves.Select(l => l.Actions.FirstOrDefault(a => a.Task == "start" && a.Node is not null)).ToList();
                if (starts.Any(a => a is not null && !a.Optional)) anyStartRequired = true;
                if (starts.All(a => a is not null && a.Runnable)) anyStartRunnable = true;
                if (leaves.SelectMany(l => l.Actions).Any(a => a.Task == "stop" && !a.Optional)) anyStopRequired = true;
            }
            if (anyStartRequired && start.Optional) { start.Optional = false; changed = true; }
            if (anyStartRequired && running.Optional) { running.Optional = false; changed = true; }
            if (anyStopRequired && stop.Optional) { stop.Optional = false; changed = true; }
            if (anyStopRequired && stopped.Optional) { stopped.Optional = false; changed = true; }
            if (running.Runnable && (!anyStartRunnable || !start.Runnable)) { running.Runnable = false; changed = true; }
        }
        return changed;
    }
}

internal sealed partial class SchedulerRun
{
    /// <summary>An anonymous clone is probed once per node, and not at all where any instance has
    /// history: the probe goes to the instance placed on that node, else to the first instance.</summary>
    private bool CloneProbeWanted(WorkResource r, WorkNode n)
    {
        if (r.Instance is not { } ci || ci.Clone.Clone!.Unique) return true;
        var clone = ci.Clone;
        var siblings = CloneLeaves(clone).Where(l => l.Instance!.BaseId == ci.BaseId).ToList();
        if (siblings.Any(l => l.KnownOn.Contains(n))) return false;
        var chosen = clone.Children.FirstOrDefault(i => InstanceAssignedNode(i) == n) ?? clone.Children.FirstOrDefault(i => !i.Orphan);
        return chosen is not null && MemberOf(chosen, ci.BaseId) == r;
    }
}

internal sealed partial class SchedulerRun
{
    /// <summary>Clones that are the first of a clone-min / require-all=false ordering, with its pseudo-action.</summary>
    private readonly List<(WorkResource Clone, ScheduledAction Pseudo)> _cloneMinFirsts = [];

    /// <summary>
    /// The first clone of a clone-min ordering keeps its start and running in the graph while
    /// one of its instances stops and another stays active (as Pacemaker 2.1.5 does: the
    /// ordering gives the stopping instance a start of its own, for which the clone's start and
    /// running are printed). Printing only: nothing else follows from it, so it runs once the
    /// flags have settled.
    /// </summary>
    private void KeepCloneMinStartsOfStoppingClones()
    {
        foreach (var (clone, _) in _cloneMinFirsts)
        {
            static bool Stops(WorkResource l) => l.Actions.Any(a => a.Task == "stop" && !a.Optional);
            var leaves = CloneLeaves(clone).ToList();
            if (!leaves.Any(Stops) || !leaves.Any(l => l.RunningOn.Count > 0 && !Stops(l))) continue;
            foreach (var task in (string[])["start", "running"])
                if (ClonePseudo(clone, task) is { Runnable: true } a) a.Optional = false;
        }
    }

    /// <summary>An ordering whose first clone has clone-min (or require-all=false) waits only for that many
    /// instances, through a "clone-one-or-more:&lt;id&gt;" pseudo action.</summary>
    private bool TryAddOneOrMoreOrder(OrderConstraint c, WorkResource first, string fa, WorkResource then, string ta, string kind, bool symmetrical)
    {
        if (!first.IsClone) return false;
        int min = first.Clone!.CloneMin;
        if (min == 0 && c.RequireAll == false) min = 1;
        if (min == 0) return false;
        var firsts = new List<ScheduledAction>();
        foreach (var inst in first.Children)
            firsts.AddRange(InstanceActions(inst, "start", asFirst: true));
        var pseudo = NewOneOrMore($"clone-one-or-more:{c.Id}", firsts, min);
        _cloneMinFirsts.Add((first, pseudo));
        foreach (var a in firsts) Order(a, pseudo, OrderFlags.None);
        var fwd = kind switch
        {
            "optional" or "serialize" => OrderFlags.None,
            _ => symmetrical ? OrderFlags.ImpliesThen : OrderFlags.Asymmetric,
        };
        foreach (var t in ActionsFor(then, ta, false))
            Order(pseudo, t, fwd | OrderFlags.RunnableLeft);
        if (symmetrical && kind != "serialize" && Invert(fa) is { Length: > 0 } ifa && Invert(ta) is { Length: > 0 } ita)
        {
            var inv = kind == "optional" ? OrderFlags.None : OrderFlags.ImpliesFirst;
            foreach (var f in ActionsFor(then, ita, true))
                foreach (var t in ActionsFor(first, ifa, false))
                    Order(f, t, inv);
            // The inverse is an ordinary ordering: in the graph, instance to instance on the same
            // node when the clone it starts from interleaves (Pacemaker looks at the first clone's
            // interleave for a stop or demote).
            if (then.IsClone && then != first && then.Clone!.Interleave)
                foreach (var tInst in first.Children)
                    if (InstanceCurrentNode(tInst) is { } node && then.Children.FirstOrDefault(i => InstanceCurrentNode(i) == node) is { } fInst)
                        foreach (var f in InstanceActions(fInst, ita, asFirst: true))
                            foreach (var t in InstanceActions(tInst, ifa, asFirst: false))
                                _graphOrders.Add((f, t));
        }
        return true;
    }
}
