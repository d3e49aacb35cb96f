namespace Cluster.Crm.Scheduler;

/// <summary>
/// "One or more" pseudo-actions: an ordering whose first side need not run completely waits on
/// a pseudo-action that stays runnable while at least <c>Min</c> of its inputs can run. Used by
/// resource sets with require-all="false" ("one-or-more:&lt;set&gt;", Min 1) and by orderings
/// after a clone with clone-min or require-all="false" ("clone-one-or-more:&lt;order&gt;").
/// </summary>
internal sealed partial class SchedulerRun
{
    private readonly List<(ScheduledAction Pseudo, List<ScheduledAction> Inputs, int Min)> _oneOrMore = [];

    private ScheduledAction NewOneOrMore(string task, List<ScheduledAction> inputs, int min)
    {
        var pseudo = NewAction(null, task, null);
        pseudo.Pseudo = true;
        _oneOrMore.Add((pseudo, inputs, min));
        return pseudo;
    }

    /// <summary>Makes each one-or-more pseudo-action unrunnable once fewer than its minimum of inputs can run. Returns whether any changed.</summary>
    private bool UpdateOneOrMoreFlags()
    {
        bool changed = false;
        foreach (var (pseudo, inputs, min) in _oneOrMore)
            if (pseudo.Runnable && inputs.Count(i => i.Runnable && Exists(i)) < min)
            {
                pseudo.Runnable = false;
                changed = true;
            }
        return changed;
    }
}
