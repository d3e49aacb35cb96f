using System.Xml.Linq;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs resource clone|promotable|unclone</c>: wrapping a primitive or group in a &lt;clone&gt;.</summary>
public static class CloneCommands
{
    /// <summary>The &lt;clone&gt; pcs writes around <paramref name="child"/> (meta promotable=true for promotable).</summary>
    internal static XElement Wrap(PcsCib cib, XElement child, string cloneId, bool promotable, IEnumerable<(string Name, string Value)> meta)
    {
        var clone = new XElement("clone", new XAttribute("id", cloneId), child);
        var pairs = meta.ToList();
        if (promotable && pairs.All(p => p.Name != "promotable")) pairs.Insert(0, ("promotable", "true"));
        if (pairs.Count > 0)
        {
            var reserved = new HashSet<string>(StringComparer.Ordinal) { cloneId };
            foreach (var id in child.DescendantsAndSelf().Select(e => (string?)e.Attribute("id")).OfType<string>()) reserved.Add(id);
            var setId = PrimitiveBuilder.Reserve(cib, $"{cloneId}-meta_attributes", reserved);
            var set = new XElement("meta_attributes", new XAttribute("id", setId));
            foreach (var (n, v) in pairs) set.Add(PrimitiveBuilder.Pair(cib, setId, n, v, reserved));
            clone.Add(set);
        }
        return clone;
    }

    public static PcsCommand Clone { get; } = Pcs.Command("resource clone", "resource clone <resource id> [<clone id>] [meta options]", inv => Run(inv, false));

    public static PcsCommand Promotable { get; } = Pcs.Command("resource promotable", "resource promotable <resource id> [<clone id>] [meta options]", inv => Run(inv, true));

    private static int Run(PcsInvocation inv, bool promotable)
    {
        if (inv.Args.Count < 1)
            return inv.Usage($"usage: pcs resource {(promotable ? "promotable" : "clone")} <resource id | group id> [<clone id>] [meta options]");
        var rest = inv.Args.Skip(1).ToList();
        string? cloneId = rest.Count > 0 && !rest[0].Contains('=') ? rest[0] : null;
        var (meta, error) = NvSetEditor.ParsePairs(cloneId is null ? rest : rest.Skip(1));
        if (error is not null) return inv.Usage(error);
        return PcsCibSession.Edit(inv, cib =>
        {
            // pcs 0.11.5 clones primitives and groups only, by their own id, and says so in one line.
            var e = cib.FindResource(inv.Args[0]);
            if (e is null || e.Name.LocalName is not ("primitive" or "group"))
                return inv.Usage($"unable to find group or resource: {inv.Args[0]}");
            if (e.Parent?.Name.LocalName is "clone" or "master")
                return inv.Usage($"{inv.Args[0]} is already a clone resource");
            var id = cloneId ?? $"{inv.Args[0]}-clone";
            if (cib.IdExists(id)) return inv.Usage($"id '{id}' already exists");
            // As pcs: a group member leaves its group (an emptied group goes); the clone goes last.
            if (e.Parent is { } group && group.Name.LocalName == "group")
            {
                e.Remove();
                if (!group.Elements("primitive").Any()) group.Remove();
            }
            else
                e.Remove();
            // pcs writes the clone's meta attributes sorted by name (promotable=true among them).
            var sorted = meta.ToList();
            if (promotable && sorted.All(p => p.Name != "promotable")) sorted.Add(("promotable", "true"));
            sorted = [.. sorted.OrderBy(p => p.Name, StringComparer.Ordinal)];
            cib.Section("resources").Add(Wrap(cib, e, id, promotable, sorted));
            // Constraints naming the cloned resource now name its clone.
            foreach (var c in (cib.FindSection("constraints")?.Elements() ?? []).Where(c => c.Name.LocalName is "rsc_location" or "rsc_order" or "rsc_colocation"))
                foreach (var attribute in new[] { "rsc", "first", "then", "with-rsc" })
                    if ((string?)c.Attribute(attribute) == inv.Args[0]) c.SetAttributeValue(attribute, id);
            return 0;
        });
    }

    public static PcsCommand Unclone { get; } = Pcs.Command("resource unclone", "resource unclone <clone id | resource id>", inv =>
    {
        if (inv.Args.Count != 1) return inv.Usage("usage: pcs resource unclone <clone id | resource id>");
        return PcsCibSession.Edit(inv, cib =>
        {
            var e = cib.FindResource(inv.Args[0]);
            if (e is null) return inv.Usage($"could not find resource: {inv.Args[0]}");
            var clone = e.Name.LocalName is "clone" or "master" ? e : e.Parent?.Name.LocalName is "clone" or "master" ? e.Parent : null;
            if (clone is null) return inv.Usage($"'{inv.Args[0]}' is not a clone resource");
            var child = clone.Elements().First(c => c.Name.LocalName is "primitive" or "group");
            child.Remove();
            ConstraintCommands.RemoveReferences(cib, (string?)clone.Attribute("id") ?? "", _ => { });
            clone.ReplaceWith(child);
            return 0;
        });
    });
}
