using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.Scheduler;
using Cluster.Crm.Simulation;

namespace Cluster.Tools.Crm.Planning;

/// <summary>
/// What the cluster would do with a CIB, worked out here without asking the cluster: the
/// scheduler's pending actions (none = the cluster is idle, what `crm_resource --wait` waits for),
/// the CIB after its next transition ran with every action succeeding (what pcs asks
/// crm_simulate for), and where a resource is active.
/// </summary>
public static class ClusterSimulation
{
    /// <summary>The transition graph's real actions, as "RSC_TASK_INTERVAL on NODE"; empty when the cluster has nothing left to do.</summary>
    public static IReadOnlyList<string> PendingActions(XElement cib, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var result = Scheduler.Schedule(CibDocument.FromElement(cib), new SchedulerOptions { Now = now });
        return [.. result.ExecutableActions.Where(a => !a.Pseudo).Concat(result.FenceActions.Where(a => result.Graph.Contains(a.Id)))
            .Select(a => a.Node is null ? a.Key : $"{a.Key} on {a.Node.Uname}")];
    }

    /// <summary>
    /// The resources the cluster's next transition would start, stop, promote, demote or migrate
    /// (not probe or monitor, as pcs counts them): each primitive's id with its clone's base id
    /// and its parents' ids. Recorded parameter digests are not compared: a simulated history
    /// has none, and a restart for changed parameters is not a move.
    /// </summary>
    public static IReadOnlySet<string> ResourcesActedOn(XElement cib, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var result = Scheduler.Schedule(CibDocument.FromElement(cib), new SchedulerOptions { Now = now, CheckDigests = false });
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in result.ExecutableActions.Where(a => !a.Pseudo && a.Resource is not null
            && a.Task is "start" or "stop" or "promote" or "demote" or "migrate_to" or "migrate_from"))
        {
            ids.Add(a.Resource!.Id);
            if (a.Resource.Instance?.BaseId is { } b) ids.Add(b);
            for (var p = a.Resource.Parent; p is not null; p = p.Parent) ids.Add(p.Id);
        }
        return ids;
    }

    /// <summary>The CIB once the cluster ran the transition it would compute for <paramref name="cib"/>, every action succeeding.</summary>
    public static XElement AfterTransition(XElement cib, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var document = CibDocument.FromElement(cib);
        var result = Scheduler.Schedule(document, new SchedulerOptions { Now = now });
        return TransitionExecutor.Execute(document, result).RevisedCib;
    }

    /// <summary>Where resource <paramref name="id"/> (any instance or member of it) is active, by role.</summary>
    public static ResourceState StateOf(XElement cib, string id, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var result = Scheduler.Schedule(CibDocument.FromElement(cib), new SchedulerOptions { Now = now });
        var placed = result.Primitives.Where(p => Names(p, id))
            .SelectMany(p => p.RunningOn.Select(n => (Role: p.CurrentRole == Role.Stopped ? Role.Started : p.CurrentRole, Node: n.Uname)))
            .Distinct().OrderBy(x => x.Role).ThenBy(x => x.Node, StringComparer.Ordinal).ToList();
        return new ResourceState(placed);
    }

    /// <summary>
    /// The ids of the active primitives (only those active on <paramref name="node"/> when
    /// given): what crm_resource --restart compares before and after each phase.
    /// </summary>
    public static IReadOnlySet<string> ActiveResources(XElement cib, string? node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var result = Scheduler.Schedule(CibDocument.FromElement(cib), new SchedulerOptions { Now = now });
        return result.Primitives.Where(p => p.RunningOn.Any(n => node is null || n.Uname == node))
            .Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
    }

    private static bool Names(WorkResource p, string id)
    {
        if (p.Id == id || p.Instance?.BaseId == id) return true;
        for (var a = p.Parent; a is not null; a = a.Parent)
            if (a.Id == id) return true;
        return false;
    }
}

/// <summary>Where a resource is active: (role, node) pairs in role then node order.</summary>
public sealed record ResourceState(IReadOnlyList<(Role Role, string Node)> Placed)
{
    public bool Running => Placed.Count > 0;

    public IEnumerable<string> Nodes => Placed.Select(p => p.Node).Distinct(StringComparer.Ordinal);

    public bool SameAs(ResourceState other) => other is not null && Placed.SequenceEqual(other.Placed);

    /// <summary>pcs's report of it: "resource 'R' is running on node 'n1'", or "... is not running on any node".</summary>
    public string Describe(string id)
    {
        if (!Running) return $"resource '{id}' is not running on any node";
        var parts = Placed.GroupBy(p => p.Role == Role.Started ? "running" : p.Role.ToString().ToLowerInvariant())
            .Select(g =>
            {
                var nodes = g.Select(p => p.Node).Order(StringComparer.Ordinal).ToList();
                return $"{g.Key} on {(nodes.Count == 1 ? "node" : "nodes")} {string.Join(", ", nodes.Select(n => $"'{n}'"))}";
            })
            .Order(StringComparer.Ordinal);
        return $"resource '{id}' is {string.Join("; ", parts)}";
    }
}
