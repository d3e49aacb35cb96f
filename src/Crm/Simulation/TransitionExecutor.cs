using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>
/// Pretends every executable action of a transition succeeded: writes the results into a copy
/// of the CIB status (as crm_simulate does) and lists them in execution order.
/// </summary>
public static class TransitionExecutor
{
    public sealed record Outcome(IReadOnlyList<string> Lines, XElement RevisedCib);

    /// <summary>The lrm_resource id results are recorded under: a clone instance keeps the id its history
    /// used on that node; a new anonymous instance is recorded under its configured id.</summary>
    private static string HistoryId(WorkResource rsc, WorkNode node) =>
        rsc.Instance is not { } ci ? rsc.Id
        : ci.HistoryIds.TryGetValue(node, out var h) ? h
        : ci.Clone.Clone!.Unique ? rsc.Id : ci.BaseId;

    public static Outcome Execute(Cib.CibDocument cib, ScheduleResult result)
    {
        var root = new XElement(cib.Source);
        var ns = root.Name.Namespace;
        var status = root.Element(ns + "status");
        if (status is null) { status = new XElement(ns + "status"); root.Add(status); }
        int callId = root.Descendants(ns + "lrm_rsc_op").Select(o => int.TryParse((string?)o.Attribute("call-id"), out var c) ? c : 0).DefaultIfEmpty(0).Max();
        var lines = new List<string>();
        var nowSecs = result.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        XElement NodeState(WorkNode n)
        {
            var st = status.Elements(ns + "node_state").FirstOrDefault(e => (string?)e.Attribute("id") == n.Id)
                ?? status.Elements(ns + "node_state").FirstOrDefault(e => (string?)e.Attribute("uname") == n.Uname);
            if (st is null)
            {
                st = new XElement(ns + "node_state", new XAttribute("id", n.Id), new XAttribute("uname", n.Uname),
                    new XAttribute("in_ccm", "true"), new XAttribute("crmd", "online"), new XAttribute("join", "member"), new XAttribute("expected", "member"));
                status.Add(st);
            }
            return st;
        }

        void Record(Scheduler.ScheduledAction a, int rc)
        {
            var st = NodeState(a.Node!);
            var lrm = st.Element(ns + "lrm") ?? new XElement(ns + "lrm", new XAttribute("id", a.Node!.Id));
            if (lrm.Parent is null) st.Add(lrm);
            var lrs = lrm.Element(ns + "lrm_resources") ?? new XElement(ns + "lrm_resources");
            if (lrs.Parent is null) lrm.Add(lrs);
            var rsc = a.Resource!;
            var lrmId = HistoryId(rsc, a.Node!);
            var lr = lrs.Elements(ns + "lrm_resource").FirstOrDefault(e => (string?)e.Attribute("id") == lrmId);
            if (lr is null)
            {
                lr = new XElement(ns + "lrm_resource", new XAttribute("id", lrmId), new XAttribute("class", rsc.Primitive!.Class), new XAttribute("type", rsc.Primitive.Type));
                if (rsc.Primitive.Provider is not null) lr.Add(new XAttribute("provider", rsc.Primitive.Provider));
                lrs.Add(lr);
            }
            var id = a.IntervalMs > 0 ? $"{lrmId}_{a.Task}_{a.IntervalMs}" : $"{lrmId}_last_0";
            lr.Elements(ns + "lrm_rsc_op").Where(e => (string?)e.Attribute("id") == id).Remove();
            int target = a.IsProbe ? 7 : 0;
            lr.Add(new XElement(ns + "lrm_rsc_op",
                new XAttribute("id", id), new XAttribute("operation_key", $"{lrmId}_{a.Task}_{a.IntervalMs}"),
                new XAttribute("operation", a.Task), new XAttribute("crm-debug-origin", "crm_simulate"),
                new XAttribute("transition-key", $"{a.Id}:-1:{target}:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
                new XAttribute("call-id", ++callId), new XAttribute("rc-code", rc), new XAttribute("op-status", 0),
                new XAttribute("interval", a.IntervalMs), new XAttribute("last-rc-change", nowSecs)));
        }

        var exec = result.ExecutableActions.ToList();
        int Rank(Scheduler.ScheduledAction a) => a.Task switch
        {
            "monitor" when a.IntervalMs == 0 => 0,
            "stonith" => 1,
            // A promoted instance is demoted before it stops: its history must end with the stop.
            "demote" => 2,
            "stop" => 3,
            "start" => 4,
            _ => 5,
        };
        foreach (var a in exec.Where(a => a.Resource is not null && a.Task == "stop").Reverse())
            _ = a; // stops run in reverse dependency order; ordering below keeps creation order
        foreach (var a in exec.OrderBy(Rank).ThenBy(a => a.Task == "stop" ? -a.Id : a.Id))
        {
            if (a.Task == "stonith")
            {
                lines.Add($"Fencing {a.Node!.Uname} ({a.Detail})");
                var st = NodeState(a.Node!);
                st.SetAttributeValue("in_ccm", "false");
                st.SetAttributeValue("crmd", "offline");
                st.SetAttributeValue("join", "down");
                st.SetAttributeValue("expected", "down");
                st.Elements(ns + "lrm").Remove();
                st.Elements(ns + "transient_attributes").Remove();
                continue;
            }
            if (a.Resource is null) continue;
            if (a.Pseudo)
            {
                lines.Add($"Pseudo action:   {a.Resource.Id}_{a.Task}_{a.IntervalMs}");
                continue;
            }
            lines.Add(a.IntervalMs > 0
                ? $"Resource action: {a.Resource.Id,-15} {a.Task}={a.IntervalMs} on {a.Node!.Uname}"
                : $"Resource action: {a.Resource.Id,-15} {a.Task} on {a.Node!.Uname}");
            Record(a, a.IsProbe ? 7 : 0);
        }
        foreach (var (rsc, node) in result.ClearFailcounts)
        {
            lines.Add($"Cluster action:  clear_failcount for {rsc.Id} on {node.Uname}");
            var st = NodeState(node);
            foreach (var nv in st.Descendants(ns + "nvpair").Where(e => ((string?)e.Attribute("name") ?? "").StartsWith($"fail-count-{rsc.Id}", StringComparison.Ordinal)).ToList())
                nv.Remove();
        }
        return new Outcome(lines, root);
    }
}
