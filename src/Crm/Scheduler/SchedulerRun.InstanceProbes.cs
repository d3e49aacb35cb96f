namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    /// <summary>An anonymous clone is probed once per node: when any of its instances already has
    /// history there, no instance is probed again (a new probe would overwrite that history, which
    /// is recorded under the shared id).</summary>
    private static bool KnownByAnonymousSibling(WorkResource r, WorkNode n) =>
        r.Instance is { } ci && !ci.Clone.Clone!.Unique
        && CloneLeaves(ci.Clone).Any(l => l != r && l.Instance?.BaseId == ci.BaseId && l.KnownOn.Contains(n));
}
