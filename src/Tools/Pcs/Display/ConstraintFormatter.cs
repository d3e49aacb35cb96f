using System.Xml.Linq;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Display;

/// <summary>
/// <c>pcs constraint [config]</c> as pcs 0.11.5 prints it: locations grouped by resource (sorted),
/// orders and colocations in document order; <c>--full</c> adds " (id:...)".
/// </summary>
public static class ConstraintFormatter
{
    public static void Write(TextWriter o, PcsCib cib, bool full, string indent)
    {
        WriteLocations(o, cib, full, indent);
        WriteOrders(o, cib, full, indent);
        WriteColocations(o, cib, full, indent);
        o.WriteLine($"{indent}Ticket Constraints:");
    }

    private static string Id(XElement e, bool full) => full ? $" (id:{(string?)e.Attribute("id")})" : "";

    public static void WriteLocations(TextWriter o, PcsCib cib, bool full, string indent)
    {
        o.WriteLine($"{indent}Location Constraints:");
        var byResource = cib.Constraints.Where(c => c.Name.LocalName == "rsc_location")
            .GroupBy(c => (string?)c.Attribute("rsc") ?? ((string?)c.Attribute("rsc-pattern") is { } p ? $"{p} (pattern)" : "(set)"))
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byResource)
        {
            o.WriteLine($"{indent}  Resource: {group.Key}");
            var plain = group.Where(c => c.Attribute("node") is not null).ToList();
            var enabled = plain.Where(c => !((string?)c.Attribute("score") ?? "").StartsWith('-')).ToList();
            var disabled = plain.Except(enabled).ToList();
            if (enabled.Count > 0)
            {
                o.WriteLine($"{indent}    Enabled on:");
                foreach (var c in enabled) o.WriteLine($"{indent}      {NodeLine(c, full)}");
            }
            if (disabled.Count > 0)
            {
                o.WriteLine($"{indent}    Disabled on:");
                foreach (var c in disabled) o.WriteLine($"{indent}      {NodeLine(c, full)}");
            }
            foreach (var c in group.Where(c => c.Element("rule") is not null))
            {
                o.WriteLine($"{indent}    Constraint{(c.Attribute("role") is { } r ? $" (role:{r.Value})" : "")}: {(string?)c.Attribute("id")}");
                foreach (var rule in c.Elements("rule")) WriteRule(o, rule, full, indent + "      ");
            }
        }
    }

    private static string NodeLine(XElement c, bool full)
    {
        var line = $"Node: {(string?)c.Attribute("node")} (score:{(string?)c.Attribute("score")})";
        if ((string?)c.Attribute("role") is { } role) line += $" (role:{role})";
        if ((string?)c.Attribute("resource-discovery") is { } rd) line += $" (resource-discovery={rd})";
        return line + Id(c, full);
    }

    private static void WriteRule(TextWriter o, XElement rule, bool full, string indent)
    {
        var head = "Rule:";
        foreach (var a in new[] { "boolean-op", "role", "score", "score-attribute" })
            if ((string?)rule.Attribute(a) is { } v) head += $" {a}={v}";
        o.WriteLine($"{indent}{head}{Id(rule, full)}");
        foreach (var e in rule.Elements())
        {
            if (e.Name.LocalName == "rule") { WriteRule(o, e, full, indent + "  "); continue; }
            var text = e.Name.LocalName == "expression"
                ? $"{(string?)e.Attribute("attribute")} {(string?)e.Attribute("operation")}{((string?)e.Attribute("value") is { } v ? " " + v : "")}"
                : $"date {(string?)e.Attribute("operation")}";
            o.WriteLine($"{indent}  Expression: {text}{Id(e, full)}");
        }
    }

    public static void WriteOrders(TextWriter o, PcsCib cib, bool full, string indent)
    {
        o.WriteLine($"{indent}Ordering Constraints:");
        foreach (var c in cib.Constraints.Where(c => c.Name.LocalName == "rsc_order"))
        {
            if (c.Element("resource_set") is not null) { WriteSets(o, c, full, indent); continue; }
            o.WriteLine($"{indent}  {OrderLine(c, full)}");
        }
    }

    public static string OrderLine(XElement c, bool full)
    {
        var line = $"{(string?)c.Attribute("first-action") ?? "start"} {(string?)c.Attribute("first")} then {(string?)c.Attribute("then-action") ?? "start"} {(string?)c.Attribute("then")}";
        line += (string?)c.Attribute("score") is { } score && c.Attribute("kind") is null ? $" (score:{score})" : $" (kind:{(string?)c.Attribute("kind") ?? "Mandatory"})";
        if ((string?)c.Attribute("symmetrical") is "false" or "0" or "no") line += " (non-symmetrical)";
        if ((string?)c.Attribute("require-all") is { } ra) line += $" (Options: require-all={ra})";
        return line + Id(c, full);
    }

    public static void WriteColocations(TextWriter o, PcsCib cib, bool full, string indent)
    {
        o.WriteLine($"{indent}Colocation Constraints:");
        foreach (var c in cib.Constraints.Where(c => c.Name.LocalName == "rsc_colocation"))
        {
            if (c.Element("resource_set") is not null) { WriteSets(o, c, full, indent); continue; }
            o.WriteLine($"{indent}  {ColocationLine(c, full)}");
        }
    }

    public static string ColocationLine(XElement c, bool full)
    {
        var line = $"{(string?)c.Attribute("rsc")} with {(string?)c.Attribute("with-rsc")} (score:{(string?)c.Attribute("score") ?? "INFINITY"})";
        if ((string?)c.Attribute("rsc-role") is { } r) line += $" (rsc-role:{r})";
        if ((string?)c.Attribute("with-rsc-role") is { } w) line += $" (with-rsc-role:{w})";
        if ((string?)c.Attribute("node-attribute") is { } na) line += $" (node-attribute:{na})";
        return line + Id(c, full);
    }

    private static void WriteSets(TextWriter o, XElement c, bool full, string indent)
    {
        o.WriteLine($"{indent}  Resource Sets:");
        foreach (var s in c.Elements("resource_set"))
        {
            var opts = s.Attributes().Where(a => a.Name.LocalName != "id").Select(a => $"{a.Name.LocalName}={a.Value}").ToList();
            o.WriteLine($"{indent}    set {string.Join(' ', s.Elements("resource_ref").Select(r => (string?)r.Attribute("id")))}"
                        + (opts.Count > 0 ? $" {string.Join(' ', opts)}" : "") + Id(s, full));
        }
        var setOpts = c.Attributes().Where(a => a.Name.LocalName != "id").Select(a => $"{a.Name.LocalName}={a.Value}").ToList();
        if (setOpts.Count > 0) o.WriteLine($"{indent}    Setoptions: {string.Join(' ', setOpts)}");
        if (full) o.WriteLine($"{indent}    (id:{(string?)c.Attribute("id")})");
    }
}
