using System.Globalization;
using Cluster.Crm.Cib;
using Cluster.Crm.Graph;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// Turns the scheduled actions into Pacemaker's transition graph: the executable actions, each
/// with the attributes the executor is handed (CRM_meta_* from the operation's configuration,
/// op_defaults and the node; the resource's parameters), and as inputs the orderings between
/// executable actions.
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>Orderings that only shape the graph (probe before start, fencing before implied
    /// stops, start before its monitors); they never change an action's flags.</summary>
    private readonly List<(ScheduledAction First, ScheduledAction Then)> _graphOrders = [];

    // A node about to be fenced is not probed: its state is about to be known anyway.
    // An unmanaged resource is never started, stopped, promoted or demoted (Pacemaker makes those
    // actions optional); only its monitors and their cancels run.
    // A start still in flight where the resource stays is issued again (Pacemaker prints that
    // optional start always: the controller has to learn its result).
    private static bool Executable(ScheduledAction a) => (!a.Optional || RepeatsPendingStart(a)) && a.Runnable && (a.Node is not null || a.Pseudo)
        && !(a.IsProbe && a.Node!.Unclean)
        && !(a.Resource is { Managed: false, Primitive: not null } && !a.Pseudo && a.Task is "start" or "stop" or "promote" or "demote" or "migrate_to" or "migrate_from");

    private static bool RepeatsPendingStart(ScheduledAction a) =>
        a.Task == "start" && a.Resource is { Pending: PendingTask.Starting, Managed: true } r && a.Node is not null && a.Node == r.AssignedNode;

    private TransitionGraph BuildGraph()
    {
        var props = NvSet.Flatten(_cib.ClusterProperties, Ctx());
        string P(string name, string fallback) => props.TryGetValue(name, out var v) ? v : fallback;
        var settings = new GraphSettings(
            P("cluster-delay", "60s"), P("stonith-timeout", "60s"), "INFINITY",
            Config.StartFailureIsFatal ? "INFINITY" : "1",
            int.TryParse(P("batch-limit", "0"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var bl) ? bl : 0, 0);

        var exec = Actions.Where(Executable).ToList();
        // A group's start/stop pseudo-action is in the graph when a member's start/stop is
        // required; its running/stopped when a member's is executable and none is blocked.
        var groupPseudo = _groupPseudo.SelectMany(kv => kv.Value.Select(t => (Group: kv.Key, Task: t.Key, Action: t.Value))).ToList();
        var execSet = exec.ToHashSet();
        foreach (var (g, task, a) in groupPseudo)
        {
            var mt = MemberTask(task);
            // A member that is not active has no stop: the stand-in that orderings created for it holds nothing back.
            var memberActions = g.Children.SelectMany(m => m.Actions.Where(x => x.Task == mt && (mt != "stop" || x.Node is not null || m.Active))).ToList();
            // An unmanaged member's required start is left out of the graph, yet its group's
            // start and running are required by it all the same.
            bool unmanagedRequired = mt == "start" && memberActions.Any(x => !x.Optional && x.Runnable && x.Node is not null && !x.Resource!.Managed);
            bool wanted = mt == task
                ? a.Runnable && memberActions.Any(x => !x.Optional && x.Node is not null && (x.Resource!.Managed || unmanagedRequired))
                : (memberActions.Any(execSet.Contains) || unmanagedRequired) && memberActions.All(x => x.Runnable);
            if (wanted && !execSet.Contains(a)) exec.Add(a);
            else if (!wanted && execSet.Contains(a)) exec.Remove(a);
        }
        // A one-or-more pseudo-action is in the graph when it can run and something executable waits for it.
        foreach (var (pseudo, firsts, _) in _oneOrMore)
        {
            // A clone-min one (after a clone's instances) is there when an instance starts.
            bool wanted = _cloneMinFirsts.Any(c => c.Pseudo == pseudo)
                ? pseudo.Runnable && firsts.Any(execSet.Contains)
                : pseudo.Runnable && Orders.Any(o => o.First == pseudo && execSet.Contains(o.Then));
            if (wanted && !execSet.Contains(pseudo)) exec.Add(pseudo);
            else if (!wanted && execSet.Contains(pseudo)) exec.Remove(pseudo);
        }
        // A promotable clone's promote (demote) and its completion are runnable only while some
        // instance's promote (demote) is: Pacemaker summarises the clone's flags from its instances'.
        foreach (var clone in Clones.Where(IsPromotable))
            foreach (var (task, done) in ((string, string)[])[("promote", "promoted"), ("demote", "demoted")])
            {
                if (CloneLeaves(clone).Any(l => l.Actions.Any(a => a.Task == task && a.Node is not null && a.Runnable))) continue;
                foreach (var pseudo in new[] { PromotablePseudo(clone, task), PromotablePseudo(clone, done) })
                    if (pseudo is not null && execSet.Remove(pseudo)) exec.Remove(pseudo);
            }
        // Without quorum (under a policy that blocks starts) a group's or clone's start pseudo-action
        // is left out when none of its members' starts can run, as Pacemaker 2.1.5 leaves it out;
        // under "freeze" only when quorum is what blocks them all (an active group whose members
        // cannot move keeps it, bug-cl-5212).
        if (!HaveQuorum && Config.NoQuorumPolicy is "stop" or "demote" or "suicide" or "fence" or "freeze")
            foreach (var start in exec.Where(a => a.Pseudo && a.Node is null && a.Task == "start" && a.Resource is { IsGroup: true } or { IsClone: true }).ToList())
            {
                var leaves = start.Resource!.IsClone ? CloneLeaves(start.Resource) : start.Resource.Children;
                var starts = leaves.SelectMany(l => l.Actions.Where(x => x.Task == "start" && x.Node is not null)).ToList();
                if (starts.Any(x => x.Runnable)) continue;
                if (Config.NoQuorumPolicy == "freeze" && !starts.All(x => x.Reason == "quorum freeze")) continue;
                if (execSet.Remove(start)) exec.Remove(start);
            }
        AddInstanceGroupPseudo(exec, execSet);
        AddNotifications(exec);
        var inGraph = exec.ToHashSet();
        AddGraphOrders(exec);
        AddInstanceGroupOrders();
        var inputs = new Dictionary<ScheduledAction, List<int>>();
        void Input(ScheduledAction first, ScheduledAction then)
        {
            if (first == then || !inGraph.Contains(first) || !inGraph.Contains(then)) return;
            if (!inputs.TryGetValue(then, out var list)) inputs[then] = list = [];
            if (!list.Contains(first.Id)) list.Add(first.Id);
        }
        foreach (var (oFirst, oThen) in Orders.Where(o => !o.Flags.HasFlag(OrderFlags.FlagsOnly)).Select(o => (o.First, o.Then)).Concat(_cloneLevelGraphOrders))
        {
            // What waits on a notifying clone from outside waits until it has been told the outcome.
            var first = RolePseudo(oFirst);
            var then = RolePseudo(oThen);
            if (_notifyPostDone.TryGetValue(first, out var postDone) && then.Resource?.Top != first.Resource) first = postDone;
            if (ThroughInstanceGroup(first, then)) continue;
            (first, then) = BetweenInstanceGroups(first, then);
            // An ordering with a clone as 'then' reaches its instances' flags, but in the graph only
            // the clone's own pseudo-action waits (interleaved orderings are instance to instance).
            if (then.Resource is { Instance: not null } ti && then.Node is not null && first.Resource is { Instance: null } fr
                && fr.Top != ti.Top) continue;
            // So does one whose first side is a one-or-more pseudo-action.
            if (then.Resource is { Instance: not null } && then.Node is not null && first.Resource is null && _oneOrMore.Any(m => m.Pseudo == first)) continue;
            Input(first, then);
        }
        foreach (var (f, t) in _graphOrders) Input(f, t);
        FindUnsatisfiableInputs(inGraph);

        // Synapse order is Pacemaker's: resource by resource (a collective before its members),
        // newest action first; then the actions of no resource (fencing), newest first. The
        // executor walks synapses in this order, so it decides which of the ready actions go first.
        var rank = new Dictionary<WorkResource, int>();
        void Rank(WorkResource r)
        {
            rank[r] = rank.Count;
            foreach (var c in r.Children) Rank(c);
        }
        // Pacemaker's resource list is sorted by priority (highest first, stable) when unpacked.
        foreach (var r in TopResources.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i).Select(x => x.r)) Rank(r);
        exec.Sort((x, y) =>
        {
            int rx = x.Resource is { } a1 && rank.TryGetValue(a1, out var i1) ? i1 : int.MaxValue;
            int ry = y.Resource is { } a2 && rank.TryGetValue(a2, out var i2) ? i2 : int.MaxValue;
            return rx != ry ? rx.CompareTo(ry) : y.Id.CompareTo(x.Id);
        });
        var synapses = new List<Synapse>(exec.Count);
        foreach (var a in exec)
        {
            var ins = inputs.TryGetValue(a, out var l) ? l : [];
            ins.Sort();
            synapses.Add(new Synapse(synapses.Count, SynapsePriority(a), ToGraphAction(a), ins));
        }
        return new TransitionGraph(settings, synapses);
    }

    /// <summary>Graph actions mandatorily ordered after a required action the graph lacks, with that action.</summary>
    internal readonly List<(ScheduledAction Waiting, ScheduledAction Missing)> UnsatisfiableInputs = [];

    /// <summary>Pacemaker keeps an input whose action is required but not in the graph (it cannot
    /// run: a stop on a node that can be neither reached nor fenced; or the group pseudo-action
    /// waiting for it) when the ordering can change actions (more than an optional ordering). Such
    /// an input never completes, so neither does what waits on it: the transition ends
    /// "terminated" and crm_simulate calls it invalid. Primitives and groups only.</summary>
    private void FindUnsatisfiableInputs(HashSet<ScheduledAction> inGraph)
    {
        static bool Covered(ScheduledAction a) => a.Resource is { Primitive: not null } or { IsGroup: true, Parent: null };
        // A group's stopped that must happen (a member stops) but cannot (another member's stop
        // cannot run: it is blocked or unmanaged) holds back what an anti-colocation orders after it.
        foreach (var (first, then) in _antiColocationOrders)
            if (inGraph.Contains(then) && !inGraph.Contains(first) && !first.Optional && !first.Runnable && first.Pseudo && first.Task == "stopped"
                && first.Resource is { IsGroup: true, Parent: null } g && then.Resource is { Instance: null }
                && g.Children.Any(m => m.Actions.Any(x => x.Task == "stop" && x.Node is not null && !x.Runnable)))
                UnsatisfiableInputs.Add((then, first));
        foreach (var o in Orders)
        {
            if (o.Flags.HasFlag(OrderFlags.FlagsOnly) || (o.Flags & ~OrderFlags.Optional) == OrderFlags.None) continue;
            var (first, then) = (o.First, o.Then);
            if (!inGraph.Contains(then) || inGraph.Contains(first) || first.Optional) continue;
            // A primitive's node-less action is a stand-in for one it does not have (the stop of a stopped resource).
            if (first.Node is null && !first.Pseudo) continue;
            // An unmanaged resource's start that something made required (a group member after one
            // that starts) can run but is left out: its group's running waits for it in vain.
            bool unmanagedStart = first.Resource is { Managed: false, Primitive: not null } && first.Task == "start"
                && first.Runnable && then.Pseudo && then.Resource == first.Resource.Parent;
            if (first.Runnable && !unmanagedStart) continue;
            // Otherwise an unmanaged resource's actions are optional to Pacemaker: never an input.
            if (first.Resource?.Managed == false && !unmanagedStart) continue;
            // A group's pseudo-action cannot complete only if a member's own action that it waits
            // for is required and cannot run (not a stand-in for a stopped member's stop).
            if (first.Pseudo && first.Resource is { IsGroup: true } g && !g.Children.Any(m => m.Managed && m.Actions.Any(x =>
                    x.Task == MemberTask(first.Task) && x.Node is not null && !x.Optional && !x.Runnable))) continue;
            if (!Covered(first) || !Covered(then) || first.Resource!.Instance is not null || then.Resource!.Instance is not null) continue;
            UnsatisfiableInputs.Add((then, first));
        }
    }

    /// <summary>An ordering that named a promotable clone's promote/demote (or their completions)
    /// through the generic clone pseudo-actions means the promotion pseudo-action of that name.</summary>
    private ScheduledAction RolePseudo(ScheduledAction a) =>
        a.Pseudo && a.Node is null && a.Resource is { IsClone: true } c && a.Task is "promote" or "promoted" or "demote" or "demoted"
        && _clonePseudo.GetValueOrDefault((c, a.Task)) == a && PromotablePseudo(c, a.Task) is { } real ? real : a;

    private int SynapsePriority(ScheduledAction a)
    {
        if (a.Resource is null) return 0;
        // Post-notifications run as soon as they can, as the completion they report.
        if (_notifyKeys.TryGetValue(a, out var nk)) return nk.Type is "post" or "confirmed-post" ? Score.InfinityValue : 0;
        // A clone's completion pseudo-actions are the points many others wait for: Pacemaker runs them first.
        if (a.Pseudo && a.Node is null && a.Resource.IsClone && a.Task is "running" or "stopped" or "promoted" or "demoted")
            return Score.InfinityValue;
        return a.Resource.Priority;
    }

    /// <summary>The orderings Pacemaker adds for the graph alone.</summary>
    private void AddGraphOrders(List<ScheduledAction> exec)
    {
        var starts = exec.Where(a => a.Task == "start" && a.Resource is not null && a.Node is not null)
            .ToLookup(a => a.Resource!);
        foreach (var p in exec.Where(a => a.IsProbe && a.Resource is not null))
        {
            // A clone instance's probe comes before the clone's start, and before its stopped
            // (the clone is not done stopping until the probe says whether the instance runs).
            if (p.Resource!.Top is { IsClone: true } clone)
            {
                if (_clonePseudo.TryGetValue((clone, "start"), out var cs)) _graphOrders.Add((p, cs));
                if (_clonePseudo.TryGetValue((clone, "stopped"), out var cst)) _graphOrders.Add((p, cst));
                // A cloned group's members start after their group instance's start, which the graph may lack.
                if (p.Resource.Parent == clone || _instanceGroupPseudo.ContainsKey((p.Resource.Parent!, "start"))) continue;
            }
            foreach (var s in starts[p.Resource!]) _graphOrders.Add((p, s));
        }
        // A group's start and stop pseudo-actions come before its members' starts and stops.
        foreach (var (g, map) in _groupPseudo)
            foreach (var m in g.Children)
                foreach (var a in m.Actions)
                {
                    if (a.Task == "start") _graphOrders.Add((map["start"], a));
                    else if (a.Task == "stop") _graphOrders.Add((map["stop"], a));
                }
        // A group member stops before the last active member listed before it, even across
        // members that are not active (and have no stop to pass the ordering on).
        foreach (var g in _groupPseudo.Keys)
        {
            WorkResource? lastActive = null;
            foreach (var m in g.Children)
            {
                if (!m.Active) continue;
                if (lastActive is not null)
                    foreach (var s in m.Actions.Where(a => a.Task == "stop" && a.Node is not null))
                        foreach (var prev in lastActive.Actions.Where(a => a.Task == "stop" && a.Node is not null)) _graphOrders.Add((s, prev));
                lastActive = m;
            }
        }
        // A clone has started (stopped) once each of its primitive instances has.
        foreach (var clone in Clones)
        {
            if (!_clonePseudo.TryGetValue((clone, "running"), out var running) || !_clonePseudo.TryGetValue((clone, "stopped"), out var stopped)) continue;
            foreach (var inst in clone.Children.Where(i => i.Primitive is not null))
                foreach (var a in inst.Actions)
                {
                    if (a.Task == "start") _graphOrders.Add((a, running));
                    else if (a.Task == "stop") _graphOrders.Add((a, stopped));
                }
        }
        // An ordered clone starts its instances one after the other and stops them in reverse
        // (neighbours in instance order, whether or not the ones between act); what would stop an
        // instance (its probes) comes before its predecessor's stop too.
        foreach (var clone in Clones.Where(c => c.Clone!.Ordered))
            for (int i = 1; i < clone.Children.Count; i++)
            {
                var (prev, cur) = (clone.Children[i - 1], clone.Children[i]);
                if (prev.Primitive is null || cur.Primitive is null) continue;
                foreach (var ps in prev.Actions.Where(a => a.Task == "start" && a.Node is not null))
                    foreach (var cs in cur.Actions.Where(a => a.Task == "start" && a.Node is not null)) _graphOrders.Add((ps, cs));
                foreach (var prevStop in prev.Actions.Where(a => a.Task == "stop" && a.Node is not null))
                {
                    foreach (var curStop in cur.Actions.Where(a => a.Task == "stop" && a.Node is not null)) _graphOrders.Add((curStop, prevStop));
                    foreach (var probe in exec.Where(a => a.IsProbe && a.Resource == cur)) _graphOrders.Add((probe, prevStop));
                }
            }
        // A promotable clone promotes once it is running, and stops once it has demoted.
        foreach (var clone in Clones)
        {
            if (PromotablePseudo(clone, "promote") is { } promote && _clonePseudo.TryGetValue((clone, "running"), out var running))
                _graphOrders.Add((running, promote));
            if (PromotablePseudo(clone, "demoted") is { } demoted)
            {
                // Instances stop and start only once the clone has demoted.
                if (_clonePseudo.TryGetValue((clone, "stop"), out var stop)) _graphOrders.Add((demoted, stop));
                if (_clonePseudo.TryGetValue((clone, "start"), out var start)) _graphOrders.Add((demoted, start));
            }
            if (PromotablePseudo(clone, "promote") is { } promote2 && _clonePseudo.TryGetValue((clone, "stopped"), out var stopped))
                _graphOrders.Add((stopped, promote2));
        }
        AddProbeOrders(exec);
        // Stops implied by fencing complete with the fencing, and so does the stop of the
        // resource's top-level collective; but only for resources that need fencing: a fence
        // device's (requires=quorum) implied stop must not wait for the fencing it may perform.
        foreach (var a in exec.Where(a => a.Pseudo && a.Node is not null && a.Task is "stop" or "demote"))
        {
            if (!_fenceByNode.TryGetValue(a.Node!, out var f) || a.Resource is not { Requires: "fencing" } r) continue;
            _graphOrders.Add((f, a));
            if (a.Task == "stop" && TopStop(r) is { } topStop) _graphOrders.Add((f, topStop));
        }
        // Without concurrent-fencing, fencing runs one node at a time; the DC is fenced last.
        _cib.RootAttributes.TryGetValue("dc-uuid", out var dcId);
        var fences = Nodes.Where(n => _fenceByNode.ContainsKey(n)).Select(n => _fenceByNode[n]).Where(exec.Contains).ToList();
        var dcFence = fences.FirstOrDefault(f => f.Node!.Id == dcId);
        var others = fences.Where(f => f != dcFence).ToList();
        if (!Config.ConcurrentFencing)
            for (int i = 1; i < others.Count; i++) _graphOrders.Add((others[i - 1], others[i]));
        // The DC goes last, fenced or shut down: after each other fencing when they run
        // concurrently, else after the last of their chain; a DC shutdown also waits for the
        // other nodes' shutdowns (one election, not several).
        var dcShutdown = _shutdownByNode.Values.FirstOrDefault(d => d.Node!.Id == dcId && exec.Contains(d));
        var dcDown = dcFence ?? dcShutdown;
        if (dcDown is not null)
        {
            if (Config.ConcurrentFencing) foreach (var f in others) _graphOrders.Add((f, dcDown));
            else if (others.Count > 0) _graphOrders.Add((others[^1], dcDown));
            if (dcDown == dcShutdown)
                foreach (var d in _shutdownByNode.Values.Where(d => d != dcShutdown && exec.Contains(d))) _graphOrders.Add((d, dcDown));
        }
        // Starts and promotions of resources that need fencing wait for every fencing. A
        // resource that needs only quorum waits for the fencing of a node where it may run but
        // whose state of it is unknown (never probed there): it may be active there.
        foreach (var f in fences)
            foreach (var s in exec.Where(a => a.Task is "start" or "promote" && a.Resource is { Primitive: not null, Managed: true } && a.Node is not null))
            {
                var r = s.Resource!;
                if (r.Requires == "fencing"
                    || (r.Requires == "quorum" && s.Task == "start" && IsAllowed(r, f.Node!) && !r.KnownOn.Contains(f.Node!)))
                    _graphOrders.Add((f, s));
            }
    }

    /// <summary>The stop pseudo-action of a primitive's top-level group or clone, if it has one.</summary>
    private ScheduledAction? TopStop(WorkResource r)
    {
        var top = r.Top;
        if (top == r) return null;
        if (_groupPseudo.TryGetValue(top, out var map)) return map["stop"];
        return top.IsClone && _clonePseudo.TryGetValue((top, "stop"), out var cs) ? cs : null;
    }

    private GraphAction ToGraphAction(ScheduledAction a)
    {
        var attrs = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (a.Task == "stonith")
        {
            var n = a.Node!;
            attrs["CRM_meta_on_node"] = n.Uname;
            attrs["CRM_meta_on_node_uuid"] = n.Id;
            attrs["CRM_meta_stonith_action"] = a.Detail ?? Config.StonithAction;
            // The fencer is told the node's attributes (fail counts, standby, shutdown...).
            foreach (var (k, v) in n.Attributes)
                if (!k.StartsWith('#')) attrs[Meta(k)] = v;
            return new GraphAction(a.Id, GraphActionKind.CrmEvent, ActionTask.Stonith, "stonith",
                $"stonith-{n.Uname}-{a.Detail ?? Config.StonithAction}", n.Uname, n.Id, null, Sorted(attrs), [n.Id]);
        }
        if (a.Task == "do_shutdown")
        {
            var sn = a.Node!;
            attrs["CRM_meta_on_node"] = sn.Uname;
            attrs["CRM_meta_on_node_uuid"] = sn.Id;
            attrs["CRM_meta_op_no_wait"] = "true";
            return new GraphAction(a.Id, GraphActionKind.CrmEvent, ActionTask.DoShutdown, "do_shutdown",
                $"do_shutdown-{sn.Uname}", sn.Uname, sn.Id, null, Sorted(attrs), [sn.Id]);
        }
        if (a.Task == "probe_again")
        {
            var pn = a.Node!;
            attrs["CRM_meta_on_node"] = pn.Uname;
            attrs["CRM_meta_on_node_uuid"] = pn.Id;
            attrs["CRM_meta_op_no_wait"] = "true";
            return new GraphAction(a.Id, GraphActionKind.RscOp, ActionTask.ProbeAgain, "probe_again",
                $"probe_again-{pn.Uname}", pn.Uname, pn.Id, null, Sorted(attrs), []);
        }
        if (a.Task == "clear_failcount")
        {
            var cn = a.Node!;
            var cp = a.Resource!.Primitive!;
            attrs["CRM_meta_on_node"] = cn.Uname;
            attrs["CRM_meta_on_node_uuid"] = cn.Id;
            attrs["CRM_meta_op_no_wait"] = "true";
            var defaults = OpDefaultsFor(Ctx(cn.Attributes, cp) with { OpName = a.Task, OpIntervalMs = 0 });
            attrs["CRM_meta_timeout"] = Digests.TimeSpec.TimeoutMsOrDefault(defaults.GetValueOrDefault("timeout")).ToString(CultureInfo.InvariantCulture);
            // The resource's parameters go with it, as with any action of the resource on a node.
            foreach (var (k, v) in NvSet.Flatten(cp.InstanceAttributes, Ctx(cn.Attributes, cp))) attrs[k] = v;
            // A clone instance's is keyed and named like its other operations, with the clone's meta.
            AddCollectiveMeta(attrs, a.Resource);
            var clearKey = $"{a.Resource.Id}_clear_failcount_0";
            string? clearInternal = null;
            if (a.Resource.Instance?.CloneName is { } clearName)
                (clearInternal, clearKey) = (clearKey, $"{clearName}_clear_failcount_0");
            return new GraphAction(a.Id, GraphActionKind.CrmEvent, ActionTask.ClearFailcount, a.Task, clearKey,
                cn.Uname, cn.Id, GraphResourceOf(a.Resource, cp), Sorted(attrs), [], clearInternal);
        }
        var task = ActionTasks.Parse(a.Task);
        // A cancel is keyed by the operation it cancels.
        var keyTask = a.Task == "cancel" ? a.Detail ?? "monitor" : a.Task;
        var key = a.Resource is null ? a.Task : $"{a.Resource.Id}_{keyTask}_{a.IntervalMs}";
        // Notifications are keyed "<rsc>_<type>_notify_<operation>_0".
        string KeyFor(string rscId) => _notifyKeys.TryGetValue(a, out var nk)
            ? $"{rscId}_{nk.Type}_notify_{nk.Operation}_0" : $"{rscId}_{keyTask}_{a.IntervalMs}";
        if (a.Resource is not null) key = KeyFor(a.Resource.Id);
        // An instance the history knows by another name is keyed by that name.
        string? internalKey = null;
        if (a.Resource?.Instance?.CloneName is { } cloneName)
        {
            internalKey = key;
            key = KeyFor(cloneName);
        }
        if (_notifyMeta.TryGetValue(a, out var notifyMeta))
            foreach (var (k, v) in notifyMeta) attrs[Meta(k)] = v;
        if (a.Pseudo)
        {
            if (a.Resource is not null)
            {
                AddOperationMeta(attrs, a, withNode: false);
                // A primitive's pseudo-action (a stop implied by fencing) carries its
                // parameters too, evaluated for no node.
                if (a.Resource.Primitive is { } pp) AddParameters(attrs, a.Resource, pp, null);
                AddCollectiveMeta(attrs, a.Resource);
            }
            return new GraphAction(a.Id, GraphActionKind.PseudoEvent, task, a.Task, key, null, null, null, Sorted(attrs), [], internalKey);
        }
        var r = a.Resource!;
        var p = r.Primitive!;
        var node = a.Node!;
        AddOperationMeta(attrs, a, withNode: true);
        AddParameters(attrs, r, p, node);
        // The operation's own parameters (OCF_CHECK_LEVEL, trace_ra) go with it.
        if (a.Task != "cancel" && p.Operations.FirstOrDefault(o => o.Name == a.Task && o.IntervalMs == a.IntervalMs) is { } cfgOp)
            foreach (var (k, v) in NvSet.Flatten(cfgOp.InstanceAttributes, Ctx(node.Attributes, p)))
                attrs[k] = v;
        AddCollectiveMeta(attrs, r);
        var rsc = GraphResourceOf(r, p);
        return new GraphAction(a.Id, GraphActionKind.RscOp, task, a.Task, key, node.Uname, node.Id, rsc, Sorted(attrs), [], internalKey);
    }

    /// <summary>The &lt;primitive&gt; of an action, named as Pacemaker names it: an orphan instance
    /// by its history name (long-id its own), an anonymous instance by its configured id (long-id
    /// its history name, else its own id), anything else by its id.</summary>
    private static GraphResource GraphResourceOf(WorkResource r, CibPrimitive p)
    {
        if (r.Instance is not { } ci) return new GraphResource(r.Id, p.Class, p.Provider, p.Type);
        if (r.Orphan && ci.CloneName is { } orphanName) return new GraphResource(orphanName, p.Class, p.Provider, p.Type, r.Id);
        if (!ci.Clone.Clone!.Unique)
            return new GraphResource(ci.BaseId, p.Class, p.Provider, p.Type,
                ci.CloneName is { } cn && cn != ci.BaseId ? cn : r.Id);
        return new GraphResource(r.Id, p.Class, p.Provider, p.Type);
    }

    /// <summary>What each enclosing collective adds to an action's attributes: a clone instance's
    /// number (members of a cloned group carry their group instance's), then the clone's meta.</summary>
    private static void AddCollectiveMeta(SortedDictionary<string, string> attrs, WorkResource r)
    {
        if (r.Primitive is not null && r.Instance is { } ci)
            attrs["CRM_meta_clone"] = ci.Number.ToString(CultureInfo.InvariantCulture);
        for (var c = r; c is not null; c = c.Parent)
        {
            if (c.Clone is not { } info) continue;
            attrs["CRM_meta_globally_unique"] = info.Unique ? "true" : "false";
            attrs["CRM_meta_notify"] = info.Notify ? "true" : "false";
            attrs["CRM_meta_clone_max"] = info.CloneMax.ToString(CultureInfo.InvariantCulture);
            attrs["CRM_meta_clone_node_max"] = info.CloneNodeMax.ToString(CultureInfo.InvariantCulture);
            if (!info.Promotable) continue;
            // The promoted-* names and, for older agents, their deprecated master-* twins.
            attrs["CRM_meta_promoted_max"] = attrs["CRM_meta_master_max"] = info.PromotedMax.ToString(CultureInfo.InvariantCulture);
            attrs["CRM_meta_promoted_node_max"] = attrs["CRM_meta_master_node_max"] = info.PromotedNodeMax.ToString(CultureInfo.InvariantCulture);
        }
    }

    // A parameter whose name cannot be an XML attribute name (say "1") is left out, as Pacemaker's graph leaves it out.
    private static List<KeyValuePair<string, string>> Sorted(SortedDictionary<string, string> d) => [.. d.Where(kv => IsXmlName(kv.Key))];

    private static bool IsXmlName(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_')) return false;
        foreach (var c in name)
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.')) return false;
        return true;
    }

    /// <summary>The operation's meta-attributes as Pacemaker derives them: op_defaults, then the
    /// matching &lt;op&gt;'s XML attributes and meta_attributes, then the timeout by its precedence.</summary>
    private void AddOperationMeta(SortedDictionary<string, string> attrs, ScheduledAction a, bool withNode)
    {
        var r = a.Resource!;
        var p = r.Primitive;
        var ctx = Ctx(a.Node?.Attributes, p);
        var defaults = OpDefaultsFor(ctx with { OpName = a.Task, OpIntervalMs = a.IntervalMs });
        foreach (var (k, v) in defaults) attrs[Meta(k)] = v;
        var opName = a.Task == "cancel" ? a.Detail ?? "monitor" : a.Task;
        var cfgOp = p?.Operations.FirstOrDefault(o => o.Name == opName && o.IntervalMs == a.IntervalMs);
        string? opTimeout = null, opMetaTimeout = null;
        if (cfgOp is not null)
        {
            foreach (var (k, v) in cfgOp.Attributes)
            {
                if (k is "id" or "interval" or "timeout") continue;
                attrs[Meta(k)] = k == "start-delay" ? Digests.TimeSpec.TimeoutMsOrDefault(v).ToString(CultureInfo.InvariantCulture) : v;
            }
            cfgOp.Attributes.TryGetValue("timeout", out opTimeout);
            var meta = NvSet.Flatten(cfgOp.MetaAttributes, ctx);
            foreach (var (k, v) in meta) if (k != "timeout") attrs[Meta(k)] = v;
            meta.TryGetValue("timeout", out opMetaTimeout);
        }
        if (a.IntervalMs > 0) attrs["CRM_meta_interval"] = a.IntervalMs.ToString(CultureInfo.InvariantCulture);
        string? probeTimeout = null, stonithTimeout = null;
        if (a.IsProbe && p is not null)
        {
            var mon = p.Operations.Where(o => o.Name == "monitor" && o.IntervalMs > 0 && o.Enabled).OrderBy(o => o.IntervalMs).FirstOrDefault();
            if (mon is not null && !mon.Attributes.TryGetValue("timeout", out probeTimeout))
                NvSet.Flatten(mon.MetaAttributes, ctx).TryGetValue("timeout", out probeTimeout);
        }
        if (r.IsStonith && p is not null && (a.Task == "start" || a.IsProbe))
            NvSet.Flatten(p.InstanceAttributes, ctx).TryGetValue("pcmk_monitor_timeout", out stonithTimeout);
        defaults.TryGetValue("timeout", out var defaultTimeout);
        attrs["CRM_meta_timeout"] = Digests.OpTimeout.ResolveMs(opTimeout, opMetaTimeout, probeTimeout, defaultTimeout, stonithTimeout)
            .ToString(CultureInfo.InvariantCulture);
        // Probes and monitors of the Stopped role succeed when the resource is not running.
        if (_cancelCallIds.TryGetValue(a, out var callId)) attrs["CRM_meta_call_id"] = callId.ToString(CultureInfo.InvariantCulture);
        if (a.Task == "cancel") attrs["CRM_meta_operation"] = opName;
        else if (a.IsProbe || RoleNames.Parse(cfgOp?.Role) == Role.Stopped) attrs["CRM_meta_op_target_rc"] = "7";
        // ...and those of the Promoted role when it is promoted.
        else if (a.Task == "monitor" && RoleNames.Parse(cfgOp?.Role) == Role.Promoted) attrs["CRM_meta_op_target_rc"] = "8";
        if (withNode && a.Node is { } n)
        {
            attrs["CRM_meta_on_node"] = n.Uname;
            attrs["CRM_meta_on_node_uuid"] = n.Id;
        }
    }

    /// <summary>The resource's parameters as evaluated for the node (or for none).</summary>
    private void AddParameters(SortedDictionary<string, string> attrs, WorkResource r, CibPrimitive p, WorkNode? node)
    {
        var parameters = NvSet.Flatten(p.InstanceAttributes, Ctx(node?.Attributes, p));
        // Members inherit their group's parameters (their own win), clone instances their clone's.
        if (r.Parent is { IsGroup: true } g && r.Instance is null && _cib.Resources.FirstOrDefault(c => c.Id == g.Id) is CibGroup cg)
            NvSet.Flatten(cg.InstanceAttributes, Ctx(node?.Attributes, p), parameters);
        foreach (var (k, v) in InheritCloneParameters(r, parameters, Ctx(node?.Attributes, p)))
            // A value of "#default" leaves the parameter unset (Pacemaker never adds it).
            if (!string.Equals(v, "#default", StringComparison.OrdinalIgnoreCase)) attrs[k] = v;
    }

    /// <summary>The op_defaults in force for an operation: unlike other option sets, a later
    /// matching set overrides an earlier one (as Pacemaker 2.1.5 applies them to an action).</summary>
    private Dictionary<string, string> OpDefaultsFor(RuleContext ctx)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in _cib.OpDefaults.OrderByDescending(s => s.Score.Value))
        {
            if (set.Rule is not null && !set.Rule.Evaluate(ctx)) continue;
            foreach (var p in set.Pairs)
                if (p.Value is not null) result[p.Name] = p.Value;
        }
        return result;
    }

    private static string Meta(string name) => "CRM_meta_" + name.Replace('-', '_');
}
