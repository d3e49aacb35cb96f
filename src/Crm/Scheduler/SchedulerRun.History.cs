using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>What to do about a failed operation, in Pacemaker's order of severity.</summary>
internal enum OnFail
{
    Ignore = 0,
    Demote,
    Recover,
    Migrate,
    Block,
    Stop,
    Standby,
    Fence,
}

internal sealed partial class SchedulerRun
{
    private readonly List<WorkResource> _orphans = [];

    /// <summary>
    /// The primitives by the id their history on a node is kept under (a clone instance's may
    /// differ by node), each list in <see cref="Primitives"/> order: one pass instead of a scan of
    /// every primitive for every history entry, which is quadratic on large clusters.
    /// </summary>
    private Dictionary<string, List<WorkResource>> PrimitivesByHistoryId(WorkNode node)
    {
        var byId = new Dictionary<string, List<WorkResource>>(Primitives.Count, StringComparer.Ordinal);
        foreach (var p in Primitives)
        {
            var id = p.Instance?.HistoryIds.GetValueOrDefault(node) ?? p.Id;
            if (!byId.TryGetValue(id, out var list)) byId[id] = list = new List<WorkResource>(1);
            list.Add(p);
        }
        return byId;
    }
    /// <summary>Fail counts per (resource, node) that are still in force.</summary>
    internal readonly Dictionary<(WorkResource, WorkNode), Score> FailCounts = [];
    internal readonly List<(WorkResource Rsc, WorkNode Node)> ClearFailcounts = [];
    internal readonly List<(WorkResource Rsc, WorkNode Node, string Reason)> ExtraBans = [];
    /// <summary>Recurring monitors whose failure has expired (failure-timeout): scheduled again where they failed.</summary>
    internal readonly List<(WorkResource Rsc, WorkNode Node, long IntervalMs)> ExpiredMonitors = [];

    private void UnpackHistory()
    {
        foreach (var s in _cib.Status)
        {
            var node = NodeOf(s);
            if (node is null) continue;
            if (!Config.StonithEnabled && !node.Online) continue;
            foreach (var lr in s.Resources)
            {
                var rsc = ResolveCloneHistory(node, lr.Id, lr);
                if (rsc is null && (!ById.TryGetValue(lr.Id, out rsc) || rsc.IsClone || rsc.Instance is not null))
                {
                    rsc = _orphans.FirstOrDefault(o => o.Id == lr.Id);
                    if (rsc is null)
                    {
                        var prim = new CibPrimitive(lr.Id, lr.Class ?? "ocf", lr.Provider, lr.Type ?? "", [], [], [], []);
                        rsc = new WorkResource(lr.Id, prim, int.MaxValue) { Orphan = true, Meta = NvSet.Flatten(_cib.RscDefaults, Ctx(null, prim)) };
                        ApplyMeta(rsc);
                        _orphans.Add(rsc);
                    }
                }
                if (rsc.IsGroup || rsc.IsClone) continue;
                UnpackResourceHistory(rsc, node, lr);
            }
        }
        foreach (var o in _orphans)
        {
            if (!o.Active) continue;
            // Orphans are stopped unless stop-orphan-resources=false; they are never placed.
            if (!Config.StopOrphanResources) o.Managed = false;
            ById[o.Id] = o;
            Primitives.Add(o);
            TopResources.Add(o);
        }
        foreach (var r in Primitives)
        {
            if (r.MultiplyActive && r.MultipleActive == "block")
                foreach (var m in r.Parent is { } g ? g.Children : [r]) { m.Managed = false; m.Blocked = true; }
            if (r.RunningOn.Any(n => n.Maintenance)) r.Managed = false;
        }
    }

