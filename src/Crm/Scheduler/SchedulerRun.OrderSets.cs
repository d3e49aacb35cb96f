namespace Cluster.Crm.Scheduler;

/// <summary>
/// Ordered resource sets with require-all="false": the next set waits for any one member of
/// the set, through a pseudo-action "one-or-more:&lt;set id&gt;" that can run as soon as one of
/// its inputs can (Pacemaker's relaxed set). Applies to starts and promotes only; stops keep
/// waiting for every member.
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>Orders set <paramref name="prev"/> before <paramref name="cur"/> when <paramref name="prev"/> is
    /// relaxed; returns false (nothing done) when the ordinary pairwise ordering applies.</summary>
    private bool AddRelaxedSetOrder(Cib.ResourceSet prev, List<WorkResource> prevList, Cib.ResourceSet cur, List<WorkResource> curList,
        string kind, bool symmetrical)
    {
        var fa = prev.Action ?? "start";
        var ta = cur.Action ?? "start";
        if (prev.RequireAll || fa is "stop" or "demote") return false;
        var inputs = new List<ScheduledAction>();
        foreach (var f in prevList) inputs.AddRange(ActionsFor(f, fa, true));
        var pseudo = NewOneOrMore("one-or-more:" + prev.Id, inputs, 1);
        foreach (var a in inputs) Order(a, pseudo, OrderFlags.None);
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
}
