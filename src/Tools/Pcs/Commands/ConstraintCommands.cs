using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Tools.Pcs.Display;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// <c>pcs constraint location|colocation|order|ref|delete</c> and the listing. Ids, attribute
/// order and messages as pcs 0.11.5 writes them on a file.
/// </summary>
public static class ConstraintCommands
{
    private const string NodeCheckSkipped = "Warning: Validation for node existence in the cluster will be skipped";

    public static PcsCommand Show { get; } = Pcs.Command("constraint", "constraint [config] [--full]", ShowRun);

    public static PcsCommand Config { get; } = Pcs.Command("constraint config", "constraint config [--full]", ShowRun);

    public static PcsCommand ListCommand { get; } = Pcs.Command("constraint list", "constraint list [--full]", ShowRun);

    private static int ShowRun(PcsInvocation inv)
    {
        if (inv.Args.Count > 0) return inv.Usage($"unknown constraint command '{inv.Args[0]}'");
        return PcsCibSession.Read(inv, cib =>
        {
            ConstraintFormatter.Write(inv.Out, cib, inv.Options.Full, "");
            return 0;
        });
    }

    public static PcsCommand Location { get; } = Pcs.Command("constraint location",
        "constraint location <resource> prefers|avoids <node>[=<score>]... | location add <id> <resource> <node> <score> | location remove <id>", inv =>
    {
        var a = inv.Args;
        if (a.Count >= 1 && a[0] is "config" or "show")
            return PcsCibSession.Read(inv, cib => { ConstraintFormatter.WriteLocations(inv.Out, cib, inv.Options.Full, ""); return 0; });
        if (a.Count >= 1 && a[0] is "remove" or "delete")
            return Delete(inv, a.Skip(1).ToList());
        if (a.Count >= 5 && a[0] == "add")
            return AddLocations(inv, a[2], [(a[3], a[4])], a[1], a.Skip(5).ToList());
        if (a.Count < 3 || a[1] is not ("prefers" or "avoids"))
            return inv.Usage("usage: pcs constraint location <resource> prefers|avoids <node>[=<score>]...");
        var nodes = new List<(string Node, string Score)>();
        foreach (var w in a.Skip(2))
        {
            var eq = w.IndexOf('=');
            var node = eq < 0 ? w : w[..eq];
            var score = eq < 0 ? "INFINITY" : w[(eq + 1)..];
            if (a[1] == "avoids" && Score.TryParseStrict(score, out _)) score = score.StartsWith('-') ? score[1..] : "-" + score.TrimStart('+');
            nodes.Add((node, score));
        }
        return AddLocations(inv, a[0], nodes, null, []);
    });

    private static int AddLocations(PcsInvocation inv, string rsc, List<(string Node, string Score)> nodes, string? id, List<string> options)
    {
        return PcsCibSession.Edit(inv, cib =>
        {
            // On a file pcs cannot ask the cluster which nodes exist, and says so first (as pcs 0.11.5 does).
            bool onFile = inv.Options.CibFile is not null || inv.Context.GetEnv("CIB_file") is { Length: > 0 };
            if (onFile || inv.Options.Force) inv.Err.WriteLine(NodeCheckSkipped);
            foreach (var (_, score) in nodes)
                if (!Score.TryParseStrict(score, out _))
                    return inv.Usage($"invalid score '{score}', use integer or INFINITY or -INFINITY");
            if (cib.FindResource(rsc) is null)
                return inv.Usage($"Resource '{rsc}' does not exist");
            if (!inv.Options.Force && CloneMemberError(cib, rsc) is { } inClone) return inv.Usage(inClone);
            var known = cib.NodeNames.ToHashSet(StringComparer.Ordinal);
            if (!onFile && !inv.Options.Force && nodes.FirstOrDefault(n => !known.Contains(n.Node)) is { Node: not null } unknown)
                return inv.Usage(Pcs.Forceable($"Node '{unknown.Node}' does not appear to exist in configuration"));
            if (id is not null && cib.IdExists(id))
                return inv.Usage($"id '{id}' is already in use, please specify another one");
            var constraints = cib.Section("constraints");
            foreach (var (node, score) in nodes)
            {
                // Saying it again replaces the plain location constraint for that resource and node.
                var existing = constraints.Elements("rsc_location")
                    .FirstOrDefault(c => (string?)c.Attribute("rsc") == rsc && (string?)c.Attribute("node") == node && id is null);
                if (existing is not null)
                {
                    existing.SetAttributeValue("score", score);
                    continue;
                }
                var e = new XElement("rsc_location", new XAttribute("id", id ?? cib.UniqueId($"location-{rsc}-{node}-{score}")),
                    new XAttribute("rsc", rsc), new XAttribute("node", node), new XAttribute("score", score));
                foreach (var o in options)
                {
                    var eq = o.IndexOf('=');
                    if (eq <= 0) return inv.Usage($"missing value of '{o}' option");
                    e.Add(new XAttribute(o[..eq], o[(eq + 1)..]));
                }
                constraints.Add(e);
            }
            return 0;
        });
    }

