namespace Cluster.Crm.Scheduler;

// Promote/demote actions of promotable clone instances, the clone's promote/promoted and
// demote/demoted pseudo actions, and their orderings. Runs after the start/stop actions exist.
internal sealed partial class SchedulerRun
{
    private readonly Dictionary<(WorkResource Clone, string Task), ScheduledAction> _promotionPseudo = [];

    /// <summary>The clone-level pseudo action (promote, promoted, demote, demoted) of a promotable clone.</summary>
    internal ScheduledAction? PromotablePseudo(WorkResource clone, string task) => _promotionPseudo.GetValueOrDefault((clone, task));

    private void CreatePromotionActions()
    {
        foreach (var clone in TopResources.Where(IsPromotable))
        {
            ScheduledAction Pseudo(string task)
            {
                var a = NewAction(clone, task, null);
                a.Pseudo = true;
                a.Optional = true;
                _promotionPseudo[(clone, task)] = a;
                return a;
            }
            var promote = Pseudo("promote");
            var promoted = Pseudo("promoted");
            var demote = Pseudo("demote");
            var demoted = Pseudo("demoted");
            // Promoted follows the instances' promotes, not the clone's promote itself.
            Order(promote, promoted, OrderFlags.FlagsOnly);
            Order(demoted, promote, OrderFlags.None);
            Order(demote, demoted, OrderFlags.None);
            foreach (var leaf in CloneLeaves(clone))
                CreateRoleActions(leaf, promote, promoted, demote, demoted);
        }
        CreatePrimitiveDemotions();
    }

    /// <summary>A primitive outside any clone that its history shows promoted (the highest role it
    /// was active in) and that is not to stay so is demoted on each node it is active on before any
    /// of its stops, as Pacemaker's role transitions require (Promoted, Unpromoted, Stopped).</summary>
    private void CreatePrimitiveDemotions()
    {
        foreach (var r in Primitives)
        {
            if (r.Instance is not null || r.Parent is not null || !r.Managed || r.CurrentRole != Role.Promoted || r.NextRole == Role.Promoted) continue;
            var stops = r.Actions.Where(a => a.Task == "stop" && a.Node is not null).ToList();
            foreach (var n in r.RunningOn)
            {
                var d = NewAction(r, "demote", n);
                d.Optional = false;
                if (_fenceByNode.ContainsKey(n)) d.Pseudo = true;
                else InitRunnable(d);
                foreach (var s in stops)
                {
                    if (s.Node == n) Order(d, s, OrderFlags.ImpliesFirst);
                    else _graphOrders.Add((d, s));
                }
            }
        }
    }

    private void CreateRoleActions(WorkResource r, ScheduledAction clonePromote, ScheduledAction clonePromoted, ScheduledAction cloneDemote, ScheduledAction cloneDemoted)
    {
        if (r.Primitive is null) return;
        var cr = r.CurrentRole;
        var nr = r.NextRole;
        var next = r.AssignedNode;
        var stops = r.Actions.Where(a => a.Task == "stop").ToList();
        var start = next is null ? null : r.Actions.FirstOrDefault(a => a.Task == "start" && a.Node == next);
        bool needStop = stops.Any(s => !s.Optional);
        if (cr == Role.Promoted)
        {
            foreach (var n in r.RunningOn)
            {
                var d = NewAction(r, "demote", n);
                d.Optional = !(needStop || nr < Role.Promoted);
                if (_fenceByNode.ContainsKey(n)) d.Pseudo = true;
                else InitRunnable(d);
                if (!r.Managed) { d.Runnable = false; d.Optional = true; }
                if (nr < Role.Promoted && next is null && r.Managed) d.SetReason("node availability");
                foreach (var s in stops.Where(s => s.Node == n)) Order(d, s, OrderFlags.ImpliesFirst);
                Order(cloneDemote, d, OrderFlags.ImpliesFirst);
                Order(d, cloneDemoted, OrderFlags.ImpliesThen);
            }
        }
        if (next is not null && nr == Role.Promoted)
        {
            var p = NewAction(r, "promote", next);
            p.Optional = cr == Role.Promoted && !needStop && (start is null || start.Optional);
            // A promote whose start cannot run is simply blocked (no reason of its own).
            if (start is not null && !start.Runnable) p.Runnable = false;
            else InitRunnable(p);
            if (!r.Managed) { p.Optional = true; }
            if (start is not null)
                Order(start, p, OrderFlags.RunnableLeft | (cr == Role.Promoted ? OrderFlags.ImpliesThen : OrderFlags.None));
            // An instance demotes before it promotes; a cloned group's member through its group
            // instance's pseudo-actions (AddInstanceGroupOrders), not directly.
            if (r.Parent is not { IsGroup: true, Instance: not null })
                foreach (var d in r.Actions.Where(a => a.Task == "demote")) Order(d, p, OrderFlags.None);
            Order(clonePromote, p, OrderFlags.ImpliesFirst);
            Order(p, clonePromoted, OrderFlags.ImpliesThen);
        }
    }
}