    private OnFail ConfiguredOnFail(WorkResource rsc, string task, long interval)
    {
        string? value = null;
        if (rsc.Primitive is { } p)
        {
            var op = p.Operations.FirstOrDefault(o => o.Name == task && o.IntervalMs == interval)
                ?? (task == "monitor" && interval == 0 ? null : null);
            value = op?.OnFail;
            if (value is null)
            {
                var d = NvSet.Flatten(_cib.OpDefaults, new RuleContext(null, Now, p.Class, p.Provider, p.Type, task, interval));
                d.TryGetValue("on-fail", out value);
            }
        }
        // A stop cannot fail over to standby, stop or demote: Pacemaker resets those to the default.
        if (task == "stop" && value?.ToLowerInvariant() is "standby" or "stop" or "demote") value = null;
        var result = value?.ToLowerInvariant() switch
        {
            "ignore" or "nothing" => OnFail.Ignore,
            "block" => OnFail.Block,
            "stop" => OnFail.Stop,
            "standby" => OnFail.Standby,
            "fence" => OnFail.Fence,
            "demote" => OnFail.Demote,
            "restart" => OnFail.Recover,
            _ => task == "stop" ? (Config.StonithEnabled ? OnFail.Fence : OnFail.Block) : OnFail.Recover,
        };
        if (result == OnFail.Fence && !Config.StonithEnabled) result = OnFail.Stop;
        return result;
    }