    private static readonly string[] Roles = ["promoted", "unpromoted", "started", "stopped", "master", "slave"];

    public static PcsCommand Colocation { get; } = Pcs.Command("constraint colocation",
        "constraint colocation add [<role>] <source resource> with [<role>] <target resource> [score] [options] [id=<id>] | colocation delete <id>", inv =>
    {
        var a = inv.Args.ToList();
        if (a.Count >= 1 && a[0] is "config" or "show")
            return PcsCibSession.Read(inv, cib => { ConstraintFormatter.WriteColocations(inv.Out, cib, inv.Options.Full, ""); return 0; });
        if (a.Count >= 1 && a[0] is "remove" or "delete")
            return Delete(inv, a.Skip(1).ToList());
        if (a.Count < 3 || a[0] != "add")
            return inv.Usage("usage: pcs constraint colocation add [<role>] <source resource id> with [<role>] <target resource id> [score] [options] [id=constraint-id]");
        a.RemoveAt(0);
        string? rscRole = null, withRole = null;
        if (Roles.Contains(a[0].ToLowerInvariant())) { rscRole = Role(a[0]); a.RemoveAt(0); }
        if (a.Count < 2) return inv.Usage("usage: pcs constraint colocation add <source resource id> with <target resource id>");
        var rsc = a[0];
        a.RemoveAt(0);
        if (a[0] == "with") a.RemoveAt(0);
        else
            // The tutorial's form (pcs 0.9): "colocation add A B SCORE"; pcs 0.11.5 refuses it.
            inv.Err.WriteLine($"Warning: 'colocation add <source> <target>' is the old form; today's is 'pcs constraint colocation add {string.Join(' ', inv.Args.Skip(1).Take(inv.Args.Count - a.Count - 1))} with {string.Join(' ', a)}'");
        if (a.Count == 0) return inv.Usage("usage: pcs constraint colocation add <source resource id> with <target resource id>");
        if (Roles.Contains(a[0].ToLowerInvariant()) && a.Count > 1) { withRole = Role(a[0]); a.RemoveAt(0); }
        var with = a[0];
        a.RemoveAt(0);
        var score = "INFINITY";
        if (a.Count > 0 && !a[0].Contains('='))
        {
            score = a[0];
            if (!Score.TryParseStrict(score, out _))
                return inv.Usage($"invalid score '{score}', use integer or INFINITY or -INFINITY");
            a.RemoveAt(0);
        }
        var (options, error) = NvSetEditor.ParsePairs(a);
        if (error is not null) return inv.Usage(error);
        if (options.FirstOrDefault(o => o.Name == "score") is { Name: not null } s) score = s.Value;
        var id = options.FirstOrDefault(o => o.Name == "id").Value;
        return PcsCibSession.Edit(inv, cib =>
        {
            foreach (var r in new[] { rsc, with })
                if (cib.FindResource(r) is null)
                    return inv.Usage($"Resource '{r}' does not exist");
            foreach (var r in new[] { rsc, with })
                if (!inv.Options.Force && CloneMemberError(cib, r) is { } inClone) return inv.Usage(inClone);
            var constraints = cib.Section("constraints");
            var duplicate = constraints.Elements("rsc_colocation").FirstOrDefault(c =>
                (string?)c.Attribute("rsc") == rsc && (string?)c.Attribute("with-rsc") == with);
            if (duplicate is not null && !inv.Options.Force)
            {
                inv.Err.WriteLine($"Error: {Pcs.Forceable("duplicate constraint already exists")}");
                inv.Err.WriteLine("  " + ConstraintFormatter.ColocationLine(duplicate, full: true));
                return 1;
            }
            if (id is not null && (PcsCib.IdError(id, "constraint id") ?? (cib.IdExists(id) ? $"id '{id}' is already in use, please specify another one" : null)) is { } bad)
                return inv.Usage(bad);
            var e = new XElement("rsc_colocation", new XAttribute("rsc", rsc), new XAttribute("with-rsc", with), new XAttribute("score", score));
            if (rscRole is not null) e.Add(new XAttribute("rsc-role", rscRole));
            if (withRole is not null) e.Add(new XAttribute("with-rsc-role", withRole));
            foreach (var (k, v) in options.Where(o => o.Name is not "id" and not "score")) e.Add(new XAttribute(k, v));
            e.Add(new XAttribute("id", id ?? cib.UniqueId($"colocation-{rsc}-{with}-{score}")));
            constraints.Add(e);
            return 0;
        });
    });

