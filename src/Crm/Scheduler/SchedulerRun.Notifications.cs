namespace Cluster.Crm.Scheduler;

// Clone notifications (notify=true), as Pacemaker 2.1.5 puts them in the graph. For each of a
// clone's start, stop, promote and demote: a "pre" notify pseudo-action and its confirmation
// ("confirmed-pre") before the clone's action, a "post" pair after its completion (running,
// stopped, promoted, demoted), and between them one notify operation per instance that is told:
// before, the instances active now; after, the instances active afterwards. Every notify
// operation, and every required start/stop/promote/demote of an instance, carries the
// CRM_meta_notify_* lists of what the transition does. Built with the graph, once every flag is
// settled; notifications never change the summary.
internal sealed partial class SchedulerRun
{
    /// <summary>A notify action's key parts (type "pre"/"post"/"confirmed-pre"/"confirmed-post",
    /// operation) and the meta-attributes it carries.</summary>
    private readonly Dictionary<ScheduledAction, (string Type, string Operation)> _notifyKeys = [];
    private readonly Dictionary<ScheduledAction, Dictionary<string, string>> _notifyMeta = [];
    /// <summary>A notifying clone's completion (running, stopped, ...) to its confirmed-post
    /// notification: what orderings with the clone as "first" wait for in the graph.</summary>
    private readonly Dictionary<ScheduledAction, ScheduledAction> _notifyPostDone = [];

    private static readonly (string Task, string Done)[] NotifiedTasks =
        [("stop", "stopped"), ("start", "running"), ("demote", "demoted"), ("promote", "promoted")];

    /// <summary>One notification round of a clone (Pacemaker's notify_data_t).</summary>
    private sealed class NotifyRound
    {
        public required string Task;
        public ScheduledAction? Pre, PreDone, Post, PostDone;
    }

    /// <summary>Adds the notifications of every notify=true clone to the graph's actions and orders.</summary>
    private void AddNotifications(List<ScheduledAction> exec)
    {
        var execSet = exec.ToHashSet();
        foreach (var clone in Clones.Where(c => c.Clone!.Notify))
        {
            var rounds = new Dictionary<string, NotifyRound>();
            foreach (var (task, done) in NotifiedTasks)
            {
                ScheduledAction? action, complete;
                if (task is "start" or "stop")
                {
                    action = _clonePseudo.GetValueOrDefault((clone, task));
                    complete = _clonePseudo.GetValueOrDefault((clone, done));
                }
                else
                {
                    action = PromotablePseudo(clone, task);
                    complete = PromotablePseudo(clone, done);
                }
                if (action is null || complete is null) continue;
                rounds[task] = NewRound(clone, task, action, complete, execSet);
            }
            if (rounds.Count == 0) continue;
            var keys = NotifyKeys(clone);
            foreach (var (task, round) in rounds)
            {
                // The round is required when the transition does what it notifies of.
                bool required = task switch
                {
                    "stop" => keys["notify_stop_resource"] != " ",
                    "start" => keys["notify_start_resource"] != " ",
                    "demote" => keys["notify_demote_resource"] != " ",
                    _ => keys["notify_promote_resource"] != " ",
                };
                bool preWanted = required || execSet.Contains(ClonePseudoFor(clone, task)!);
                if (!preWanted) { round.Pre = null; round.PreDone = null; }
                var completeAction = ClonePseudoFor(clone, Done(task))!;
                bool postWanted = completeAction.Runnable && (required || execSet.Contains(completeAction));
                if (!postWanted) { round.Post = null; round.PostDone = null; }
                else _notifyPostDone[completeAction] = round.PostDone!;
                foreach (var a in (ScheduledAction?[])[round.Pre, round.PreDone, round.Post, round.PostDone])
                    if (a is not null) exec.Add(a);
            }
            OrderRounds(clone, rounds);
            foreach (var (task, round) in rounds)
                foreach (var leaf in CloneLeaves(clone))
                    AddInstanceNotifications(leaf, task, round, keys, exec, execSet);
            // The instances' own required actions are told the same lists.
            foreach (var leaf in CloneLeaves(clone))
                foreach (var a in leaf.Actions.Where(a => !a.Optional && a.Node is not null && a.Task is "start" or "stop" or "promote" or "demote"))
                    foreach (var (k, v) in keys) MetaOf(a)[k] = v;
        }
    }

    private static string Done(string task) => task switch { "start" => "running", "stop" => "stopped", "promote" => "promoted", _ => "demoted" };

    private ScheduledAction? ClonePseudoFor(WorkResource clone, string task) => task is "start" or "running" or "stop" or "stopped"
        ? _clonePseudo.GetValueOrDefault((clone, task)) : PromotablePseudo(clone, task);