    private void UnpackResourceHistory(WorkResource rsc, WorkNode node, LrmResource lr)
    {
        if (HasBlockedFailure(rsc, lr)) BlockedFailures.Add((rsc, node));
        foreach (var op in lr.Ops)
            // Pacemaker checks neither expiry nor changed parameters of a not-installed result (op-status 7).
            if (op.Id.Contains("last_failure", StringComparison.Ordinal) && op.Operation is "start" or "monitor" && op.OpDigest is not null && op.OpStatus != 7)
                FailureDigestOps.Add((rsc, node, op));
        var ops = InCallOrder(lr.Ops);
        var role = Role.Unknown;
        var onFail = OnFail.Ignore;
        bool failed = false;
        LrmOp? lastStartLike = null;
        var expiredMonitors = new List<LrmOp>();
        foreach (var entry in ops)
        {
            var op = entry;
            var task = op.Operation;
            bool probe = task == "monitor" && op.IntervalMs == 0;
            if (op.OpStatus == 1) continue; // cancelled
            if (op.CallId == -1 || op.OpStatus == -1)
            {
                // An in-flight start or promote counts as done; an incoming migration does not
                // (Pacemaker shows it "Migrating" but not active until migrate_from completes).
                if (task == "start") role = Role.Started;
                else if (task == "promote") role = Role.Promoted;
                if (PendingTasks.Of(task, op.IntervalMs) is var pending and not PendingTask.None)
                {
                    rsc.Pending = pending;
                    rsc.PendingOn = node;
                }
                continue;
            }
            int expected = op.ExpectedRc();
            int rc = op.RcCode;
            // A stop that failed hard (rc 2..5 as the agent's own verdict) can be recovered only
            // by fencing: when the node cannot be fenced the resource is blocked, whatever its
            // on-fail and even once the failure has expired (Pacemaker's check_recoverable).
            if (task == "stop" && op.OpStatus is 0 or 4 && rc is >= 2 and <= 5 && !CanFence(node))
            {
                rsc.Managed = false;
                rsc.Blocked = true;
            }
            bool ok;
            // op-status 4 (error) is judged by the rc like a completed op.
            bool errorStatus = op.OpStatus == 4;
            if (errorStatus) op = op with { OpStatus = 0 };
            if (op.OpStatus != 0) ok = false;
            else ok = rc == expected || (probe && rc == 7) || (task == "monitor" && (rc == 0 || rc == 8) && expected is 0 or 8 && rc == expected);
            if (op.OpStatus == 0 && rc == 7 && probe) ok = true;
            // An unmanaged resource reported not running is simply stopped, not failed.
            if (op.OpStatus == 0 && rc == 7 && task == "monitor" && !rsc.Managed) ok = true;
            if (op.OpStatus == 0 && probe && rc == 0) ok = true;
            if (op.OpStatus == 0 && probe && rc == 8) ok = true;
            if (op.OpStatus == 0 && rc == 190 /* degraded */) { rc = 0; ok = true; }
            if (op.OpStatus == 0 && rc == 191 /* degraded promoted */) { rc = 8; ok = true; }

            if (!ok && rsc.FailureTimeoutMs > 0 && op.LastRcChange > 0 && op.OpStatus != 7 && !BlockedFailures.Contains((rsc, node))
                && Now.ToUnixTimeSeconds() > op.LastRcChange + rsc.FailureTimeoutMs / 1000)
            {
                // An expired failure is forgotten; a recurring monitor that failed is scheduled
                // again on that node (Pacemaker forces its digest to mismatch).
                if (task == "monitor" && op.IntervalMs > 0 && rc != expected) expiredMonitors.Add(op);
                continue;
            }
            if (!ok)
            {
                var opFail = ConfiguredOnFail(rsc, task, op.IntervalMs);
                bool hardStatus = op.OpStatus is 3 or 5 or 6 or 7;
                if (opFail == OnFail.Ignore && hardStatus) opFail = OnFail.Recover;
                if (opFail == OnFail.Ignore)
                {
                    rsc.FailureIgnored = true;
                    ApplySuccess(task, expected, ref role, ref onFail, ref lastStartLike, op);
                    continue;
                }
                // Pacemaker judges op-status 4 (error) by the rc as it does a completed op: rc 2,
                // 4, 5 are hard (banned from the node), and so is 3 (unimplemented feature) except
                // on a recurring operation, where it only means the feature is unsupported.
                bool hard = op.OpStatus is 3 or 5 or 7 || (op.OpStatus == 0 && (rc is 2 or 4 or 5 || (rc == 3 && op.IntervalMs == 0)));
                bool fatal = op.OpStatus == 6 || (op.OpStatus == 0 && rc == 6);
                if (fatal)
                    foreach (var n in Nodes) ExtraBans.Add((rsc, n, "fatal-error"));
                else if (hard)
                    ExtraBans.Add((rsc, node, "hard-error"));
                if (task == "stop") ExtraBans.Add((rsc, node, "__stop_fail__"));
                if (opFail > onFail) onFail = opFail;
                failed = true;
                // Pacemaker masks a probe that found the agent missing or its parameters invalid:
                // the resource counts as not running there (and is banned from the node).
                // The status shows the first such probe in unpack order (Pacemaker's first match in its
                // list of failed operations), not the latest, and only one whose entry names its node
                // (on_node): Pacemaker matches the failed probe by that attribute, which older
                // histories lack (tier3 promoted-demote).
                if (probe && (rc is 2 or 5 || op.OpStatus == 7))
                {
                    role = Role.Stopped;
                    if (op.Attributes.ContainsKey("on_node")) rsc.MaskedProbeRc ??= rc;
                    failed = false; onFail = OnFail.Ignore;
                    continue;
                }
                if (task == "promote") role = Role.Promoted;
                // A failed demote (whatever its rc) leaves the instance promoted only when it is blocked
                // there; staying promoted otherwise would loop, so it counts as unpromoted.
                else if (task == "demote") role = opFail == OnFail.Block ? Role.Promoted : Role.Unpromoted;
                if (role < Role.Started) role = Role.Started;
                continue;
            }
            ApplySuccess(task, rc, ref role, ref onFail, ref lastStartLike, op);
            // A success of the very operation that last failed also clears that failure.
            if (task is "start" or "stop" or "promote" or "migrate_from"
                || (task == "monitor" && op.OperationKey is { } okey && lr.Ops.Any(o => o.Id.EndsWith("_last_failure_0", StringComparison.Ordinal) && o.OperationKey == okey)))
            {
                if (onFail is OnFail.Block or OnFail.Ignore or OnFail.Demote or OnFail.Recover) { onFail = OnFail.Ignore; failed = false; }
            }
        }

        // A node is known once its history tells the resource's state there; a history of
        // expired failures alone tells nothing, so the resource is probed there again.
        if (role != Role.Unknown) rsc.KnownOn.Add(node);
        // Only a monitor of the current run (after the last start) is checked, so rescheduled.
        if (role > Role.Stopped)
        {
            var lastStart = ops.Where(o => o.Operation is "start" or "migrate_from" && o.CallId >= 0).Select(o => o.CallId).DefaultIfEmpty(-1).Max();
            foreach (var m in expiredMonitors)
                if (m.CallId > lastStart) ExpiredMonitors.Add((rsc, node, m.IntervalMs));
        }
        // A failure on a node being fenced is settled by the fencing (not FAILED), but
        // on-fail=stop still stops the resource everywhere (the real tool's behaviour).
        if (node.Unclean)
        {
            if (onFail == OnFail.Stop) rsc.StopOnFail = true;
            onFail = OnFail.Ignore;
        }
        if (role is Role.Stopped or Role.Unknown)
        {
            // An instance this entry leaves stopped forgets a numbered history name (Pacemaker
            // resets clone_name "rsc:N" of a stopped instance, so it is not named after a slot
            // another node's history used); an unnumbered one ("rsc") is kept.
            if (rsc.Instance is { CloneName: { } cn } inst && cn.Contains(':', StringComparison.Ordinal)) inst.CloneName = null;
            // A completed stop does not clear fence, standby or stop: those failures still
            // act on the node and the resource although it is stopped now.
            switch (onFail)
            {
                case OnFail.Fence: Fence(node, $"{rsc.Id} failed there"); break;
                case OnFail.Standby: node.Standby = true; node.StandbyOnFail = true; break;
                case OnFail.Stop: rsc.StopOnFail = true; break;
            }
            return;
        }
        // A managed resource thought active on a node that is down: only fencing the node
        // makes it safe to start the resource elsewhere.
        if (!node.Online && !node.Maintenance && rsc.Managed && Config.StonithEnabled)
            Fence(node, $"{rsc.Id} is thought to be active there");
        // Fencing it (just decided, or already) settles the failure there: not FAILED.
        if (node.Unclean) onFail = OnFail.Ignore;
        switch (onFail)
        {
            case OnFail.Fence: Fence(node, $"{rsc.Id} failed there"); break;
            case OnFail.Standby: node.Standby = true; node.StandbyOnFail = true; break;
            case OnFail.Block: rsc.Managed = false; rsc.Blocked = true; rsc.BlockedOn.Add(node); break;
            case OnFail.Migrate: ExtraBans.Add((rsc, node, "__action_migration_auto__")); break;
            case OnFail.Stop: rsc.StopOnFail = true; break;
        }
        if (!rsc.RunningOn.Contains(node)) rsc.RunningOn.Add(node);
        if (role > rsc.CurrentRole) rsc.CurrentRole = role;
        if (failed && onFail != OnFail.Ignore) { rsc.Failed = true; rsc.FailedOn.Add(node); }
        if (rsc.Primitive is not null) CollectDigestChecks(rsc, node, lr, ops);
    }

