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

    public static PcsCommand Clone { get; } = new(["resource", "clone"], "resource clone <resource id> [<clone id>] [meta options]", inv => RunAsync(inv, false));

    public static PcsCommand Promotable { get; } = new(["resource", "promotable"], "resource promotable <resource id> [<clone id>] [meta options]", inv => RunAsync(inv, true));

    private static async Task<int> RunAsync(PcsInvocation inv, bool promotable)
    {
        if (inv.Args.Count >= 1 && await IncompatibleAgentCheck(inv, promotable).ConfigureAwait(false) is { } refused)
            return refused;
        return Run(inv, promotable);
    }

    /// <summary>
    /// pcs refuses a promotable clone of an OCF 1.1 agent that cannot promote (--force makes it a
    /// warning), and promotable or globally-unique clones of non-OCF agents, naming each member.
    /// The agents' metadata is read before the CIB is edited.
    /// </summary>
    private static async Task<int?> IncompatibleAgentCheck(PcsInvocation inv, bool promotable)
    {
        var rest = inv.Args.Skip(1).ToList();
        var meta = rest.Where(w => w.Contains('=')).Select(w => (Name: w[..w.IndexOf('=')], Value: w[(w.IndexOf('=') + 1)..])).ToList();
        static bool True(string? v) => v?.ToLowerInvariant() is "true" or "on" or "yes" or "y" or "1";
        bool Set(string name) => (name == "promotable" && promotable) || True(meta.LastOrDefault(m => m.Name == name).Value);
        if (!Set("promotable") && !Set("globally-unique")) return null;
        var members = new List<(string Id, string? Group, string Agent, bool Ocf)>();
        var read = PcsCibSession.Read(inv, cib =>
        {
            var e = cib.FindResource(inv.Args[0]);
            if (e is null || e.Name.LocalName is not ("primitive" or "group") || e.Parent?.Name.LocalName is "clone" or "master") return 0;
            var group = e.Name.LocalName == "group" ? (string?)e.Attribute("id") : null;
            foreach (var p in e.Name.LocalName == "group" ? e.Elements("primitive") : [e])
            {
                var cls = (string?)p.Attribute("class") ?? "";
                var provider = (string?)p.Attribute("provider");
                members.Add(((string?)p.Attribute("id") ?? "", group, $"{cls}:{(provider is null ? "" : provider + ":")}{(string?)p.Attribute("type")}", cls == "ocf"));
            }
            return 0;
        });
        if (read != 0) return null;
        var invoker = Cluster.Agents.Invocation.AgentInvoker.FromEnvironment(inv.Context.GetEnv);
        foreach (var (id, group, agentName, ocf) in members)
        {
            var where = $" of resource '{id}'" + (group is null ? "" : $" in group '{group}'");
            if (!ocf)
            {
                var attribute = Set("globally-unique") ? "globally-unique" : "promotable";
                return inv.Usage($"Clone option '{attribute}' is not compatible with '{agentName}' resource agent{where}");
            }
            if (!Set("promotable") || !Cluster.Agents.AgentId.TryParse(agentName, out var agent, out _) || agent is null) continue;
            var (metadata, _) = await invoker.GetMetadataAsync(agent).ConfigureAwait(false);
            if (metadata is null || metadata.Version != "1.1" || (metadata.Action("promote") is not null && metadata.Action("demote") is not null)) continue;
            var message = $"Clone option 'promotable' is not compatible with '{agentName}' resource agent{where}";
            // pcs 0.11.5 passes --force on only for group members: a primitive is refused even then.
            if (!inv.Options.Force || group is null) return inv.Usage(Pcs.Forceable(message));
            inv.Err.WriteLine($"Warning: {message}");
        }
        return null;
    }

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
            var named = cib.FindResource(inv.Args[0]);
            if (named is null) return inv.Usage($"could not find resource: {inv.Args[0]}");
            // The resource meant: the one named, or the clone's child when the clone is named.
            var resource = named.Name.LocalName is "clone" or "master"
                ? named.Elements().FirstOrDefault(c => c.Name.LocalName is "primitive" or "group")
                : named;
            if (resource is null) return inv.Usage($"could not find resource: {inv.Args[0]}");
            var clone = resource.Ancestors().FirstOrDefault(x => x.Name.LocalName is "clone" or "master");
            if (clone is null) return inv.Usage($"'{inv.Args[0]}' is not a clone resource");
            var resources = cib.Section("resources");
            var child = clone.Elements().First(c => c.Name.LocalName is "primitive" or "group");
            if (child.Name.LocalName == "group" && resource != child && child.Elements("primitive").Count() > 1)
            {
                // A member of a cloned group leaves the group (and the clone); the rest stay cloned.
                resource.Remove();
                resources.Add(resource);
                return 0;
            }
            // As pcs: the resource goes last in resources, the clone and what names it go.
            ConstraintCommands.RemoveReferences(cib, (string?)clone.Attribute("id") ?? "", _ => { });
            resource.Remove();
            clone.Remove();
            resources.Add(resource);
            return 0;
        });
    });
}