    /// <summary>
    /// pcs refuses a constraint on a cloned primitive or group by its own id (the clone's id is
    /// meant); --force overrides.
    /// </summary>
    private static string? CloneMemberError(PcsCib cib, string id) =>
        cib.FindResource(id) is { Parent: { Name.LocalName: "clone" or "master" } clone } e && e.Name.LocalName is "primitive" or "group"
            ? $"{id} is a clone resource, you should use the clone id: {(string?)clone.Attribute("id")} when adding constraints. Use --force to override."
            : null;

    private static string Role(string text) => text.ToLowerInvariant() switch
    {
        "promoted" or "master" => "Promoted",
        "unpromoted" or "slave" => "Unpromoted",
        "started" => "Started",
        _ => "Stopped",
    };

    private static readonly string[] Actions = ["start", "stop", "promote", "demote"];

    public static PcsCommand Order { get; } = Pcs.Command("constraint order",
        "constraint order [action] <first> then [action] <then> [kind=Mandatory|Optional|Serialize] [symmetrical=true|false] [id=<id>] | order delete <id>", inv =>
    {
        var a = inv.Args.ToList();
        if (a.Count >= 1 && a[0] is "config" or "show")
            return PcsCibSession.Read(inv, cib => { ConstraintFormatter.WriteOrders(inv.Out, cib, inv.Options.Full, ""); return 0; });
        if (a.Count >= 1 && a[0] is "remove" or "delete")
            return Delete(inv, a.Skip(1).ToList());
        var firstAction = "start";
        if (a.Count > 0 && Actions.Contains(a[0])) { firstAction = a[0]; a.RemoveAt(0); }
        if (a.Count < 3 || a[1] != "then")
            return inv.Usage("usage: pcs constraint order [action] <resource id> then [action] <resource id> [options]");
        var first = a[0];
        a.RemoveRange(0, 2);
        var thenAction = "start";
        if (a.Count > 1 && Actions.Contains(a[0])) { thenAction = a[0]; a.RemoveAt(0); }
        else if (a.Count > 0 && Actions.Contains(a[0]) && a.Count == 1) return inv.Usage("usage: pcs constraint order [action] <resource id> then [action] <resource id> [options]");
        var then = a[0];
        a.RemoveAt(0);
        var (options, error) = NvSetEditor.ParsePairs(a);
        if (error is not null) return inv.Usage(error);
        var kind = options.FirstOrDefault(o => o.Name == "kind").Value;
        if (kind is not null && kind is not ("Mandatory" or "Optional" or "Serialize"))
            return inv.FailAll([$"'{kind}' is not a valid kind value, use 'Mandatory', 'Optional', 'Serialize'"]);
        var symmetrical = options.FirstOrDefault(o => o.Name == "symmetrical").Value;
        var id = options.FirstOrDefault(o => o.Name == "id").Value;
        return PcsCibSession.Edit(inv, cib =>
        {
            foreach (var r in new[] { first, then })
                if (cib.FindResource(r) is null)
                    return inv.Usage($"Resource '{r}' does not exist");
            foreach (var r in new[] { first, then })
                if (!inv.Options.Force && CloneMemberError(cib, r) is { } inClone) return inv.Usage(inClone);
            if (cib.FindResource(first)!.Parent is { Name.LocalName: "group" } g1 && cib.FindResource(then)!.Parent == g1)
                return inv.Usage("Cannot create an order constraint for resources in the same group");
            var constraints = cib.Section("constraints");
            var duplicate = constraints.Elements("rsc_order").FirstOrDefault(c =>
                (string?)c.Attribute("first") == first && (string?)c.Attribute("then") == then
                && ((string?)c.Attribute("first-action") ?? "start") == firstAction && ((string?)c.Attribute("then-action") ?? "start") == thenAction);
            if (duplicate is not null && !inv.Options.Force)
            {
                inv.Err.WriteLine($"Error: {Pcs.Forceable("duplicate constraint already exists")}");
                inv.Err.WriteLine("  " + ConstraintFormatter.OrderLine(duplicate, full: true));
                return 1;
            }
            if (id is not null && cib.IdExists(id))
                return inv.Usage($"id '{id}' is already in use, please specify another one");
            var e = new XElement("rsc_order", new XAttribute("first", first), new XAttribute("then", then));
            if (kind is not null) e.Add(new XAttribute("kind", kind));
            e.Add(new XAttribute("first-action", firstAction), new XAttribute("then-action", thenAction));
            foreach (var (k, v) in options.Where(o => o.Name is not "id" and not "kind")) e.Add(new XAttribute(k, v));
            e.Add(new XAttribute("id", id ?? cib.UniqueId($"order-{first}-{then}-{kind ?? "mandatory"}")));
            constraints.Add(e);
            var shown = $"first-action={firstAction} then-action={thenAction}" + (symmetrical is not null ? $" symmetrical={symmetrical}" : "");
            inv.Err.WriteLine($"Adding {first} {then} (kind: {kind ?? "Mandatory"}) (Options: {shown})");
            return 0;
        });
    });

