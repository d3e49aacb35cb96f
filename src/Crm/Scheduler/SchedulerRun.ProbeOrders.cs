namespace Cluster.Crm.Scheduler;

/// <summary>
/// The orderings Pacemaker derives from probes for the graph: a probe stands for a stop the
/// cluster may yet find it needs, so what would wait for that stop waits for the probe, and a
/// restart the probed resource's start would cause waits for it too.
/// </summary>
internal sealed partial class SchedulerRun
{
    /// <summary>A node is probed after it is unfenced, and its probes need not hold back
    /// another node's shutdown.</summary>
    private static bool ProbeComesBefore(ScheduledAction probe, ScheduledAction then) => then.Task switch
    {
        "do_shutdown" => then.Node is null || then.Node == probe.Node,
        "stonith" => !(then.Node == probe.Node && then.Detail == "on"),
        _ => true,
    };

    private void AddProbeOrders(List<ScheduledAction> exec)
    {
        var probes = exec.Where(a => a.IsProbe && a.Resource is { Primitive: not null }).ToLookup(a => a.Resource!);
        if (probes.Count == 0) return;
        var after = Orders.ToLookup(o => o.First);

        // "stop R then X" for another resource: the probes of R come first too (if R turns out
        // to be active, its stop is only scheduled by the next transition).
        foreach (var o in Orders)
        {
            if (o.Flags.HasFlag(OrderFlags.FlagsOnly) || o.First.Task != "stop" || o.First.Resource is not { Primitive: not null } fr
                || o.Then.Resource == fr) continue;
            foreach (var p in probes[fr])
                if (ProbeComesBefore(p, o.Then)) _graphOrders.Add((p, o.Then));
        }

        // -INFINITY colocation: one resource leaves a node before the other arrives there, and
        // its probe there (a stop the cluster may yet need) comes first as well. Pacemaker keeps
        // these orderings only between actions on the same node.
        foreach (var r in Primitives)
            foreach (var col in r.ColocationsAsDependent)
            {
                if (col.Score.Value > -Cib.Score.InfinityValue || col.NamedDependent is not { Primitive: not null } a
                    || col.NamedPrimary is not { Primitive: not null } b || a == b
                    || col.DependentRole is not (Role.Unknown or Role.Started) || col.PrimaryRole is not (Role.Unknown or Role.Started)) continue;
                foreach (var (x, y) in ((WorkResource, WorkResource)[])[(a, b), (b, a)])
                    foreach (var start in y.Actions.Where(s => s.Task == "start" && s.Node is not null))
                    {
                        foreach (var stop in x.Actions.Where(s => s.Task == "stop" && s.Node == start.Node)) _graphOrders.Add((stop, start));
                        foreach (var p in probes[x].Where(p => p.Node == start.Node)) _graphOrders.Add((p, start));
                    }
            }

        // A start that a probed resource's start implies (through mandatory orderings, from a
        // group or clone to its members) may be part of a restart: the probe comes before that
        // resource's stops too.
        foreach (var grouping in probes)
            foreach (var p in grouping)
            {
                var r = grouping.Key;
                var seen = new HashSet<ScheduledAction>();
                var work = new Stack<ScheduledAction>();
                var ownStart = r.Top is { IsClone: true } clone && _clonePseudo.TryGetValue((clone, "start"), out var cs)
                    ? [cs] : r.Actions.Where(a => a.Task == "start").ToList();
                foreach (var s in ownStart) work.Push(s);
                while (work.Count > 0)
                {
                    var x = work.Pop();
                    if (!seen.Add(x)) continue;
                    if (x.Resource is { Primitive: not null } xr && xr != r)
                    {
                        var undo = x.Task switch { "start" => "stop", "promote" => "demote", _ => null };
                        if (undo is not null)
                            foreach (var u in xr.Actions.Where(a => a.Task == undo && !a.Pseudo)) _graphOrders.Add((p, u));
                    }
                    foreach (var o in after[x])
                        if (o.Flags.HasFlag(OrderFlags.ImpliesThen)) work.Push(o.Then);
                }
            }
    }
}