    /// <summary>History entries by call id (pending ones, id -1, last), stably; usually already in order, then no copy is made.</summary>
    private static IReadOnlyList<LrmOp> InCallOrder(IReadOnlyList<LrmOp> ops)
    {
        if (ops.Any(o => o.CallId == -1) && ops.Any(o => o.CallId != -1)) return PendingInTransitionOrder(ops);
        static int Key(LrmOp o) => o.CallId < 0 ? int.MaxValue : o.CallId;
        // Ops with one call-id (an op and its last_failure copy) are ordered by last-rc-change.
        bool sorted = true;
        for (int i = 1; i < ops.Count && sorted; i++)
            sorted = Key(ops[i - 1]) < Key(ops[i]) || (Key(ops[i - 1]) == Key(ops[i]) && ops[i - 1].LastRcChange <= ops[i].LastRcChange);
        if (sorted) return ops;
        return ops.Select((o, i) => (o, i)).OrderBy(x => Key(x.o)).ThenBy(x => x.o.LastRcChange).ThenBy(x => x.i).Select(x => x.o).ToList();
    }

    /// <summary>
    /// A history with a pending entry (call id -1) beside completed ones, sorted as Pacemaker sorts it:
    /// the entries in reverse document order, merge-sorted by call id, a pending entry placed by its
    /// transition number against the other's (same transition key uuid), else last. A start still
    /// pending from an older transition than a completed stop was superseded by it (tier3 735).
    /// </summary>
    private static List<LrmOp> PendingInTransitionOrder(IReadOnlyList<LrmOp> ops)
    {
        var list = ops.Reverse().ToList();
        return MergeSort(list, CompareByCallId);

        static List<LrmOp> MergeSort(List<LrmOp> l, Comparison<LrmOp> cmp)
        {
            // GLib's g_list_sort: the first half is the first n/2 entries; ties keep the left one first.
            if (l.Count < 2) return l;
            var left = MergeSort(l.GetRange(0, l.Count / 2), cmp);
            var right = MergeSort(l.GetRange(l.Count / 2, l.Count - l.Count / 2), cmp);
            var merged = new List<LrmOp>(l.Count);
            int i = 0, j = 0;
            while (i < left.Count && j < right.Count)
                merged.Add(cmp(left[i], right[j]) <= 0 ? left[i++] : right[j++]);
            merged.AddRange(left.Skip(i));
            merged.AddRange(right.Skip(j));
            return merged;
        }
    }