    private Dictionary<string, string> MetaOf(ScheduledAction a)
    {
        if (!_notifyMeta.TryGetValue(a, out var m)) _notifyMeta[a] = m = new(StringComparer.Ordinal);
        return m;
    }

    private NotifyRound NewRound(WorkResource clone, string task, ScheduledAction action, ScheduledAction complete, HashSet<ScheduledAction> execSet)
    {
        ScheduledAction Pseudo(string keyType, ScheduledAction of, string notifyType)
        {
            var a = NewAction(clone, keyType.StartsWith("confirmed", StringComparison.Ordinal) ? "notified" : "notify", null);
            a.Pseudo = true;
            a.Optional = false;
            _notifyKeys[a] = (keyType, of.Task);
            var m = MetaOf(a);
            m["notify_type"] = notifyType;
            m["notify_operation"] = task;
            m["notify_key_type"] = keyType;
            m["notify_key_operation"] = of.Task;
            return a;
        }
        var round = new NotifyRound { Task = task };
        round.Pre = Pseudo("pre", action, "pre");
        round.PreDone = Pseudo("confirmed-pre", action, "pre");
        round.Post = Pseudo("post", complete, "post");
        round.PostDone = Pseudo("confirmed-post", complete, "post");
        return round;
    }

    /// <summary>pre, confirmed-pre, the clone's action; its completion, post, confirmed-post; and
    /// between rounds: demotions are notified before stops and starts, stops before starts, and
    /// everything before promotions.</summary>
    private void OrderRounds(WorkResource clone, Dictionary<string, NotifyRound> rounds)
    {
        foreach (var (task, r) in rounds)
        {
            var action = ClonePseudoFor(clone, task)!;
            var complete = ClonePseudoFor(clone, Done(task))!;
            GraphOrder(r.Pre, r.PreDone);
            GraphOrder(r.PreDone, action);
            GraphOrder(complete, r.Post);
            GraphOrder(r.Post, r.PostDone);
            GraphOrder(r.PreDone, r.Post);
        }
        NotifyRound? R(string t) => rounds.GetValueOrDefault(t);
        GraphOrder(R("stop")?.PostDone, R("start")?.Pre);
        if (R("demote") is not null && R("promote") is not null)
        {
            GraphOrder(R("stop")?.PostDone, R("promote")?.Pre);
            GraphOrder(R("start")?.PostDone, R("promote")?.Pre);
            GraphOrder(R("demote")?.PostDone, R("promote")?.Pre);
            GraphOrder(R("demote")?.PostDone, R("start")?.Pre);
            GraphOrder(R("demote")?.PostDone, R("stop")?.Pre);
        }
    }

    private void GraphOrder(ScheduledAction? first, ScheduledAction? then)
    {
        if (first is not null && then is not null) _graphOrders.Add((first, then));
    }

    /// <summary>One instance's notify operations for a round: before a stop or demotion, where it
    /// is active (not on a node being fenced); after it, there too unless it stops; before a start
    /// or promotion (when it is not itself starting) and after it, where it is placed.</summary>
    private void AddInstanceNotifications(WorkResource leaf, string task, NotifyRound round, Dictionary<string, string> keys,
        List<ScheduledAction> exec, HashSet<ScheduledAction> execSet)
    {
        bool anyOf(string t) => keys[$"notify_{t}_resource"] != " ";
        if (task == "start" && !anyOf("start")) return;
        if (task == "promote" && !anyOf("promote")) return;
        if (task == "demote" && !anyOf("demote")) return;
        if (leaf.CurrentRole > Role.Stopped && task is "stop" or "demote")
        {
            var stop = leaf.Actions.FirstOrDefault(a => a.Task == "stop");
            foreach (var node in leaf.RunningOn)
            {
                if (stop is { Pseudo: true } && node.Unclean) continue;
                InstanceNotify(leaf, node, round.Pre, round.PreDone, keys, exec, post: false);
                if (task == "demote" || stop is null || stop.Optional)
                    InstanceNotify(leaf, node, round.Post, round.PostDone, keys, exec, post: true);
            }
        }
        if (leaf.NextRole > Role.Stopped && task is "start" or "promote")
        {
            var start = leaf.Actions.FirstOrDefault(a => a.Task == "start");
            var promote = leaf.Actions.FirstOrDefault(a => a.Task == "promote");
            if (promote is { Runnable: false } || start is { Runnable: false } || leaf.AssignedNode is not { } node) return;
            // An instance that is starting has nothing to be told before its start, but before a promotion it has.
            if (task == "promote" || start is null || start.Optional)
                InstanceNotify(leaf, node, round.Pre, round.PreDone, keys, exec, post: false);
            InstanceNotify(leaf, node, round.Post, round.PostDone, keys, exec, post: true);
        }
    }

