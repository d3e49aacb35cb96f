namespace Cluster.Crm.Scheduler;

/// <summary>
/// A resource whose parameters changed in a way its agent can reload (and that neither
/// restarts nor moves) is reloaded where it runs: a reload-agent action after its probes
/// elsewhere, before its recurring monitors there.
/// </summary>
internal sealed partial class SchedulerRun
{
    private void CreateReloads()
    {
        foreach (var line in Summary.Where(l => l.Verb == "Reload"))
        {
            if (!ById.TryGetValue(line.Subject, out var r) || r.ReloadOn is not { } node) continue;
            var reload = NewAction(r, "reload-agent", node);
            reload.Optional = false;
            foreach (var p in r.Actions.Where(a => a.IsProbe)) _graphOrders.Add((p, reload));
            _reloads.Add(reload);
        }
    }

    private readonly List<ScheduledAction> _reloads = [];

    /// <summary>The recurring monitors (created after the reload) run with the new parameters.</summary>
    private void OrderMonitorsAfterReloads()
    {
        foreach (var reload in _reloads)
            foreach (var m in reload.Resource!.Actions.Where(a => a.Task == "monitor" && a.IntervalMs > 0 && a.Node == reload.Node))
                _graphOrders.Add((reload, m));
    }
}
