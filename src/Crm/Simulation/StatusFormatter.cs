using System.Text;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>Prints the "Node List" / "Full List of Resources" blocks as crm_simulate 2.1.5 does.</summary>
public static class StatusFormatter
{
    public static void Format(ScheduleResult r, StringBuilder o)
    {
        o.Append("  * Node List:\n");
        FormatNodes(r, o, "    ");
        o.Append('\n');
        o.Append("  * Full List of Resources:\n");
        FormatResources(r, o, "    ", inactive: true);
    }

    /// <summary>The node list lines at <paramref name="indent"/> (crm_mon uses the same lines one level up).</summary>
    public static void FormatNodes(ScheduleResult r, StringBuilder o, string indent)
    {
        var online = new List<string>();
        var offline = new List<string>();
        foreach (var n in r.Nodes)
        {
            var special = SpecialState(n, r);
            if (special is not null) { o.Append(indent).Append("* Node ").Append(n.Uname).Append(": ").Append(special).Append('\n'); continue; }
            (n.Online ? online : offline).Add(n.Uname);
        }
        if (online.Count > 0) o.Append(indent).Append("* Online: [ ").Append(string.Join(' ', online)).Append(" ]\n");
        if (offline.Count > 0) o.Append(indent).Append("* OFFLINE: [ ").Append(string.Join(' ', offline)).Append(" ]\n");
    }

    /// <summary>A node's state when it is not simply online or offline ("UNCLEAN (online)", "standby"...), else null.</summary>
    public static string? SpecialState(WorkNode n, ScheduleResult r)
    {
        if (n.Unclean) return n.Online || n.ShownOnline ? "UNCLEAN (online)" : "UNCLEAN (offline)";
        if (n.Pending && n.Online) return "pending";
        if (!n.Online) return n.Maintenance ? "OFFLINE (maintenance)" : n.Standby ? "OFFLINE (standby)" : null;
        if (n.StandbyOnFail) return "standby (on-fail)";
        if (n.Standby) return r.Primitives.Any(p => p.RunningOn.Contains(n)) ? "standby (with active resources)" : "standby";
        return n.Maintenance ? "maintenance" : null;
    }

    /// <summary>
    /// The resource lines at <paramref name="indent"/>; without <paramref name="inactive"/> only
    /// what is active (crm_mon's "Active Resources"): groups with their active members, clones
    /// with an active instance. Returns how many top-level entries were printed.
    /// </summary>
    public static int FormatResources(ScheduleResult r, StringBuilder o, string indent, bool inactive, bool showNodes = true,
        Func<WorkResource, bool>? filter = null)
    {
        int printed = 0;
        foreach (var res in r.ResourcesByPriority)
        {
            if (filter is not null && !filter(res)) continue;
            if (res.IsGroup)
            {
                var members = inactive ? res.Children : res.Children.Where(c => c.Active).ToList();
                if (members.Count == 0 && !inactive) continue;
                o.Append(indent).Append(GroupHeader(res, inactive)).Append('\n');
                foreach (var c in members) o.Append(indent).Append("  * ").Append(Shown(PrimitiveLine(c, r), c, showNodes)).Append('\n');
            }
            else if (res.IsClone)
            {
                if (!inactive && !res.Children.SelectMany(i => i.IsGroup ? i.Children : [i]).Any(l => l.Active)) continue;
                CloneFormatter.Format(res, r, o, indent, inactive);
            }
            else
            {
                if (!inactive && !res.Active) continue;
                o.Append(indent).Append("* ").Append(Shown(PrimitiveLine(res, r), res, showNodes)).Append('\n');
            }
            printed++;
        }
        return printed;
    }

    /// <summary>
    /// "* Resource Group: g (unmanaged):"; when only active resources are listed, the members
    /// left out are counted: "(1 member inactive)".
    /// </summary>
    public static string GroupHeader(WorkResource group, bool inactive)
    {
        // Pacemaker's order: the inactive count first, then "unmanaged", then "disabled".
        var flags = new List<string>(3);
        if (!inactive && group.Children.Count(c => !c.Active) is var left and > 0)
            flags.Add(left == 1 ? "1 member inactive" : $"{left} members inactive");
        if (!group.Managed) flags.Add("unmanaged");
        if (group.TargetRole == Role.Stopped) flags.Add("disabled");
        return $"* Resource Group: {group.Id}" + (flags.Count > 0 ? $" ({string.Join(", ", flags)})" : "") + ":";
    }

