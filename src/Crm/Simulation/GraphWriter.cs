using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>Serialises a transition graph: the XML the controller executes, or DOT for people.</summary>
public static class GraphWriter
{
    private static string Key(Scheduler.Action a) => a.Task == "stonith"
        ? $"stonith-{a.Node!.Uname}-{a.Detail}" : $"{a.Resource!.Id}_{a.Task}_{a.IntervalMs}";

    private static XElement ActionElement(Scheduler.Action a)
    {
        if (a.Task == "stonith")
            return new XElement("crm_event", new XAttribute("id", a.Id), new XAttribute("operation", "stonith"),
                new XAttribute("operation_key", Key(a)), new XAttribute("on_node", a.Node!.Uname), new XAttribute("on_node_uuid", a.Node.Id));
        if (a.Pseudo)
            return new XElement("pseudo_event", new XAttribute("id", a.Id), new XAttribute("operation", a.Task), new XAttribute("operation_key", Key(a)));
        var p = a.Resource!.Primitive!;
        var prim = new XElement("primitive", new XAttribute("id", a.Resource.Id), new XAttribute("class", p.Class));
        if (p.Provider is not null) prim.Add(new XAttribute("provider", p.Provider));
        prim.Add(new XAttribute("type", p.Type));
        var attrs = new XElement("attributes", new XAttribute("CRM_meta_on_node", a.Node!.Uname), new XAttribute("CRM_meta_on_node_uuid", a.Node.Id));
        if (a.IsProbe) attrs.Add(new XAttribute("CRM_meta_op_target_rc", "7"));
        return new XElement("rsc_op", new XAttribute("id", a.Id), new XAttribute("operation", a.Task), new XAttribute("operation_key", Key(a)),
            new XAttribute("on_node", a.Node.Uname), new XAttribute("on_node_uuid", a.Node.Id), prim, attrs);
    }

    public static string ToXml(ScheduleResult r)
    {
        var exec = r.ExecutableActions.ToHashSet();
        var graph = new XElement("transition_graph", new XAttribute("cluster-delay", "60s"), new XAttribute("stonith-timeout", "60s"),
            new XAttribute("failed-stop-offset", "INFINITY"), new XAttribute("failed-start-offset", "INFINITY"),
            new XAttribute("batch-limit", "0"), new XAttribute("transition_id", "0"));
        var inputs = r.Orders.Where(o => exec.Contains(o.First) && exec.Contains(o.Then)).ToLookup(o => o.Then, o => o.First);
        int synapse = 0;
        foreach (var a in exec)
        {
            var s = new XElement("synapse", new XAttribute("id", synapse++), new XElement("action_set", ActionElement(a)));
            var ins = new XElement("inputs");
            foreach (var f in inputs[a].Distinct()) ins.Add(new XElement("trigger", ActionElement(f)));
            s.Add(ins);
            graph.Add(s);
        }
        return graph.ToString() + "\n";
    }

    public static string ToDot(ScheduleResult r)
    {
        var exec = r.ExecutableActions.ToHashSet();
        string Name(Scheduler.Action a) => a.Node is null || a.Pseudo ? Key(a) : $"{Key(a)} {a.Node.Uname}";
        var sb = new StringBuilder(" digraph \"g\" {\n");
        foreach (var o in r.Orders.Where(o => exec.Contains(o.First) && exec.Contains(o.Then)).Distinct())
            sb.Append($"\"{Name(o.First)}\" -> \"{Name(o.Then)}\" [ style = bold]\n");
        foreach (var a in exec)
            sb.Append($"\"{Name(a)}\" [ style=bold color=\"green\" fontcolor=\"{(a.Pseudo ? "orange" : "black")}\"]\n");
        sb.Append("}\n");
        return sb.ToString();
    }
}
