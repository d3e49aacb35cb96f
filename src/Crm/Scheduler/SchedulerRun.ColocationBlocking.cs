using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    private readonly HashSet<ScheduledAction> _blockedDependentsOf = [];
    /// <summary>Starts of resources placed nowhere: Pacemaker has no such action unless an ordering names it first.</summary>
    private readonly HashSet<ScheduledAction> _standInStarts = [];
    private readonly HashSet<ScheduledAction> _orderedFirst = [];

    /// <summary>
    /// ScheduledAction pairs already ordered by a constraint: Pacemaker drops a second ordering of the
    /// same two actions when their flags overlap, and every constraint's flags include
    /// "optional", so only the first constraint between two actions counts.
    /// </summary>
    private readonly HashSet<(ScheduledAction, ScheduledAction)> _orderedPairs = [];

    /// <summary>Whether Pacemaker has this start at all: not for a resource placed nowhere, nor for
    /// a blocked one (it never schedules a start for those), unless an ordering names it first.</summary>
    private bool Exists(ScheduledAction a) =>
        !(_standInStarts.Contains(a) || (a.Task == "start" && a.Resource is { Blocked: true, Primitive: not null })) || _orderedFirst.Contains(a);

    /// <summary>
    /// A start that cannot run blocks the starts of everything mandatorily (INFINITY) colocated
    /// with its resource, transitively: a dependent cannot reach its colocated role when its
    /// primary cannot start. A clone blocks its dependents only when none of its instances can
    /// start. Returns whether any start was newly blocked.
    /// </summary>
    private bool BlockColocatedStarts()
    {
        bool any = false;
        // Creation order, as Pacemaker walks its action list.
        for (int i = 0; i < Actions.Count; i++)
        {
            var a = Actions[i];
            if (a.Task == "start" && !a.Runnable && a.Resource is not null && Exists(a) && !_blockedDependentsOf.Contains(a))
                any |= BlockDependentsOf(a);
        }
        return any;
    }

    private bool BlockDependentsOf(ScheduledAction start)
    {
        _blockedDependentsOf.Add(start);
        var unit = start.Resource!.Top;
        // Pacemaker 2.1.5 looks for the colocations with the top-level resource; a group's (and
        // its members') dependents are never blocked this way: they start where the group was
        // placed even when it cannot start.
        if (unit.IsGroup) return false;
        // The colocation fails only if the entire primary cannot start.
        foreach (var leaf in LeafMembers(unit))
            if (leaf.Actions.FirstOrDefault(x => x.Task == "start") is not { Runnable: false } ls || !Exists(ls)) return false;
        bool any = false;
        foreach (var leaf in LeafMembers(unit))
        {
            foreach (var c in leaf.ColocationsAsPrimary)
            {
                if (c.Score.Value < Score.InfinityValue || c.Dependent.Top == unit) continue;
                // A colocation of the dependent's promoted role blocks its promotion, not its start.
                var task = c.DependentRole == Role.Promoted ? "promote" : "start";
                // A group dependent: only its first member's start is blocked by the colocation;
                // the later members follow through the group's orderings (wide seed 239).
                var depTop = c.Dependent.Top;
                foreach (var dep in depTop.IsGroup && depTop.Children.Count > 0 ? [depTop.Children[0]] : LeafMembers(depTop))
                {
                    foreach (var s in dep.Actions.Where(x => x.Task == task && x.Runnable && !x.Pseudo).ToList())
                    {
                        s.SetReason("colocation with " + start.Resource.Id);
                        // Like any start that becomes unrunnable: an active resource's is made
                        // required at once (what follows it sees "required X start", seed 239).
                        MakeUnrunnable(s, start);
                        any = true;
                        BlockDependentsOf(s);
                    }
                }
            }
        }
        return any;
    }

    /// <summary>Order propagation interleaved with colocation blocking until neither changes anything.</summary>
    private void PropagateWithColocationBlocking()
    {
        BlockColocatedStarts();
        Propagate();
        for (int round = 0; round < 100 && BlockColocatedStarts(); round++) Propagate();
        KeepCloneMinStartsOfStoppingClones();
    }
}