    // crm_resource --list and crm_mon -n print "Started" without the node.
    private static string Shown(string line, WorkResource p, bool showNodes) =>
        showNodes || p.RunningOn.Count != 1 ? line : line.Replace(" " + p.RunningOn[0].Uname, "", StringComparison.Ordinal);

    /// <summary>"rsc1\t(ocf:heartbeat:apache):\t Started node1".</summary>
    public static string PrimitiveLine(WorkResource p, ScheduleResult r)
    {
        var prim = p.Primitive!;
        var sb = new StringBuilder();
        sb.Append(p.Id).Append("\t(").Append(prim.Class);
        if (prim.Provider is not null) sb.Append(':').Append(prim.Provider);
        sb.Append(':').Append(prim.Type).Append("):\t ");
        if (p.Orphan) sb.Append("ORPHANED ");
        var flags = new List<string>();
        string state;
        if (!p.Active && p.Pending.ReplacesRole() && p.PendingOn is { } incoming)
        {
            // An incoming migration still in flight: not active, yet shown where it is going.
            sb.Append(p.Pending.ToString()).Append(' ').Append(incoming.Uname);
        }
        else if (!p.Active)
        {
            state = "Stopped";
            if (p.TargetRole == Role.Stopped) flags.Add("disabled");
            if (p.Blocked) flags.Add("blocked");
            else if (p.ShownUnmanaged && (p.TargetRole != Role.Stopped || p.Meta.ContainsKey("is-managed"))) flags.Add("unmanaged");
            if (p.FailureIgnored) flags.Add("failure ignored");
            sb.Append(state);
            // The masked probe's result goes right after the state, with a space on each side.
            if (p.MaskedProbeRc is { } probeRc) sb.Append(" (").Append(OcfRcText(probeRc)).Append(") ");
        }
        else
        {
            // A failed promoted resource shows its role; a failed unpromoted or started one does not.
            state = p.Failed ? (p.CurrentRole == Role.Promoted ? "FAILED Promoted" : "FAILED")
                : p.Pending.ReplacesRole() ? p.Pending.ToString()
                : p.CurrentRole switch
                {
                    Role.Promoted => "Promoted",
                    Role.Unpromoted => "Unpromoted",
                    _ => "Started",
                };
            if (p.Pending == PendingTask.Monitoring) flags.Add("Monitoring");
            if (p.RunningOn.Count == 1)
            {
                var n = p.RunningOn[0];
                sb.Append(state).Append(' ').Append(n.Uname);
                if (n.Unclean && !n.Online && !n.ShownOnline) flags.Add("UNCLEAN");
            }
            if (p.TargetRole == Role.Stopped) flags.Add("disabled");
            if (p.Blocked) flags.Add("blocked");
            else if (p.ShownUnmanaged) flags.Add("unmanaged");
            if (p.FailureIgnored) flags.Add("failure ignored");
            if (p.RunningOn.Count > 1)
            {
                sb.Append(state);
                if (flags.Count > 0) sb.Append(" (").Append(string.Join(", ", flags)).Append(')');
                sb.Append(" [ ").Append(string.Join(' ', p.RunningOn.Select(n => n.Uname))).Append(" ]");
                return sb.ToString();
            }
        }
        if (flags.Count > 0) sb.Append(" (").Append(string.Join(", ", flags)).Append(')');
        return sb.ToString();
    }

    private static readonly string[] OcfRcTexts = ["ok", "error", "invalid parameter", "unimplemented feature",
        "insufficient privileges", "not installed", "not configured", "not running"];

    private static string OcfRcText(int rc) => rc >= 0 && rc < OcfRcTexts.Length ? OcfRcTexts[rc] : "unknown";

    /// <summary>"N of M resource instances DISABLED and K BLOCKED from further action due to failure", or null.</summary>
    public static string? DisabledHeader(ScheduleResult r)
    {
        int total = r.Primitives.Count(p => !p.Orphan || p.Active);
        int disabled = r.Primitives.Count(p => p.TargetRole == Role.Stopped && !p.Orphan);
        int blocked = r.Primitives.Count(p => p.Blocked);
        if (disabled == 0 && blocked == 0) return null;
        return $"{disabled} of {total} resource instances DISABLED and {blocked} BLOCKED from further action due to failure";
    }
}
