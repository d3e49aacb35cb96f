using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.Scheduler;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>The cluster's current state as the tools show it: the scheduler's reading of a CIB's status section.</summary>
public static class ClusterState
{
    public static (CibDocument Cib, ScheduleResult Result) Evaluate(XElement root, DateTimeOffset now)
    {
        var cib = CibDocument.FromElement(root);
        return (cib, Scheduler.Schedule(cib, new SchedulerOptions { Now = now }));
    }

    /// <summary>Node names where resource <paramref name="id"/> (or any instance/member of it) is active.</summary>
    public static List<string> RunningOn(XElement root, string id)
    {
        var (_, r) = Evaluate(root, DateTimeOffset.UtcNow);
        return [.. r.Primitives.Where(p => p.Id == id || p.Instance?.BaseId == id || Ancestors(p).Any(a => a.Id == id))
            .SelectMany(p => p.RunningOn).Select(n => n.Uname).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Whether crm_mon would show resource <paramref name="id"/> as managed: every primitive of it
    /// (itself, its members or instances; is-managed is inherited) managed. False for an unknown id.
    /// </summary>
    public static bool IsManaged(XElement root, string id)
    {
        var (_, r) = Evaluate(root, DateTimeOffset.UtcNow);
        var mine = r.Primitives.Where(p => p.Id == id || p.Instance?.BaseId == id || Ancestors(p).Any(a => a.Id == id)).ToList();
        // Resources held back because fencing is enabled without a device still show as managed.
        return mine.Count > 0 && mine.All(p => p.Managed || p.StartupDisabled);
    }

    private static IEnumerable<WorkResource> Ancestors(WorkResource p)
    {
        for (var a = p.Parent; a is not null; a = a.Parent) yield return a;
    }
}