    public static PcsCommand DeleteCommand { get; } = Pcs.Command("constraint delete", "constraint delete <constraint id>...", inv => Delete(inv, inv.Args));

    public static PcsCommand RemoveCommand { get; } = Pcs.Command("constraint remove", "constraint remove <constraint id>...", inv => Delete(inv, inv.Args));

    private static int Delete(PcsInvocation inv, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0) return inv.Usage("usage: pcs constraint delete <constraint id>...");
        return PcsCibSession.Edit(inv, cib =>
        {
            foreach (var id in ids)
            {
                var c = cib.Constraints.FirstOrDefault(e => (string?)e.Attribute("id") == id)
                        ?? cib.Constraints.SelectMany(e => e.Elements("rule")).FirstOrDefault(r => (string?)r.Attribute("id") == id);
                if (c is null) return inv.Usage($"Unable to find constraint - '{id}'");
                c.Remove();
            }
            return 0;
        });
    }

    public static PcsCommand Ref { get; } = Pcs.Command("constraint ref", "constraint ref <resource>...", inv =>
    {
        if (inv.Args.Count == 0) return inv.Usage("usage: pcs constraint ref <resource id>...");
        return PcsCibSession.Read(inv, cib =>
        {
            foreach (var r in inv.Args)
            {
                inv.Out.WriteLine($"Resource: {r}");
                // pcs lists colocations, then locations, then orders, each in document order.
                var ids = cib.Constraints.Where(c => References(c, r)).OrderBy(c => c.Name.LocalName, StringComparer.Ordinal)
                    .Select(c => (string?)c.Attribute("id") ?? "").ToList();
                if (ids.Count == 0) inv.Out.WriteLine("  No Matches.");
                foreach (var id in ids) inv.Out.WriteLine($"  {id}");
            }
            return 0;
        });
    });

    private static readonly string[] ReferenceAttributes = ["rsc", "with-rsc", "first", "then"];

    public static bool References(XElement constraint, string rsc) =>
        ReferenceAttributes.Any(a => (string?)constraint.Attribute(a) == rsc)
        || constraint.Elements("resource_set").SelectMany(s => s.Elements("resource_ref")).Any(r => (string?)r.Attribute("id") == rsc);

    /// <summary>Removes constraints naming <paramref name="rsc"/> (set members drop out; an emptied set or constraint goes).</summary>
    public static void RemoveReferences(PcsCib cib, string rsc, Action<string> removed)
    {
        foreach (var c in cib.Constraints.ToList())
        {
            if (ReferenceAttributes.Any(a => (string?)c.Attribute(a) == rsc))
            {
                removed((string?)c.Attribute("id") ?? "");
                c.Remove();
                continue;
            }
            var sets = c.Elements("resource_set").ToList();
            if (sets.Count == 0) continue;
            foreach (var s in sets)
            {
                s.Elements("resource_ref").Where(r => (string?)r.Attribute("id") == rsc).Remove();
                if (!s.Elements("resource_ref").Any()) s.Remove();
            }
            if (!c.Elements("resource_set").Any())
            {
                removed((string?)c.Attribute("id") ?? "");
                c.Remove();
            }
        }
    }
}
