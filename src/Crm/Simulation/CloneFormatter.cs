using System.Text;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>Prints a clone in the "Full List of Resources" block as crm_simulate 2.1.5 does.</summary>
public static class CloneFormatter
{
    /// <param name="inactive">Whether stopped instances are listed too (crm_simulate, crm_mon -r);
    /// without, only what is active is printed.</param>
    public static void Format(WorkResource clone, ScheduleResult r, StringBuilder o, string indent, bool inactive = true)
    {
        var info = clone.Clone!;
        var flags = new List<string>(4);
        if (info.Promotable) flags.Add("promotable");
        if (info.Unique) flags.Add("unique");
        if (!clone.Managed) flags.Add("unmanaged");
        if (clone.TargetRole == Role.Stopped || (info.Promotable && clone.TargetRole == Role.Unpromoted)) flags.Add("disabled");
        o.Append(indent).Append("* Clone Set: ").Append(clone.Id).Append(" [").Append(info.ChildId).Append(']')
            .Append(flags.Count > 0 ? $" ({string.Join(", ", flags)})" : "").Append(":\n");
        var inner = indent + "  ";
        var promoted = new List<WorkNode>();
        var unpromoted = new List<WorkNode>();
        var started = new List<WorkNode>();
        foreach (var inst in info.Instances)
        {
            var leaves = inst.IsGroup ? inst.Children : [inst];
            bool partlyActive = leaves.Any(l => l.Active);
            if (info.Unique)
            {
                if (partlyActive || !inst.Orphan) Full(inst, r, o, inner, info, inactive);
                continue;
            }
            if (!partlyActive) continue;
            if (inst.Orphan || leaves.Any(l => !l.Managed || l.Failed) || !leaves.All(l => l.Active))
            {
                Full(inst, r, o, inner, info, inactive);
                continue;
            }
            var location = leaves.Count > 0 && leaves.All(l => l.RunningOn.Count == 1 && l.RunningOn[0] == leaves[0].RunningOn[0])
                ? leaves[0].RunningOn[0] : null;
            if (location is null || (!location.Online && location.Unclean)) { Full(inst, r, o, inner, info, inactive); continue; }
            var role = leaves.Max(l => l.CurrentRole);
            if (role == Role.Promoted) promoted.Add(location);
            else if (role == Role.Unpromoted || (info.Promotable && role == Role.Started)) unpromoted.Add(location);
            else started.Add(location);
        }
        List(o, inner, "Promoted", promoted);
        List(o, inner, "Unpromoted", unpromoted);
        List(o, inner, "Started", started);
        // The stopped list only appears while fewer instances than clone-max are active.
        int activeInstances = info.Instances.Count(i => (i.IsGroup ? i.Children : [i]).Any(l => l.Active));
        if (!inactive || info.Unique || activeInstances >= info.CloneMax) return;

        var running = new HashSet<WorkNode>(CloneLeavesOf(clone).SelectMany(l => l.RunningOn));
        var configured = clone.TargetRole != Role.Unknown ? clone.TargetRole
            : info.Instances.Count > 0 ? info.Instances[0].TargetRole : Role.Unknown;
        var state = configured == Role.Stopped ? "Stopped (disabled)" : "Stopped";
        var stopped = new Dictionary<string, List<WorkNode>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var (n, notInstalled) in r.CloneStoppedCandidates(clone))
        {
            if (running.Contains(n)) continue;
            var s = notInstalled ? "Stopped (not installed)" : state;
            if (!stopped.TryGetValue(s, out var l)) { stopped[s] = l = []; order.Add(s); }
            l.Add(n);
        }
        foreach (var s in order) List(o, inner, s, stopped[s]);
    }

    private static IEnumerable<WorkResource> CloneLeavesOf(WorkResource clone) =>
        clone.Children.SelectMany(i => i.IsGroup ? i.Children : [i]);

    private static void List(StringBuilder o, string indent, string label, List<WorkNode> nodes)
    {
        if (nodes.Count == 0) return;
        var names = nodes.Select(n => n.Uname).Distinct().OrderBy(n => n, NaturalOrder.Instance);
        o.Append(indent).Append("* ").Append(label).Append(": [ ").Append(string.Join(' ', names)).Append(" ]\n");
    }

    private static void Full(WorkResource inst, ScheduleResult r, StringBuilder o, string indent, CloneInfo info, bool inactive)
    {
        if (inst.IsGroup)
        {
            o.Append(indent).Append(StatusFormatter.GroupHeader(inst, inactive)).Append('\n');
            foreach (var m in inst.Children.Where(m => inactive || m.Active)) o.Append(indent).Append("  * ").Append(Line(m, r, info)).Append('\n');
            return;
        }
        o.Append(indent).Append("* ").Append(Line(inst, r, info)).Append('\n');
    }

    /// <summary>An instance's line: anonymous instances print their configured id.</summary>
    private static string Line(WorkResource p, ScheduleResult r, CloneInfo info)
    {
        var line = StatusFormatter.PrimitiveLine(p, r);
        return info.Unique || p.Instance is null ? line : p.Instance.BaseId + line[p.Id.Length..];
    }
}
