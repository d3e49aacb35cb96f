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

    public static string Quote(string value) => value.Contains(' ') ? $"\"{value}\"" : value;

    private static void Operations(TextWriter o, XElement primitive, string indent)
    {
        var ops = primitive.Element("operations")?.Elements("op").ToList() ?? [];
        if (ops.Count == 0) return;
        o.WriteLine($"{indent}Operations:");
        // Document order (pcs writes them sorted by name, later additions go last).
        foreach (var op in ops)
        {
            o.WriteLine($"{indent}  {(string?)op.Attribute("name")}: {(string?)op.Attribute("id")}");
            o.WriteLine($"{indent}    interval={(string?)op.Attribute("interval") ?? "0s"}");
            foreach (var a in op.Attributes().Where(a => a.Name.LocalName is not ("id" or "name" or "interval"))
                         .OrderBy(a => a.Name.LocalName, StringComparer.Ordinal))
                o.WriteLine($"{indent}    {a.Name.LocalName}={Quote(a.Value)}");
        }
    }
}