    private static int CompareByCallId(LrmOp a, LrmOp b)
    {
        if (a.Id == b.Id) return 0;
        int ac = a.CallId, bc = b.CallId;
        if (ac == -1 && bc == -1) return 0;
        if (ac >= 0 && ac < bc) return -1;
        if (bc >= 0 && ac > bc) return 1;
        if (bc >= 0 && ac == bc)
        {
            long la = a.LastRcChange, lb = b.LastRcChange;
            return la >= 0 && la < lb ? -1 : lb >= 0 && la > lb ? 1 : 0;
        }
        // One of them is pending: compare the transitions they belong to.
        if (!TransitionOf(a.TransitionMagic, out var au, out var at) || !TransitionOf(b.TransitionMagic, out var bu, out var bt)) return 0;
        if (!string.Equals(au, bu, StringComparison.OrdinalIgnoreCase) || at == bt)
            return bc == -1 ? -1 : ac == -1 ? 1 : 0;
        // Transition -1 (crm_simulate's injected results, a shutdown's actions) always comes last.
        if (at == -1) return 1;
        if (bt == -1) return -1;
        if (at >= 0 && at < bt) return -1;
        if (bt >= 0 && at > bt) return 1;
        return 0;
    }

    /// <summary>The transition number and uuid of a transition magic "status:rc;action:transition:target:uuid".</summary>
    private static bool TransitionOf(string? magic, out string uuid, out int transition)
    {
        uuid = ""; transition = -1;
        if (magic is null) return false;
        var semi = magic.IndexOf(';');
        if (semi < 0) return false;
        var parts = magic[(semi + 1)..].Split(':');
        if (parts.Length < 4 || !int.TryParse(parts[1], out transition)) return false;
        uuid = parts[3];
        return true;
    }

    private static void ApplySuccess(string task, int rc, ref Role role, ref OnFail onFail, ref LrmOp? lastStart, LrmOp op)
    {
        switch (task)
        {
            case "start": role = Role.Started; lastStart = op; break;
            case "migrate_from": role = Role.Started; lastStart = op; break;
            case "migrate_to": role = Role.Started; break;
            case "stop": role = Role.Stopped; lastStart = null; break;
            case "promote": role = Role.Promoted; break;
            case "demote": role = Role.Unpromoted; break;
            case "monitor":
                if (rc == 7) { role = Role.Stopped; lastStart = null; }
                else if (rc == 8) role = Role.Promoted;
                else if (rc == 0 && role < Role.Started) role = Role.Started;
                break;
        }
    }

