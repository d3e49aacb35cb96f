using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    internal readonly List<ScheduledAction> Actions = [];
    internal readonly List<ActionOrder> Orders = [];
    internal readonly List<ScheduledAction> FenceActions = [];
    private readonly Dictionary<WorkNode, ScheduledAction> _fenceByNode = [];

    private ScheduledAction NewAction(WorkResource? rsc, string task, WorkNode? node, long interval = 0)
    {
        var a = new ScheduledAction(Actions.Count + 1, rsc, task, node, interval);
        Actions.Add(a);
        rsc?.Actions.Add(a);
        return a;
    }

    private void Order(ScheduledAction first, ScheduledAction then, OrderFlags flags) => Orders.Add(new ActionOrder(first, then, flags));

    /// <summary>Pacemaker's pe_can_fence: without quorum only no-quorum-policy=ignore, or the
    /// node still being in our membership, allows fencing it.</summary>
    internal bool CanFence(WorkNode node) =>
        Config.StonithEnabled && HaveStonithResource && (HaveQuorum || Config.NoQuorumPolicy == "ignore" || node.Online);

    private void CreateFencing()
    {
        foreach (var node in Nodes.OrderBy(n => n.FenceOrder ?? int.MaxValue))
        {
            if (!node.Unclean || !CanFence(node)) continue;
            // Nothing is fenced until there are resources to manage.
            if (!Primitives.Any(r => r.Managed)) continue;
            if (!Config.StonithEnabled) continue;
            var f = NewAction(null, "stonith", node);
            f.Optional = false;
            f.Detail = Config.StonithAction;
            f.Reason = node.FenceReason ?? "node is unclean";
            _fenceByNode[node] = f;
        }
        // Listed most recently created first, as Pacemaker prints them.
        FenceActions.AddRange(_fenceByNode.Values.Reverse());
        // A clean member asked to shut down (the shutdown attribute) is told to, once its
        // resources have stopped.
        foreach (var node in Nodes)
        {
            if (node.Unclean || !node.Online || !node.Shutdown) continue;
            var down = NewAction(null, "do_shutdown", node);
            down.Optional = false;
            _shutdownByNode[node] = down;
        }
        CreateProbeAgain();
    }

    /// <summary>Nodes whose saved state predates Pacemaker 1.1.14 and says probe_complete=false:
    /// the node is asked to re-probe everything itself (probe_again) instead of being probed
    /// resource by resource.</summary>
    private readonly HashSet<WorkNode> _probeAgain = [];

    private void CreateProbeAgain()
    {
        foreach (var node in Nodes)
        {
            if (!node.Online || node.Unclean || !node.Attributes.TryGetValue("probe_complete", out var done) || Truth.IsTrue(done)) continue;
            NewAction(null, "probe_again", node).Optional = false;
            _probeAgain.Add(node);
        }
    }

    /// <summary>Per node shutting down cleanly: its do_shutdown cluster action.</summary>
    private readonly Dictionary<WorkNode, ScheduledAction> _shutdownByNode = [];

    /// <summary>Every stop on a node shutting down becomes required and comes before the
    /// shutdown; a stop that cannot run blocks it. A resource blocked there (its stop failed)
    /// holds the shutdown back; unmanaged ones and anything in maintenance are left alone.</summary>
    private void OrderStopsBeforeShutdown()
    {
        foreach (var (node, down) in _shutdownByNode)
        {
            if (node.Maintenance) continue;
            foreach (var r in Primitives)
                if (r.Blocked && !r.InMaintenance && r.RunningOn.Contains(node)) { down.Runnable = false; down.SetReason($"unrunnable {r.Id} stop"); }
            foreach (var stop in Actions.Where(a => a.Task == "stop" && a.Node == node && a.Resource is { Primitive: not null }).ToList())
            {
                var r = stop.Resource!;
                if (!r.Managed || r.InMaintenance) continue;
                stop.Optional = false;
                Order(stop, down, OrderFlags.RunnableLeft);
            }
        }
    }

    /// <summary>Runnable flags at creation (Pacemaker's per-action checks: node, quorum).</summary>
    private void InitRunnable(ScheduledAction a)
    {
        var r = a.Resource!;
        if (a.Node is null) { a.Runnable = false; return; }
        // Fencing implies the stops there, but not of an unmanaged resource: Pacemaker skips
        // the fencing constraints of those, so their stops stay unrunnable and block others.
        if (a.Task == "stop" && _fenceByNode.ContainsKey(a.Node) && r.Managed)
        {
            a.Pseudo = true; a.Runnable = true; return;
        }
        if (!a.Node.Online || a.Node.Unclean) { a.Runnable = false; return; }
        if (a.Node.Pending) { a.Runnable = false; return; }
        if (a.Task is "stop" or "demote") return;
        if (r.Requires == "nothing") return;
        if (!HaveQuorum)
        {
            // Without quorum, "suicide" (alias "fence") blocks starts just as "stop" does.
            if (Config.NoQuorumPolicy is "stop" or "demote" or "suicide" or "fence")
            { a.Runnable = false; a.SetReason("no quorum", true); }
            else if (Config.NoQuorumPolicy == "freeze" && (!r.Active || r.NextRole > r.CurrentRole))
            { a.Runnable = false; a.SetReason("quorum freeze", true); }
            // Pacemaker creates a definition-change restart's start before placement, on no
            // node, so unrunnable; "freeze" only ever clears the flag, never sets it again.
            else if (Config.NoQuorumPolicy == "freeze" && a.Task == "start" && r.RestartReason is not null)
                a.Runnable = false;
        }
    }

    private void CreateResourceActions()
    {
        foreach (var r in Primitives)
        {
            // Probes on online nodes without history.
            foreach (var n in Nodes)
                if (n.Online && !n.Pending && !_probeAgain.Contains(n) && !r.KnownOn.Contains(n) && !r.Orphan && CloneProbeWanted(r, n))
                {
                    var p = NewAction(r, "monitor", n);
                    p.Optional = false;
                    if (!r.Managed && !r.Active) { }
                }

            var next = r.AssignedNode;
            var current = r.RunningOn;
            var cur = r.CurrentNode;
            // A resource that needs fencing is multiply active counting every node it is
            // active on, unclean ones included (it is restarted where it stays).
            bool multiplyActive = r.MultiplyActive || (current.Count > 1 && r.Instance is null && r.Primitive is not null && r.Requires == "fencing");
            bool needStop = (multiplyActive && next is not null && r.MultipleActive == "stop_start")
                || (cur is not null && next is not null && cur != next)
                || (r.Failed && current.Count > 0)
                || ((r.RestartReason is not null || r.ForcedRestart) && current.Count > 0);
            var stops = new List<ScheduledAction>();
            foreach (var n in current)
            {
                var s = NewAction(r, "stop", n);
                // A copy on a node being fenced is stopped by the fencing itself: its stop is not
                // a reason to restart the copy that stays where it is.
                s.Optional = !(needStop || next is null || (n != next && !n.Unclean));
                if (next is null && r.Managed) s.SetReason("node availability", true);
                else if (r.MultiplyActive && r.MultipleActive == "stop_unexpected" && n != next) { s.Optional = false; s.SetReason("being multiply active", true); }
                InitRunnable(s);
                if (!r.Managed) { s.Runnable = false; s.Optional = true; }
                stops.Add(s);
            }
            ScheduledAction start;
            if (next is not null)
            {
                start = NewAction(r, "start", next);
                start.Optional = cur == next && !needStop;
                // The definition change's start is created before placement with its reason;
                // placing it re-evaluates its runnability, and for a resource that requires
                // nothing that clears the reason (the line then reads a bare "Restart").
                if (r.RestartReason is not null && r.Requires != "nothing") start.SetReason(r.RestartReason, true);
                InitRunnable(start);
                // An unmanaged resource's actions are optional, but a restart it needs (multiply
                // active, failed) makes its start required again when it can run. Pacemaker asks
                // for that start once more when it creates the recurring monitors, which makes it
                // optional again; it skips that on a maintenance node and for a resource in
                // maintenance, so there the start stays required (and is left out of the graph).
                if (!r.Managed && !(needStop && start.Runnable && !r.Blocked && !r.StartupDisabled && (next.Maintenance || r.InMaintenance)))
                    start.Optional = true;
                // A probe that cannot run (pending node) blocks the start while the whole
                // top-level resource is inactive, but never stops an active one.
                if (Nodes.Any(n => n.Online && n.Pending && !n.Unclean && !r.KnownOn.Contains(n)) && !r.Orphan
                    && !LeafMembers(r.Top).Any(l => l.Active))
                    start.Runnable = false;
            }
            else
            {
                // A stand-in start so orderings on this resource see it cannot start.
                start = NewAction(r, "start", null);
                start.Runnable = false;
                // A running resource that is to stop has a required (unrunnable) start: what is
                // ordered after it is "required <r> start", as Pacemaker words it.
                start.Optional = current.Count == 0 || !r.Managed;
                _standInStarts.Add(start);
            }
            foreach (var s in stops)
                Order(s, start, OrderFlags.ImpliesThen | OrderFlags.Restart);
            if (_fenceByNode.Count > 0 && next is not null && r.Requires == "fencing")
                foreach (var f in _fenceByNode.Values) Order(f, start, OrderFlags.None);
        }
    }

    private List<ScheduledAction> ActionsFor(WorkResource r, string task, bool asFirst)
    {
        if (r.IsClone) return CloneActionsFor(r, task, asFirst);
        if (r.IsGroup && GroupOrderingActions(r, task, asFirst) is { } groupActions) return groupActions;
        var leaf = r;
        if (r.IsGroup && r.Children.Count > 0)
        {
            bool startish = task is "start" or "promote";
            // A group starts with its first member and is started after its last one; stops reverse.
            leaf = startish ? (asFirst ? r.Children[^1] : r.Children[0]) : (asFirst ? r.Children[0] : r.Children[^1]);
        }
        var found = leaf.Actions.Where(a => a.Task == task && (task != "monitor" || a.IntervalMs != 0)).ToList();
        if (found.Count == 0)
        {
            var stub = NewAction(leaf, task, null);
            stub.Runnable = false;
            found.Add(stub);
        }
        return found;
    }

    /// <summary>A group's member action reached by an ordering on the group: flags only, the graph
    /// orders it through the group's pseudo-action.</summary>
    private static OrderFlags ThroughGroup(WorkResource named, ScheduledAction then) =>
        named.IsGroup && then.Resource != named ? OrderFlags.FlagsOnly : OrderFlags.None;

    private static string Invert(string task) => task switch
    {
        "start" => "stop",
        "stop" => "start",
        "promote" => "demote",
        "demote" => "promote",
        _ => "",
    };

    private void AddOrder(WorkResource first, string fa, WorkResource then, string ta, string kind, bool symmetrical)
    {
        OrderFlags fwd, inv;
        switch (kind)
        {
            case "optional": fwd = OrderFlags.None; inv = OrderFlags.None; break;
            case "serialize": fwd = OrderFlags.None; inv = OrderFlags.None; symmetrical = false; break;
            default:
                if (symmetrical)
                {
                    fwd = OrderFlags.ImpliesThen | (fa is "start" or "promote" ? OrderFlags.RunnableLeft : OrderFlags.None);
                    inv = OrderFlags.ImpliesFirst;
                }
                else
                {
                    fwd = OrderFlags.Asymmetric;
                    inv = OrderFlags.None;
                }
                break;
        }
        if (TryAddInterleavedOrder(first, fa, then, ta, fwd, symmetrical, inv)) return;
        foreach (var f in ActionsFor(first, fa, true))
        {
            _orderedFirst.Add(f);
            foreach (var t in ActionsFor(then, ta, false))
                if (_orderedPairs.Add((f, t))) Order(f, t, fwd | ThroughGroup(then, t));
        }
        if (symmetrical && Invert(fa) is { Length: > 0 } ifa && Invert(ta) is { Length: > 0 } ita)
            foreach (var f in ActionsFor(then, ita, true))
                foreach (var t in ActionsFor(first, ifa, false))
                    if (_orderedPairs.Add((f, t))) Order(f, t, inv | ThroughGroup(first, t));
    }

    private void ApplyOrderConstraints()
    {
        foreach (var g in TopResources.Where(r => r.IsGroup))
            for (int i = 1; i < g.Children.Count; i++)
                AddOrder(g.Children[i - 1], "start", g.Children[i], "start", "mandatory", true);

        foreach (var c in _cib.Constraints.OfType<OrderConstraint>())
        {
            var kind = (c.Kind ?? (c.ScoreText is { } sc && Score.Parse(sc).Value == 0 ? "Optional" : "Mandatory")).ToLowerInvariant();
            bool symmetrical = c.Symmetrical ?? kind != "serialize";
            if (c.Sets.Count == 0)
            {
                if (c.First is null || c.Then is null || !ById.TryGetValue(c.First, out var f) || !ById.TryGetValue(c.Then, out var t)) continue;
                var fa = c.FirstAction ?? "start";
                var ta = c.ThenAction ?? fa;
                if (TryAddOneOrMoreOrder(c, f, fa, t, ta, kind, symmetrical)) continue;
                AddOrder(f, fa, t, ta, kind, symmetrical);
                continue;
            }
            var sets = c.Sets.Select(s => (s, list: s.Resources.Where(ById.ContainsKey).Select(id => ById[id]).ToList())).ToList();
            foreach (var (s, list) in sets)
            {
                if (!s.Sequential) continue;
                var a = s.Action ?? "start";
                var k = (s.Kind ?? kind).ToLowerInvariant();
                for (int i = 1; i < list.Count; i++) AddOrder(list[i - 1], a, list[i], a, k, symmetrical);
            }
            for (int k = 1; k < sets.Count; k++)
            {
                var prev = sets[k - 1]; var cur = sets[k];
                if (AddRelaxedSetOrder(prev.s, prev.list, cur.s, cur.list, kind, symmetrical)) continue;
                var firsts = prev.s.Sequential ? prev.list.TakeLast(1) : prev.list;
                var thens = cur.s.Sequential ? cur.list.Take(1) : cur.list;
                foreach (var f in firsts)
                    foreach (var t in thens)
                        AddOrder(f, prev.s.Action ?? "start", t, cur.s.Action ?? "start", kind, symmetrical);
            }
        }
        InhibitAfterUnassignedInstances();
    }

    private static void MakeRequired(ScheduledAction a, ScheduledAction cause)
    {
        if (!a.Optional) return;
        a.Optional = false;
        if (cause.Resource is not null && a.Resource != cause.Resource) a.SetRequiredBy(cause, $"required {cause.Resource.Id} {cause.Task}");
        else if (cause.Resource is null) a.SetReason($"required {cause.Task}");
    }

    private static void MakeUnrunnable(ScheduledAction a, ScheduledAction cause)
    {
        if (!a.Runnable) return;
        a.Runnable = false;
        // An unmanaged resource's stop is unrunnable from the outset, so Pacemaker blocks the
        // stop ordered after it (a group's previous member) before requiredness reaches that
        // stop through the group: it names the unmanaged stop, not "required <member> stop"
        // (wide seeds 117, 835).
        bool outset = a.Task == "stop" && cause is { Task: "stop", Resource.Managed: false } && a.RequiredBy is { Task: "stop" };
        if (cause.Resource is not null && a.Resource != cause.Resource) a.SetReason($"unrunnable {cause.Resource.Id} {cause.Task}", outset);
        else if (cause.Resource is null) a.SetReason($"unrunnable {cause.Task}");
        // A running resource that can no longer start must stop, and the (runnable) stop it is
        // ordered after makes the start required at once: what follows the start sees
        // "required <r> start" before it sees the start unrunnable.
        // Primitives only: a clone's or group's stop pseudo-action follows its instances.
        if (a.Task == "start" && a.Optional && a.Resource is { Managed: true, Primitive: not null } r
            && r.Actions.Any(s => s.Task == "stop" && s.Runnable))
        {
            a.Optional = false;
            foreach (var s in r.Actions)
                if (s.Task == "stop" && s.Runnable) s.Optional = false;
        }
    }

    private HashSet<ScheduledAction>? _groupRequiredFirst;

    /// <summary>
    /// Whether a then-action counts as required for the first action of an implies-first ordering.
    /// A clone's node-less pseudo-action is judged, as Pacemaker judges it, on the first action's
    /// node: required only if an instance's action of that task there is. A resource ordered before
    /// a clone is restarted when an instance on its own node stops, not when one elsewhere does
    /// (tier3 rsc-sets-clone, clone_min_stop_one).
    /// </summary>
    private static bool CloneActionRequiredOn(ScheduledAction t, ScheduledAction f)
    {
        if (f.Node is not { } node || f.Resource is null || t.Resource is not { } tr) return true;
        if (f.Resource.Top == tr.Top) return true;
        // An instance's action stands for its clone's: it counts only on the first action's node.
        if (tr.Instance is not null && t.Node is not null) return t.Node == node;
        if (t.Node is not null || !t.Pseudo || !tr.IsClone) return true;
        if (t.Task is not ("start" or "stop" or "promote" or "demote")) return true;
        foreach (var leaf in CloneLeaves(tr))
            foreach (var a in leaf.Actions)
                if (a.Task == t.Task && a.Node == node && !a.Optional) return true;
        return false;
    }

    /// <summary>
    /// The same for implies-then, seen from the then side: a clone's node-less pseudo-action is judged on
    /// the then action's node (a group's: where the group is placed). A resource ordered after a clone
    /// does not restart because an instance starts on another node (tier3 bug-lf-2581).
    /// </summary>
    private static bool CloneActionRequiredFor(ScheduledAction f, ScheduledAction t)
    {
        if (f.Node is not null || !f.Pseudo || f.Resource is not { IsClone: true } clone || t.Resource is not { } tr) return true;
        if (tr.Top == clone.Top) return true;
        var node = t.Node ?? (tr.IsGroup ? tr.Children.Select(c => c.AssignedNode).FirstOrDefault(n => n is not null) : null);
        if (node is null) return true;
        var task = f.Task switch
        {
            "start" or "running" => "start",
            "stop" or "stopped" => "stop",
            "promote" or "promoted" => "promote",
            "demote" or "demoted" => "demote",
            _ => null,
        };
        if (task is null) return true;
        foreach (var leaf in CloneLeaves(clone))
            foreach (var a in leaf.Actions)
                if (a.Task == task && a.Node == node && !a.Optional) return true;
        return false;
    }

    /// <summary>Propagates required/unrunnable flags along orderings until nothing changes.</summary>
    private void Propagate()
    {
        bool changed = true;
        int guard = 0;
        while (changed && guard++ < 1000)
        {
            changed = UpdateClonePseudoActions() | UpdateGroupPseudoFlags() | UpdateOneOrMoreFlags();
            // A group's running that its members make both required (a member starts somewhere)
            // and unrunnable from the outset (Pacemaker derives it from them whenever asked)
            // reaches what follows it as required first, as an active resource's start does.
            if (_groupRequiredFirst is null)
                _groupRequiredFirst = [.. _groupPseudo.Where(kv => kv.Key.Children.Any(m => m.Actions.Any(a => a.Task == "start" && a.Node is not null && !a.Optional)))
                    .Select(kv => kv.Value["running"]).Where(r => !r.Optional && !r.Runnable)];
            foreach (var o in Orders)
            {
                var f = o.First; var t = o.Then;
                bool fo = f.Optional, fr = f.Runnable, to = t.Optional, tr = t.Runnable;
                // An active resource's start that can no longer run was made required at once (see
                // MakeUnrunnable): what follows it sees it required first. Any other required start
                // that cannot run (a stopped resource's, blocked from the outset) reaches what
                // follows it as unrunnable first.
                bool requiredFirst = (f.Task == "start" && f.Resource is { Active: true, Primitive: not null }) || _groupRequiredFirst.Contains(f);
                if (requiredFirst && o.Flags.HasFlag(OrderFlags.ImpliesThen) && !f.Optional && t.Optional && CloneActionRequiredFor(f, t)) MakeRequired(t, f);
                // A clone's pseudo-action is not made required through implies-first: Pacemaker
                // compares the clone's summary of its instances, which is required only when an
                // instance's action is (and then the pseudo-action already is).
                if (o.Flags.HasFlag(OrderFlags.ImpliesFirst) && !t.Optional && f.Optional && !(f.Pseudo && f.Node is null && f.Task == "stopped" && f.Resource is { IsClone: true })
                    && CloneActionRequiredOn(t, f)) MakeRequired(f, t);
                // A required action that cannot run blocks everything mandatorily ordered after it.
                // A stop implied by fencing that became unrunnable (ordered after an unmanaged
                // resource's stop there, which fencing does not imply) blocks like a real one.
                bool fencedStop = f.Pseudo && f.Task == "stop" && f.Node is not null && _fenceByNode.ContainsKey(f.Node);
                if (o.Flags.HasFlag(OrderFlags.ImpliesFirst) && !f.Optional && !f.Runnable && (!f.Pseudo || fencedStop) && f.Node is not null && (fencedStop || (f.Resource?.Parent is { IsGroup: true } fp && t.Resource?.Parent == fp)) && t.Runnable) MakeUnrunnable(t, f);
                // Node-less pseudo-actions (a group's running/stopped) pass unrunnability on.
                bool fBlocks = !f.Pseudo || f.Node is null || fencedStop;
                if (o.Flags.HasFlag(OrderFlags.RunnableLeft) && !f.Runnable && t.Runnable && fBlocks) MakeUnrunnable(t, f);
                if (!requiredFirst && o.Flags.HasFlag(OrderFlags.ImpliesThen) && !f.Optional && t.Optional && CloneActionRequiredFor(f, t)) MakeRequired(t, f);
                if (o.Flags.HasFlag(OrderFlags.Asymmetric) && !f.Runnable && !t.Optional && t.Runnable && fBlocks) MakeUnrunnable(t, f);
                // An unmanaged, blocked resource's stop cannot run, and nothing mandatorily
                // ordered with it can either (the action keeps its own reason).
                if ((o.Flags & (OrderFlags.ImpliesThen | OrderFlags.ImpliesFirst | OrderFlags.Restart)) != 0
                    && f.Task == "stop" && !f.Runnable && f.Resource is { Managed: false, Blocked: true } && t.Runnable)
                    t.Runnable = false;
                if (o.Flags.HasFlag(OrderFlags.Restart) && t.Resource?.Managed == true)
                {
                    bool reason = !t.Runnable || !t.Optional;
                    if (reason && f.Optional && f.Runnable) MakeRequired(f, t);
                    if (reason && !f.Optional && !f.Runnable) MakeUnrunnable(t, f);
                }
                if (fo != f.Optional || fr != f.Runnable || to != t.Optional || tr != t.Runnable) changed = true;
            }

        }
    }
}
