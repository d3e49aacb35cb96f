using System.Xml.Linq;
using Cluster.Agents;
using Cluster.Agents.Metadata;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>
/// Builds the &lt;primitive&gt; pcs writes for "resource create" / "stonith create": attribute
/// order id, class, type, provider; sorted instance nvpairs; meta; user operations then the
/// agent's default operations; ids as pcs makes them (WebIP-monitor-interval-30s).
/// </summary>
public static class PrimitiveBuilder
{
    /// <summary>Actions pcs never turns into operations.</summary>
    private static readonly HashSet<string> NotOperations = ["meta-data", "metadata", "validate-all", "status"];

    public static XElement Build(PcsCib cib, string id, AgentId agent, ResourceSpec spec, AgentMetadata? metadata, bool stonith,
        bool noDefaultOps, bool disabled)
    {
        var reserved = new HashSet<string>(StringComparer.Ordinal) { id };
        var primitive = new XElement("primitive", new XAttribute("id", id), new XAttribute("class", agent.Standard.Name()),
            new XAttribute("type", agent.Type));
        if (agent.Provider is not null) primitive.Add(new XAttribute("provider", agent.Provider));
        if (spec.Instance.Count > 0)
        {
            var setId = Reserve(cib, $"{id}-instance_attributes", reserved);
            var set = new XElement("instance_attributes", new XAttribute("id", setId));
            foreach (var (name, value) in spec.Instance.OrderBy(p => p.Name, StringComparer.Ordinal))
                set.Add(Pair(cib, setId, name, value, reserved));
            primitive.Add(set);
        }
        var meta = spec.Meta.ToList();
        // pcs disables the resource once created: a target-role given in meta becomes Stopped.
        if (disabled && meta.FindIndex(m => m.Name == "target-role") is var at and >= 0) meta[at] = ("target-role", "Stopped");
        else if (disabled) meta.Add(("target-role", "Stopped"));
        if (meta.Count > 0)
        {
            var setId = Reserve(cib, $"{id}-meta_attributes", reserved);
            var set = new XElement("meta_attributes", new XAttribute("id", setId));
            foreach (var (name, value) in meta)
                set.Add(Pair(cib, setId, name, value, reserved));
            // pcs 0.11.5 disables a new resource after creating it: with no meta attributes of
            // the user's, the set holding target-role comes first.
            if (spec.Meta.Count == 0) primitive.AddFirst(set);
            else primitive.Add(set);
        }
        var ops = new XElement("operations");
        foreach (var op in spec.Operations)
        {
            var interval = op.Get("interval") ?? (op.Name == "monitor" ? "60s" : "0s");
            // The user's options in the order given, then the interval pcs supplies, then the id.
            var element = new XElement("op", new XAttribute("name", op.Name));
            foreach (var (k, v) in op.Options.Where(o => o.Name is not "id"))
                element.Add(new XAttribute(k, v));
            if (op.Get("interval") is null) element.Add(new XAttribute("interval", interval));
            element.Add(new XAttribute("id", op.Get("id") ?? Reserve(cib, $"{id}-{op.Name}-interval-{interval}", reserved)));
            ops.Add(element);
        }
        foreach (var (name, interval, timeout, role) in DefaultOperations(metadata, stonith, noDefaultOps))
        {
            if (spec.Operations.Any(o => o.Name == name)) continue;
            var element = new XElement("op", new XAttribute("name", name), new XAttribute("interval", interval));
            if (timeout is not null) element.Add(new XAttribute("timeout", timeout));
            if (role is not null) element.Add(new XAttribute("role", role));
            element.Add(new XAttribute("id", Reserve(cib, $"{id}-{name}-interval-{interval}", reserved)));
            ops.Add(element);
        }
        // pcs lists the operations by name (the user's and the agent's defaults together).
        var sorted = ops.Elements().OrderBy(o => (string?)o.Attribute("name"), StringComparer.Ordinal).ToList();
        ops.ReplaceNodes(sorted);
        if (ops.HasElements) primitive.Add(ops);
        return primitive;
    }

    /// <summary>The operations pcs adds from the agent's metadata when the user did not give them.</summary>
    public static IEnumerable<(string Name, string Interval, string? Timeout, string? Role)> DefaultOperations(AgentMetadata? metadata, bool stonith, bool noDefaultOps)
    {
        if (stonith || metadata is null)
        {
            yield return ("monitor", "60s", null, null);
            yield break;
        }
        var seen = new HashSet<(string, string?)>();
        foreach (var action in metadata.Actions)
        {
            if (NotOperations.Contains(action.Name) || !seen.Add((action.Name, action.Role))) continue;
            if (noDefaultOps && action.Name != "monitor") continue;
            var interval = action.Name == "monitor" ? action.IntervalText ?? "60s" : "0s";
            yield return (action.Name, interval, action.TimeoutText, action.Role);
        }
    }

    public static XElement Pair(PcsCib cib, string setId, string name, string value, ISet<string> reserved) =>
        new("nvpair", new XAttribute("id", Reserve(cib, $"{setId}-{name}", reserved)), new XAttribute("name", name), new XAttribute("value", value));

    /// <summary>A unique id that also avoids ids handed out earlier in the same (not yet attached) element.</summary>
    public static string Reserve(PcsCib cib, string candidate, ISet<string> reserved)
    {
        var id = cib.UniqueId(candidate, reserved);
        reserved.Add(id);
        return id;
    }
}