    private void InstanceNotify(WorkResource leaf, WorkNode node, ScheduledAction? op, ScheduledAction? confirm,
        Dictionary<string, string> keys, List<ScheduledAction> exec, bool post)
    {
        if (op is null || confirm is null || !node.Online || !op.Runnable) return;
        var a = NewAction(leaf, "notify", node);
        a.Optional = false;
        var opMeta = _notifyMeta[op];
        _notifyKeys[a] = (opMeta["notify_type"], opMeta["notify_operation"]);
        var m = MetaOf(a);
        foreach (var (k, v) in opMeta) m[k] = v;
        foreach (var (k, v) in keys) m[k] = v;
        exec.Add(a);
        _graphOrders.Add((op, a));
        _graphOrders.Add((a, confirm));
        if (!post) return;
        // Recurring monitors wait until every instance has been told the outcome.
        foreach (var mon in leaf.Actions.Where(x => x.Task == "monitor" && x.IntervalMs > 0))
            _graphOrders.Add((confirm, mon));
    }

    /// <summary>The CRM_meta_notify_* lists of a clone (without the prefix): what stops, starts,
    /// demotes and promotes where, which instances are active in which role, which are inactive,
    /// where the clone may run and which nodes the cluster has.</summary>
    private Dictionary<string, string> NotifyKeys(WorkResource clone)
    {
        var stop = new List<(WorkResource, WorkNode?)>();
        var start = new List<(WorkResource, WorkNode?)>();
        var demote = new List<(WorkResource, WorkNode?)>();
        var promote = new List<(WorkResource, WorkNode?)>();
        var active = new List<(WorkResource, WorkNode?)>();
        var unpromoted = new List<(WorkResource, WorkNode?)>();
        var promoted = new List<(WorkResource, WorkNode?)>();
        var inactive = new List<(WorkResource, WorkNode?)>();
        foreach (var leaf in CloneLeaves(clone))
        {
            var node = leaf.RunningOn.FirstOrDefault();
            switch (leaf.CurrentRole)
            {
                case Role.Started: active.Add((leaf, node)); break;
                case Role.Unpromoted: unpromoted.Add((leaf, node)); active.Add((leaf, node)); break;
                case Role.Promoted: promoted.Add((leaf, node)); active.Add((leaf, node)); break;
                default: inactive.Add((leaf, node)); break;
            }
            foreach (var a in leaf.Actions.Where(a => !a.Optional && a.Runnable && a.Node is not null))
            {
                var list = a.Task switch { "start" => start, "stop" => stop, "promote" => promote, "demote" => demote, _ => null };
                list?.Add((leaf, a.Node));
            }
        }
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        void Both(string name, List<(WorkResource, WorkNode?)> list, params string[] aliases)
        {
            var (rscs, nodes) = Lists(list, withNodes: true);
            foreach (var n in (string[])[name, .. aliases])
            {
                keys[$"notify_{n}_resource"] = rscs;
                keys[$"notify_{n}_uname"] = nodes;
            }
        }
        Both("stop", stop);
        Both("start", start);
        Both("demote", demote);
        Both("promote", promote);
        Both("active", active);
        Both("unpromoted", unpromoted, "slave");
        Both("promoted", promoted, "master");
        keys["notify_inactive_resource"] = Lists(inactive, withNodes: false).Rscs;
        keys["notify_available_uname"] = Words(Nodes.Where(n => IsAllowed(clone, n)).Select(n => n.Uname).Order(NaturalOrder.Instance));
        keys["notify_all_uname"] = Words(Nodes.Select(n => n.Uname).Order(NaturalOrder.Instance));
        return keys;
    }

    /// <summary>Entries sorted by instance id, one per instance; with nodes, entries without one are left out.</summary>
    private static (string Rscs, string Nodes) Lists(List<(WorkResource Rsc, WorkNode? Node)> list, bool withNodes)
    {
        var rscs = new List<string>();
        var nodes = new List<string>();
        string? last = null;
        foreach (var (r, n) in list.OrderBy(e => e.Rsc.Id, StringComparer.Ordinal).ThenBy(e => e.Node?.Uname, StringComparer.Ordinal))
        {
            if (withNodes && n is null) continue;
            if (r.Id == last) continue;
            last = r.Id;
            rscs.Add(r.Id);
            if (withNodes) nodes.Add(n!.Uname);
        }
        return (Words(rscs), Words(nodes));
    }

    private static string Words(IEnumerable<string> words)
    {
        var s = string.Join(' ', words);
        return s.Length == 0 ? " " : s;
    }
}
