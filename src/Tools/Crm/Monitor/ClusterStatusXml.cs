using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.Scheduler;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>crm_mon --output-as=xml: the summary, nodes and resources elements of Pacemaker 2.1.5's result (api 2.25).</summary>
public static class ClusterStatusXml
{
    private static string B(bool v) => v ? "true" : "false";

    public static string Format(CibDocument cib, ScheduleResult r, string request, DateTimeOffset now)
    {
        string? Prop(string n) => cib.ClusterProperties.SelectMany(s => s.Pairs).FirstOrDefault(p => p.Name == n)?.Value;
        var dcId = cib.RootAttributes.GetValueOrDefault("dc-uuid");
        var dc = dcId is null ? null : r.Nodes.FirstOrDefault(n => n.Id == dcId);
        var summary = new XElement("summary",
            new XElement("stack", new XAttribute("type", Prop("cluster-infrastructure") ?? "unknown")),
            dc is null ? new XElement("current_dc", new XAttribute("present", "false"))
                : new XElement("current_dc", new XAttribute("present", "true"), new XAttribute("version", Prop("dc-version") ?? "unknown"),
                    new XAttribute("name", dc.Uname), new XAttribute("id", dc.Id), new XAttribute("with_quorum", B(cib.HaveQuorum == true)),
                    new XAttribute("mixed_version", "false")),
            new XElement("last_update", new XAttribute("time", ClusterStatusFormatter.CTime(now.ToLocalTime()))),
            new XElement("last_change", new XAttribute("time", cib.RootAttributes.GetValueOrDefault("cib-last-written") ?? ""),
                new XAttribute("user", cib.RootAttributes.GetValueOrDefault("update-user") ?? ""),
                new XAttribute("client", cib.RootAttributes.GetValueOrDefault("update-client") ?? ""),
                new XAttribute("origin", cib.RootAttributes.GetValueOrDefault("update-origin") ?? "")),
            new XElement("nodes_configured", new XAttribute("number", r.Nodes.Count)),
            new XElement("resources_configured", new XAttribute("number", r.Primitives.Count(p => !p.Orphan)),
                new XAttribute("disabled", r.Primitives.Count(p => !p.Orphan && p.TargetRole == Role.Stopped)),
                new XAttribute("blocked", r.Primitives.Count(p => p.Blocked))));
        var nodes = new XElement("nodes", r.Nodes.Select(n => new XElement("node",
            new XAttribute("name", n.Uname), new XAttribute("id", n.Id), new XAttribute("online", B(n.Online)),
            new XAttribute("standby", B(n.Standby)), new XAttribute("standby_onfail", B(n.StandbyOnFail)),
            new XAttribute("maintenance", B(n.Maintenance)), new XAttribute("pending", B(n.Pending)), new XAttribute("unclean", B(n.Unclean)),
            new XAttribute("shutdown", B(n.Shutdown)), new XAttribute("expected_up", B(n.ExpectedUp)), new XAttribute("is_dc", B(n == dc)),
            new XAttribute("resources_running", r.Primitives.Count(p => p.RunningOn.Contains(n))), new XAttribute("type", "member"))));
        var resources = new XElement("resources");
        foreach (var res in r.ResourcesByPriority)
        {
            if (res.IsGroup)
                resources.Add(new XElement("group", new XAttribute("id", res.Id), new XAttribute("number_resources", res.Children.Count),
                    new XAttribute("managed", B(res.Managed)), new XAttribute("disabled", B(res.TargetRole == Role.Stopped)),
                    res.Children.Select(Primitive)));
            else if (res.IsClone)
                resources.Add(new XElement("clone", new XAttribute("id", res.Id), new XAttribute("multi_state", B(res.Clone!.Promotable)),
                    new XAttribute("unique", B(res.Clone.Unique)), new XAttribute("managed", B(res.Managed)),
                    new XAttribute("disabled", B(res.TargetRole == Role.Stopped)),
                    res.Children.SelectMany(i => i.IsGroup ? i.Children : [i]).Select(Primitive)));
            else resources.Add(Primitive(res));
        }
        var root = new XElement("pacemaker-result", new XAttribute("api-version", "2.25"), new XAttribute("request", request),
            summary, nodes, resources, new XElement("status", new XAttribute("code", "0"), new XAttribute("message", "OK")));
        return root.ToString() + "\n";
    }

    private static XElement Primitive(WorkResource p)
    {
        var e = Element(p);
        if (p.TargetRole == Role.Unknown) return e;
        // target_role comes right after role in crm_mon's element.
        var attrs = e.Attributes().ToList();
        var at = attrs.FindIndex(a => a.Name == "role") + 1;
        attrs.Insert(at, new XAttribute("target_role", p.TargetRole.ToString()));
        e.ReplaceAttributes(attrs);
        return e;
    }

    private static XElement Element(WorkResource p) => new("resource",
        new XAttribute("id", p.Id),
        new XAttribute("resource_agent", p.Primitive!.Agent),
        new XAttribute("role", p.Pending.ReplacesRole() ? p.Pending.ToString() : p.Active ? p.CurrentRole.ToString() : "Stopped"),
        new XAttribute("active", B(p.Active)), new XAttribute("orphaned", B(p.Orphan)), new XAttribute("blocked", B(p.Blocked)),
        new XAttribute("managed", B(p.Managed)), new XAttribute("failed", B(p.Failed)), new XAttribute("failure_ignored", B(p.FailureIgnored)),
        new XAttribute("nodes_running_on", p.RunningOn.Count),
        p.Pending == PendingTask.Monitoring ? new XAttribute("pending", "Monitoring") : null,
        p.RunningOn.Select(n => new XElement("node", new XAttribute("name", n.Uname), new XAttribute("id", n.Id), new XAttribute("cached", "true"))));
}