    /// <summary>Resources whose history on a node holds a failure of an on-fail=block operation:
    /// such failures need an administrator, so failure-timeout never expires them.</summary>
    internal readonly HashSet<(WorkResource Rsc, WorkNode Node)> BlockedFailures = [];

    private static bool HasBlockedFailure(WorkResource rsc, LrmResource lr)
    {
        if (rsc.Primitive is not { } p) return false;
        foreach (var cfg in p.Operations)
        {
            if (!string.Equals(cfg.OnFail, "block", StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var op in lr.Ops)
            {
                if (op.Operation != cfg.Name || op.IntervalMs != cfg.IntervalMs) continue;
                if (op.Id == $"{rsc.Id}_last_failure_0") return true;
                if (op.Id == $"{rsc.Id}_{cfg.Name}_{cfg.IntervalMs}" && op.RcCode != op.ExpectedRc()) return true;
            }
        }
        return false;
    }

    /// <summary>Recorded failures of start/monitor, whose fail count is cleared once the resource's parameters change.</summary>
    internal readonly List<(WorkResource Rsc, WorkNode Node, LrmOp Op)> FailureDigestOps = [];

    private void UnpackFailCounts()
    {
        // A failure recorded against older parameters schedules clearing the fail count, and a
        // fail count about to be cleared does not push the resource away.
        var clearing = new HashSet<(WorkResource, WorkNode)>();
        if (_options.CheckDigests)
            foreach (var (rsc, node, op) in FailureDigestOps)
                if (!rsc.IsGroup && node.Online && !node.Unclean && !node.Pending && DigestChanged(rsc, node, op) && clearing.Add((rsc, node)) && !ClearFailcounts.Contains((rsc, node)))
                    ClearFailcounts.Add((rsc, node));
        foreach (var node in Nodes)
        {
            foreach (var (name, value) in node.Attributes)
            {
                if (!name.StartsWith("fail-count-", StringComparison.Ordinal)) continue;
                var rest = name["fail-count-".Length..];
                var hash = rest.IndexOf('#');
                var rid = hash >= 0 ? rest[..hash] : rest;
                foreach (var rsc in FailCountTargets(rid))
                {
                    var score = Score.Parse(value);
                    if (score.Value <= 0 || clearing.Contains((rsc, node))) continue;
                    if (hash >= 0)
                    {
                        // Failures of operations with on-fail=ignore are not counted.
                        var opPart = rest[(hash + 1)..];
                        var us = opPart.LastIndexOf('_');
                        if (us > 0 && long.TryParse(opPart[(us + 1)..], out var iv) && ConfiguredOnFail(rsc, opPart[..us], iv) == OnFail.Ignore) continue;
                    }
                    if (rsc.FailureTimeoutMs > 0 && !BlockedFailures.Contains((rsc, node)))
                    {
                        var lf = node.Attributes.GetValueOrDefault("last-failure-" + rest);
                        if (long.TryParse(lf, out var lastFailure) && Now.ToUnixTimeSeconds() > lastFailure + rsc.FailureTimeoutMs / 1000)
                        {
                            // Pacemaker clears it for the resource whose history there holds the
                            // expired failure: of an anonymous clone, the instance mapped to the node.
                            if (!ClearFailcounts.Contains((rsc, node)) && (rsc.Instance is null || rsc.Instance.HistoryIds.ContainsKey(node)))
                                ClearFailcounts.Add((rsc, node));
                            continue;
                        }
                    }
                    FailCounts[(rsc, node)] = FailCounts.GetValueOrDefault((rsc, node)) + score;
                }
            }
        }
    }
}
