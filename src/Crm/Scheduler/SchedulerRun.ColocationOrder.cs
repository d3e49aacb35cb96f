namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    /// <summary>
    /// Pacemaker keeps each resource's colocations sorted, and that order decides which primary
    /// is assigned first (and so ties between equally scored nodes): "this with" lists by the
    /// primary, "with this" lists by the dependent, each by priority (highest first), then
    /// groups before primitives, then resource id (ordinal). Among equal keys the constraint
    /// added later comes first, as a sorted insert places it before its equals.
    /// </summary>
    private void SortColocationLists()
    {
        foreach (var r in Primitives)
        {
            Sort(r.ColocationsAsDependent, c => c.NamedPrimary);
            Sort(r.ColocationsAsPrimary, c => c.NamedDependent);
        }

        static void Sort(List<WorkColocation> list, Func<WorkColocation, WorkResource> key)
        {
            if (list.Count < 2) return;
            var sorted = list.Select((c, i) => (c, i))
                .OrderByDescending(x => key(x.c).Priority)
                .ThenByDescending(x => key(x.c).IsGroup)
                .ThenBy(x => key(x.c).Id, StringComparer.Ordinal)
                .ThenByDescending(x => x.i)
                .Select(x => x.c).ToList();
            list.Clear();
            list.AddRange(sorted);
        }
    }
}
