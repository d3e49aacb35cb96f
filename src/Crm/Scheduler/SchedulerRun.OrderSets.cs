namespace Cluster.Crm.Scheduler;

/// <summary>
/// Ordered resource sets with require-all="false": the next set waits for any one member of
/// the set, through a pseudo-action "one-or-more:&lt;set id&gt;" that can run as soon as one of
/// its inputs can (Pacemaker's relaxed set). Applies to starts and promotes only; stops keep
/// waiting for every member.
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>Each relaxed-set pseudo-action with the actions any one of which lets it run.</summary>
    private readonly List<(Action Pseudo, List<Action> Inputs)> _relaxedSets = [];

    /// <summary>Orders set <paramref name="prev"/> before <paramref name="cur"/> when <paramref name="prev"/> is
    /// relaxed; returns false (nothing done) when the ordinary pairwise ordering applies.</summary>
    private bool AddRelaxedSetOrder(Cib.ResourceSet prev, List<WorkResource> prevList, Cib.ResourceSet cur, List<WorkResource> curList,
        string kind, bool symmetrical)
    {
        var fa = prev.Action ?? "start";
        var ta = cur.Action ?? "start";
        if (prev.RequireAll || fa is "stop" or "demote") return false;
        var pseudo = NewAction(null, "one-or-more:" + prev.Id, null);
        pseudo.Pseudo = true;
        var inputs = new List<Action>();
        foreach (var f in prevList)
            foreach (var a in ActionsFor(f, fa, true))
            {
                inputs.Add(a);
                Order(a, pseudo, OrderFlags.None);
            }
        _relaxedSets.Add((pseudo, inputs));
        var flags = kind switch
        {
            "optional" or "serialize" => OrderFlags.RunnableLeft,
            _ => (symmetrical ? OrderFlags.ImpliesThen : OrderFlags.Asymmetric) | OrderFlags.RunnableLeft,
        };
        foreach (var t in curList)
            foreach (var a in ActionsFor(t, ta, false))
                Order(pseudo, a, flags);
        // The inverse (stops) is an ordinary ordering: every member waits.
        if (symmetrical && kind is not ("optional" or "serialize") && Invert(fa) is { Length: > 0 } ifa && Invert(ta) is { Length: > 0 } ita)
            foreach (var t in curList)
                foreach (var f in prevList)
                    foreach (var x in ActionsFor(t, ita, true))
                        foreach (var y in ActionsFor(f, ifa, false))
                            Order(x, y, OrderFlags.ImpliesFirst);
        return true;
    }

    /// <summary>A relaxed-set pseudo-action becomes unrunnable once none of its inputs can run. Returns whether any changed.</summary>
    private bool UpdateOneOrMoreFlags()
    {
        bool changed = false;
        foreach (var (pseudo, inputs) in _relaxedSets)
            if (pseudo.Runnable && !inputs.Any(i => i.Runnable && Exists(i)))
            {
                pseudo.Runnable = false;
                changed = true;
            }
        return changed;
    }
}
