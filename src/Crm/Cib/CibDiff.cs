using System.Globalization;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>One change: the element at <c>Path</c> is replaced by <c>Content</c> (null = removed).</summary>
/// <param name="Path">"configuration/&lt;section&gt;" or "status/node_state[@id='…']".</param>
public sealed record CibChange(string Path, XElement? Content);

/// <summary>
/// The difference between two CIB versions, coarse-grained (a configuration section or a
/// node_state is the unit), so a peer holding exactly <see cref="From"/> can reach <see cref="To"/>.
/// </summary>
public sealed record CibDiff(CibVersion From, CibVersion To, IReadOnlyList<CibChange> Changes)
{
    private static readonly string[] Sections = ["crm_config", "nodes", "resources", "constraints", "rsc_defaults", "op_defaults", "fencing-topology", "tags", "acls", "alerts"];

    public static CibDiff Create(CibDocument from, CibDocument to)
    {
        var changes = new List<CibChange>();
        var ns = to.Source.Name.Namespace;
        var fc = from.Source.Element(from.Source.Name.Namespace + "configuration");
        var tc = to.Source.Element(ns + "configuration");
        foreach (var name in Sections)
        {
            var a = fc?.Element(fc.Name.Namespace + name);
            var b = tc?.Element(ns + name);
            if (a is null && b is null) continue;
            if (a is null || b is null || !XNode.DeepEquals(a, b))
                changes.Add(new CibChange($"configuration/{name}", b is null ? null : new XElement(b)));
        }
        var fs = (from.Source.Element(from.Source.Name.Namespace + "status")?.Elements() ?? []).Where(e => e.Name.LocalName == "node_state")
            .ToDictionary(e => (string?)e.Attribute("id") ?? "", StringComparer.Ordinal);
        var ts = (to.Source.Element(ns + "status")?.Elements() ?? []).Where(e => e.Name.LocalName == "node_state").ToList();
        foreach (var b in ts)
        {
            var id = (string?)b.Attribute("id") ?? "";
            if (!fs.Remove(id, out var a) || !XNode.DeepEquals(a, b))
                changes.Add(new CibChange($"status/node_state[@id='{id}']", new XElement(b)));
        }
        foreach (var id in fs.Keys) changes.Add(new CibChange($"status/node_state[@id='{id}']", null));
        return new CibDiff(from.Version, to.Version, changes);
    }

    /// <summary>Applies the diff; the base must be exactly <see cref="From"/>.</summary>
    public CibDocument Apply(CibDocument cib)
    {
        if (cib.Version != From)
            throw new CibParseException($"patch applies to version {From} but the CIB is at {cib.Version}");
        var root = new XElement(cib.Source);
        var ns = root.Name.Namespace;
        foreach (var change in Changes)
        {
            if (change.Path.StartsWith("configuration/", StringComparison.Ordinal))
            {
                var config = root.Element(ns + "configuration") ?? AddChild(root, ns + "configuration");
                var name = change.Path["configuration/".Length..];
                var existing = config.Element(ns + name);
                if (change.Content is null) existing?.Remove();
                else if (existing is not null) existing.ReplaceWith(new XElement(change.Content));
                else config.Add(new XElement(change.Content));
            }
            else if (change.Path.StartsWith("status/node_state[@id='", StringComparison.Ordinal))
            {
                var id = change.Path["status/node_state[@id='".Length..^2];
                var status = root.Element(ns + "status") ?? AddChild(root, ns + "status");
                var existing = status.Elements(ns + "node_state").FirstOrDefault(e => (string?)e.Attribute("id") == id);
                if (change.Content is null) existing?.Remove();
                else if (existing is not null) existing.ReplaceWith(new XElement(change.Content));
                else status.Add(new XElement(change.Content));
            }
            else throw new CibParseException($"unknown patch path '{change.Path}'");
        }
        root.SetAttributeValue("admin_epoch", To.AdminEpoch.ToString(CultureInfo.InvariantCulture));
        root.SetAttributeValue("epoch", To.Epoch.ToString(CultureInfo.InvariantCulture));
        root.SetAttributeValue("num_updates", To.NumUpdates.ToString(CultureInfo.InvariantCulture));
        return CibDocument.FromElement(root);
    }

    private static XElement AddChild(XElement parent, XName name)
    {
        var e = new XElement(name);
        parent.Add(e);
        return e;
    }

    /// <summary>Wire form: &lt;cib-diff from="a.e.n" to="a.e.n"&gt;&lt;change path&gt;content&lt;/change&gt;…</summary>
    public XElement ToXml() => new("cib-diff", new XAttribute("from", From.ToString()), new XAttribute("to", To.ToString()),
        Changes.Select(c => new XElement("change", new XAttribute("path", c.Path), c.Content is null ? null : new XElement(c.Content))));

    public static CibDiff FromXml(XElement e)
    {
        static CibVersion V(string? s)
        {
            var p = (s ?? "").Split('.');
            if (p.Length != 3 || !long.TryParse(p[0], out var a) || !long.TryParse(p[1], out var b) || !long.TryParse(p[2], out var c))
                throw new CibParseException($"<cib-diff>: invalid version '{s}'");
            return new CibVersion(a, b, c);
        }
        return new CibDiff(V((string?)e.Attribute("from")), V((string?)e.Attribute("to")),
            [.. e.Elements("change").Select(c => new CibChange((string?)c.Attribute("path") ?? "", c.Elements().FirstOrDefault() is { } x ? new XElement(x) : null))]);
    }
}
