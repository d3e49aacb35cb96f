using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Graph;

/// <summary>Pacemaker's &lt;transition_graph&gt; XML: written for crm_simulate -G, read by the controller.</summary>
public static class TransitionGraphXml
{
    public static string Write(TransitionGraph graph)
    {
        var s = graph.Settings;
        var root = new XElement("transition_graph",
            new XAttribute("cluster-delay", s.ClusterDelay), new XAttribute("stonith-timeout", s.StonithTimeout),
            new XAttribute("failed-stop-offset", s.FailedStopOffset), new XAttribute("failed-start-offset", s.FailedStartOffset),
            new XAttribute("batch-limit", s.BatchLimit.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("transition_id", s.TransitionId.ToString(CultureInfo.InvariantCulture)));
        foreach (var syn in graph.Synapses)
        {
            var el = new XElement("synapse", new XAttribute("id", syn.Id));
            if (syn.Priority != 0) el.Add(new XAttribute("priority", syn.Priority));
            el.Add(new XElement("action_set", ActionElement(syn.Action, full: true)));
            var inputs = new XElement("inputs");
            foreach (var i in syn.Inputs) inputs.Add(new XElement("trigger", ActionElement(graph.Action(i), full: false)));
            el.Add(inputs);
            root.Add(el);
        }
        return root.ToString() + "\n";
    }

    private static string ElementName(GraphActionKind kind) => kind switch
    {
        GraphActionKind.RscOp => "rsc_op",
        GraphActionKind.PseudoEvent => "pseudo_event",
        _ => "crm_event",
    };

    private static XElement ActionElement(GraphAction a, bool full)
    {
        var el = new XElement(ElementName(a.Kind), new XAttribute("id", a.Id), new XAttribute("operation", a.Operation),
            new XAttribute("operation_key", a.OperationKey));
        if (a.InternalOperationKey is not null) el.Add(new XAttribute("internal_operation_key", a.InternalOperationKey));
        if (a.OnNode is not null) el.Add(new XAttribute("on_node", a.OnNode));
        if (a.OnNodeUuid is not null) el.Add(new XAttribute("on_node_uuid", a.OnNodeUuid));
        if (!full) return el;
        if (a.Resource is { } r)
        {
            var prim = new XElement("primitive", new XAttribute("id", r.Id));
            if (r.LongId is not null) prim.Add(new XAttribute("long-id", r.LongId));
            prim.Add(new XAttribute("class", r.Class));
            if (r.Provider is not null) prim.Add(new XAttribute("provider", r.Provider));
            prim.Add(new XAttribute("type", r.Type));
            el.Add(prim);
        }
        el.Add(new XElement("attributes", a.Attributes.Select(kv => new XAttribute(kv.Key, kv.Value))));
        if (a.Downed.Count > 0) el.Add(new XElement("downed", a.Downed.Select(n => new XElement("node", new XAttribute("id", n)))));
        return el;
    }

    /// <summary>Reads a graph; a malformed one raises <see cref="GraphFormatException"/> naming the line.</summary>
    public static TransitionGraph Parse(string text, string source = "graph")
    {
        XDocument doc;
        try { doc = XDocument.Parse(text, LoadOptions.SetLineInfo); }
        catch (XmlException e) { throw new GraphFormatException($"{source}:{e.LineNumber}: not well-formed XML: {e.Message}"); }
        var root = doc.Root!;
        if (root.Name.LocalName != "transition_graph")
            throw new GraphFormatException($"{source}:{Line(root)}: root element is <{root.Name.LocalName}>, not <transition_graph>");
        var settings = new GraphSettings(
            (string?)root.Attribute("cluster-delay") ?? "60s", (string?)root.Attribute("stonith-timeout") ?? "60s",
            (string?)root.Attribute("failed-stop-offset") ?? "INFINITY", (string?)root.Attribute("failed-start-offset") ?? "INFINITY",
            Int(root, "batch-limit", source, 0), Int(root, "transition_id", source, 0));
        var synapses = new List<Synapse>();
        foreach (var syn in root.Elements("synapse"))
        {
            var set = syn.Element("action_set")?.Elements().ToList() ?? [];
            if (set.Count != 1)
                throw new GraphFormatException($"{source}:{Line(syn)}: synapse holds {set.Count} actions, expected exactly one");
            var action = ReadAction(set[0], source);
            var inputs = new List<int>();
            foreach (var trig in syn.Element("inputs")?.Elements("trigger") ?? [])
                foreach (var a in trig.Elements())
                    inputs.Add(Int(a, "id", source, null));
            synapses.Add(new Synapse(Int(syn, "id", source, null), Int(syn, "priority", source, 0), action, inputs));
        }
        try { return new TransitionGraph(settings, synapses); }
        catch (ArgumentException e) { throw new GraphFormatException($"{source}: {e.Message}"); }
    }

    private static GraphAction ReadAction(XElement el, string source)
    {
        var kind = el.Name.LocalName switch
        {
            "rsc_op" => GraphActionKind.RscOp,
            "pseudo_event" => GraphActionKind.PseudoEvent,
            "crm_event" => GraphActionKind.CrmEvent,
            var other => throw new GraphFormatException($"{source}:{Line(el)}: unknown action element <{other}>"),
        };
        var op = (string?)el.Attribute("operation") ?? throw new GraphFormatException($"{source}:{Line(el)}: <{el.Name.LocalName}> lacks 'operation'");
        var key = (string?)el.Attribute("operation_key") ?? op;
        GraphResource? rsc = null;
        if (el.Element("primitive") is { } p)
            rsc = new GraphResource((string?)p.Attribute("id") ?? throw new GraphFormatException($"{source}:{Line(p)}: <primitive> lacks 'id'"),
                (string?)p.Attribute("class") ?? "", (string?)p.Attribute("provider"), (string?)p.Attribute("type") ?? "", (string?)p.Attribute("long-id"));
        // A node-wide request (probe_again) is an rsc_op of no resource.
        if (kind == GraphActionKind.RscOp && rsc is null && ActionTasks.Parse(op) != ActionTask.ProbeAgain)
            throw new GraphFormatException($"{source}:{Line(el)}: rsc_op {key} has no <primitive>");
        var attrs = el.Element("attributes")?.Attributes().Select(a => new KeyValuePair<string, string>(a.Name.LocalName, a.Value)).ToList() ?? [];
        var downed = el.Element("downed")?.Elements("node").Select(n => (string?)n.Attribute("id") ?? "").ToList() ?? [];
        return new GraphAction(Int(el, "id", source, null), kind, ActionTasks.Parse(op), op, key,
            (string?)el.Attribute("on_node"), (string?)el.Attribute("on_node_uuid"), rsc, attrs, downed,
            (string?)el.Attribute("internal_operation_key"));
    }

    private static int Line(XElement e) => ((IXmlLineInfo)e).LineNumber;

    private static int Int(XElement e, string name, string source, int? fallback)
    {
        var v = (string?)e.Attribute(name);
        if (v is null)
            return fallback ?? throw new GraphFormatException($"{source}:{Line(e)}: <{e.Name.LocalName}> lacks '{name}'");
        if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        if (v is "INFINITY" or "+INFINITY") return 1_000_000;
        if (v == "-INFINITY") return -1_000_000;
        throw new GraphFormatException($"{source}:{Line(e)}: <{e.Name.LocalName}> {name}=\"{v}\" is not an integer");
    }
}

/// <summary>A transition graph that cannot be read; the message names the source and line.</summary>
public sealed class GraphFormatException(string message) : Exception(message);
