using Cluster.Crm.Cib;
using Cluster.Crm.Digests;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// Configuration changes found in the history of active resources: a changed agent forces a
/// restart; changed parameters restart, reload or re-schedule (shared/docs/op-digest.md §6).
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>One history entry to compare with the configuration.</summary>
    private readonly record struct DigestCheck(WorkResource Rsc, WorkNode Node, LrmOp Op, bool StartPending);

    private readonly List<DigestCheck> _digestChecks = [];

    /// <summary>Active resources whose recorded agent (class, provider, type) differs from the configured one.</summary>
    private readonly List<(WorkResource Rsc, WorkNode Node)> _agentChanges = [];

    /// <summary>
    /// Records which entries of an active resource's history are checked: those at or after the
    /// last start (or, lacking one, the last promote/demote, then the last probe that found it
    /// running after the last stop); of those, recurring ops and monitor/start/promote/migrate_from.
    /// </summary>
    private void CollectDigestChecks(WorkResource rsc, WorkNode node, LrmResource lr, IReadOnlyList<LrmOp> sorted)
    {
        var p = rsc.Primitive!;
        if (!rsc.Orphan && ((lr.Class is { } c && c != p.Class) || (lr.Type is { } t && t != p.Type)
            || (lr.Class is not null && (lr.Provider ?? "") != (p.Provider ?? ""))))
        {
            // The agent itself changed: the parameters are not compared, a stop is forced.
            _agentChanges.Add((rsc, node));
            return;
        }
        int start = -1, stop = -1, impliedMonitor = -1, impliedClone = -1;
        for (int i = 0; i < sorted.Count; i++)
        {
            var op = sorted[i];
            if (op.Operation == "stop" && op.OpStatus == 0) stop = i;
            else if (op.Operation is "start" or "migrate_from") start = i;
            else if (impliedMonitor <= stop && op.Operation == "monitor" && op.RcCode is 0 or 8) impliedMonitor = i;
            else if (op.Operation is "promote" or "demote") impliedClone = i;
        }
        if (start < 0) start = impliedClone >= 0 ? impliedClone : impliedMonitor;
        var last = sorted.Count > 0 ? sorted[^1] : null;
        bool startPending = last is not null && last.Operation == "start" && (last.CallId == -1 || last.OpStatus == -1);
        for (int i = Math.Max(start, 0); i < sorted.Count; i++)
        {
            var op = sorted[i];
            if (op.OpStatus == 1) continue; // cancelled
            if (op.IntervalMs > 0 || op.Operation is "monitor" or "start" or "promote" or "migrate_from")
                _digestChecks.Add(new DigestCheck(rsc, node, op, startPending));
        }
    }

    /// <summary>Turns the recorded checks into restarts and reloads.</summary>
    private void CheckDigests()
    {
        foreach (var (r, n) in _agentChanges)
            if (r.RunningOn.Contains(n) && r.Managed) r.ForcedRestart = true;
        if (!_options.CheckDigests) return;
        foreach (var (r, n, op, startPending) in _digestChecks)
        {
            if (r.Orphan || r.RunningOn.Count != 1 || !r.RunningOn.Contains(n) || !r.Managed) continue;
            // Pacemaker checks parameters only in the history of nodes that can run resources.
            if (!n.Available) continue;
            // Recurring operations no longer configured are cancelled, not compared.
            if (op.IntervalMs > 0 && !r.Primitive!.Operations.Any(o => o.Name == op.Operation && o.IntervalMs == op.IntervalMs)) continue;
            var verdict = DigestVerdictOf(r, n, op);
            if (verdict == DigestVerdict.Match) continue;
            // A changed recurring op is re-scheduled (not a restart of the resource).
            if (op.IntervalMs > 0) continue;
            if (verdict == DigestVerdict.Restart)
            {
                r.RestartReason ??= "resource definition change";
                continue;
            }
            if (!op.Attributes.ContainsKey("op-restart-digest"))
            {
                // The agent cannot reload.
                r.RestartReason ??= "resource definition change";
                continue;
            }
            if (r.Failed) continue;
            // A reload is not attempted over a pending start: the resource is stopped instead.
            if (startPending) r.ForcedRestart = true;
            else r.ReloadOn = n;
        }
    }
}
