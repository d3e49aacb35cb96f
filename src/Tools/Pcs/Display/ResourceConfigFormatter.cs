using System.Xml.Linq;

namespace Cluster.Tools.Pcs.Display;

/// <summary>
/// <c>pcs resource config</c> / <c>pcs stonith config</c> / the Resources block of <c>pcs config</c>:
/// nvpairs sorted by name (values with spaces quoted), operations sorted by name then interval.
/// </summary>
public static class ResourceConfigFormatter
{
    public static void Write(TextWriter o, XElement resource, string indent)
    {
        switch (resource.Name.LocalName)
        {
            case "primitive":
                var cls = (string?)resource.Attribute("class");
                var provider = (string?)resource.Attribute("provider");
                o.WriteLine($"{indent}Resource: {(string?)resource.Attribute("id")} (class={cls}{(provider is null ? "" : $" provider={provider}")} type={(string?)resource.Attribute("type")})");
                Sets(o, resource, "instance_attributes", "Attributes", indent + "  ");
                Sets(o, resource, "meta_attributes", "Meta Attributes", indent + "  ");
                Sets(o, resource, "utilization", "Utilization", indent + "  ");
                Operations(o, resource, indent + "  ");
                break;
            case "group":
                o.WriteLine($"{indent}Group: {(string?)resource.Attribute("id")}");
                Sets(o, resource, "meta_attributes", "Meta Attributes", indent + "  ");
                foreach (var p in resource.Elements("primitive")) Write(o, p, indent + "  ");
                break;
            case "clone" or "master":
                o.WriteLine($"{indent}Clone: {(string?)resource.Attribute("id")}");
                Sets(o, resource, "meta_attributes", "Meta Attributes", indent + "  ");
                foreach (var c in resource.Elements().Where(e => e.Name.LocalName is "primitive" or "group")) Write(o, c, indent + "  ");
                break;
        }
    }

    private static void Sets(TextWriter o, XElement owner, string element, string label, string indent)
    {
        // An emptied set (all its pairs removed) is not shown.
        foreach (var set in owner.Elements(element).Where(s => s.Elements("nvpair").Any()))
        {
            o.WriteLine($"{indent}{label}: {(string?)set.Attribute("id")}");
            foreach (var p in set.Elements("nvpair").OrderBy(p => (string?)p.Attribute("name"), StringComparer.Ordinal))
                o.WriteLine($"{indent}  {(string?)p.Attribute("name")}={Quote((string?)p.Attribute("value") ?? "")}");
        }
    }

    /// <summary>pcs's quoting of a name or value: only when it holds '=' or a space, in double quotes unless it holds one.</summary>
    public static string Quote(string value)
    {
        if (value.IndexOfAny(['=', ' ']) < 0) return value;
        if (!value.Contains('"')) return $"\"{value}\"";
        if (!value.Contains('\'')) return $"'{value}'";
        return $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
    }

    private static void Operations(TextWriter o, XElement primitive, string indent)
    {
        var ops = primitive.Element("operations")?.Elements("op").ToList() ?? [];
        if (ops.Count == 0) return;
        o.WriteLine($"{indent}Operations:");
        // Document order (pcs writes them sorted by name, later additions go last).
        foreach (var op in ops)
        {
            o.WriteLine($"{indent}  {(string?)op.Attribute("name")}: {(string?)op.Attribute("id")}");
            foreach (var (name, value) in OperationPairs(op))
                o.WriteLine($"{indent}    {Quote(name)}={Quote(value)}");
        }
    }

    /// <summary>
    /// What pcs shows of an operation, in its fixed order: interval, start-delay (or else
    /// interval-origin), timeout, enabled and record-pending as 1/0, role (Master and Slave by
    /// today's names), on-fail, OCF_CHECK_LEVEL. Other attributes (description) are not shown.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> OperationPairs(XElement op)
    {
        string? Get(string name) => (string?)op.Attribute(name) is { Length: > 0 } v ? v : null;
        static string Flag(string value) => value.ToLowerInvariant() is "true" or "on" or "yes" or "y" or "1" ? "1" : "0";
        yield return ("interval", (string?)op.Attribute("interval") ?? "0s");
        if (Get("start-delay") is { } delay) yield return ("start-delay", delay);
        else if (Get("interval-origin") is { } origin) yield return ("interval-origin", origin);
        if (Get("timeout") is { } timeout) yield return ("timeout", timeout);
        if (op.Attribute("enabled") is { } enabled) yield return ("enabled", Flag(enabled.Value));
        if (op.Attribute("record-pending") is { } pending) yield return ("record-pending", Flag(pending.Value));
        if (Get("role") is { } role) yield return ("role", role switch { "Master" => "Promoted", "Slave" => "Unpromoted", _ => role });
        if (Get("on-fail") is { } onFail) yield return ("on-fail", onFail);
        if (op.Elements("instance_attributes").Elements("nvpair").FirstOrDefault(n => (string?)n.Attribute("name") == "OCF_CHECK_LEVEL") is { } level
            && (string?)level.Attribute("value") is { Length: > 0 } levelValue)
            yield return ("OCF_CHECK_LEVEL", levelValue);
    }
}
