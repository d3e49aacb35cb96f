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
        {
            foreach (var option in a.Skip(5))
            {
                var eq = option.IndexOf('=');
                if (eq < 0) return inv.Usage($"bad option '{option}'");
                if (option[..eq] != "resource-discovery" && !inv.Options.Force) return inv.Usage($"bad option '{option[..eq]}', use --force to override");
            }
            return AddLocations(inv, a[2], [(a[3], a[4], a[4])], a[1], a.Skip(5).ToList());
        }
        if (a.Count < 3 || a[1] is not ("prefers" or "avoids"))
            return inv.Usage("usage: pcs constraint location <resource> prefers|avoids <node>[=<score>]...");
        var nodes = new List<(string Node, string Score, string? Given)>();
        foreach (var w in a.Skip(2))
        {
            var eq = w.IndexOf('=');
            var node = eq < 0 ? w : w[..eq];
            var score = eq < 0 ? "INFINITY" : w[(eq + 1)..];
            if (a[1] == "avoids") score = eq < 0 ? "-INFINITY" : score.StartsWith('-') ? score[1..] : "-" + score;
            nodes.Add((node, score, eq < 0 ? null : w[(eq + 1)..]));
        }
        return AddLocations(inv, a[0], nodes, null, []);
    });

    /// <summary>Adds one location constraint per node; pcs checks the score as given (before avoids negates it).</summary>
    private static int AddLocations(PcsInvocation inv, string rsc, List<(string Node, string Score, string? Given)> nodes, string? id, List<string> options)
    {
        return PcsCibSession.Edit(inv, cib =>
        {
            // On a file pcs cannot ask the cluster which nodes exist, and says so first (as pcs 0.11.5 does).
            bool onFile = inv.OnFile;
            if (onFile || inv.Options.Force) inv.Err.WriteLine(NodeCheckSkipped);
            foreach (var (_, _, given) in nodes)
                if (given is not null && !Score.TryParseStrict(given, out _))
                    return inv.Usage($"invalid score '{given}', use integer or INFINITY or -INFINITY");
            if (cib.FindResource(rsc) is null)
                return inv.Usage($"Resource '{rsc}' does not exist");
            if (!inv.Options.Force && CloneMemberError(cib, rsc) is { } inClone) return inv.Usage(inClone);
            var known = cib.NodeNames.ToHashSet(StringComparer.Ordinal);
            if (!onFile && !inv.Options.Force && nodes.FirstOrDefault(n => !known.Contains(n.Node)) is { Node: not null } unknown)
                return inv.Usage(Pcs.Forceable($"Node '{unknown.Node}' does not appear to exist in configuration"));
            if (id is not null && PcsCib.IdError(id, "constraint id") is { } badId)
                return inv.Usage(badId);
            var constraints = cib.Section("constraints");
            foreach (var (node, score, _) in nodes)
            {
                // As pcs: the id is made from the text (not made unique), and a location constraint
                // with that id, or for the same resource and node, is replaced by the new one, last.
                var newId = id ?? PcsCib.SanitizeId($"location-{rsc}-{node}-{score}");
                constraints.Elements("rsc_location")
                    .Where(c => (string?)c.Attribute("id") == newId || ((string?)c.Attribute("node") == node && (string?)c.Attribute("rsc") == rsc))
                    .Remove();
                var e = new XElement("rsc_location", new XAttribute("id", newId),
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
        string rsc;
        if (a.Count >= 3 && a[2] == "with")
        {
            if (CheckRole(inv, a[0]) is { } badRole) return badRole;
            rscRole = a[0];
            rsc = a[1];
            a.RemoveRange(0, 3);
        }
        else if (a[1] == "with")
        {
            rsc = a[0];
            a.RemoveRange(0, 2);
        }
        else
        {
            // The tutorial's form (pcs 0.9): "colocation add A B SCORE"; pcs 0.11.5 refuses it.
            rsc = a[0];
            a.RemoveAt(0);
            inv.Err.WriteLine($"Warning: 'colocation add <source> <target>' is the old form; today's is 'pcs constraint colocation add {rsc} with {string.Join(' ', a)}'");
        }
        if (a.Contains("with"))
            return inv.Usage("Multiple 'with's cannot be specified.");
        if (a.Count == 0) return inv.Usage("usage: pcs constraint colocation add <source resource id> with <target resource id>");
        string with;
        if (a.Count == 1 || IsScoreOrOption(a[1]))
        {
            with = a[0];
            a.RemoveAt(0);
        }
        else
        {
            if (CheckRole(inv, a[0]) is { } badRole) return badRole;
            withRole = a[0];
            with = a[1];
            a.RemoveRange(0, 2);
        }
        // The first word is the score unless it is an option; pcs leaves checking it to the CIB.
        var score = "INFINITY";
        if (a.Count > 0 && !a[0].Contains('='))
        {
            score = a[0];
            a.RemoveAt(0);
        }
        var options = new List<(string Name, string Value)>();
        foreach (var word in a)
        {
            var (pairs, error) = NvSetEditor.ParsePairs([word]);
            if (error is not null) return inv.Usage(error);
            if (pairs[0].Value.Length == 0) return inv.Usage($"value of '{pairs[0].Name}' option is empty");
            options.Add(pairs[0]);
        }
        return PcsCibSession.Edit(inv, cib =>
        {
            // pcs checks each resource in full (it exists, it is not a clone's member) before the next.
            foreach (var r in new[] { rsc, with })
            {
                if (cib.FindResource(r) is null)
                    return inv.Usage($"Resource '{r}' does not exist");
                if (!inv.Options.Force && CloneMemberError(cib, r) is { } inClone) return inv.Usage(inClone);
            }
            var hasId = false;
            foreach (var (name, value) in options.Where(o => o.Name == "id"))
            {
                if ((PcsCib.IdError(value, "constraint id") ?? (cib.IdExists(value) ? $"id '{value}' is already in use, please specify another one" : null)) is { } bad)
                    return inv.Usage(bad);
                hasId = true;
            }
            if (!hasId) options.Add(("id", cib.UniqueId($"colocation-{rsc}-{with}-{score}", sanitize: false)));
            // One role given: the other side is Started. Schemas before 3.7 know only Master/Slave.
            if (rscRole is not null || withRole is not null)
            {
                rscRole = cib.CibRole(Capitalized(rscRole) ?? "Started");
                withRole = cib.CibRole(Capitalized(withRole) ?? "Started");
            }
            var e = new XElement("rsc_colocation", new XAttribute("rsc", rsc), new XAttribute("with-rsc", with), new XAttribute("score", score));
            if (rscRole is not null) e.Add(new XAttribute("rsc-role", rscRole));
            if (withRole is not null) e.Add(new XAttribute("with-rsc-role", withRole));
            foreach (var (k, v) in options) e.SetAttributeValue(k, v);
            var constraints = cib.Section("constraints");
            (string, string, string, string) Key(XElement c) => ((string?)c.Attribute("rsc") ?? "", (string?)c.Attribute("with-rsc") ?? "",
                cib.CibRole(Capitalized((string?)c.Attribute("rsc-role")) ?? "Started"),
                cib.CibRole(Capitalized((string?)c.Attribute("with-rsc-role")) ?? "Started"));
            var duplicates = constraints.Elements("rsc_colocation").Where(c => !c.Elements("resource_set").Any() && Key(c) == Key(e)).ToList();
            if (duplicates.Count > 0 && !inv.Options.Force)
            {
                inv.Err.WriteLine($"Error: {Pcs.Forceable("duplicate constraint already exists")}");
                foreach (var d in duplicates)
                    inv.Err.WriteLine("  " + ConstraintFormatter.ColocationLine(d, full: true));
                return 1;
            }
            constraints.Add(e);
            return 0;
        });
    });

    private static readonly string[] PcsRoles = ["Master", "Promoted", "Slave", "Started", "Stopped", "Unpromoted"];

    /// <summary>pcs's check of a role word (any case); Master and Slave pass with a deprecation warning.</summary>
    private static int? CheckRole(PcsInvocation inv, string role)
    {
        if (!PcsRoles.Contains(Capitalized(role)))
            return inv.Usage($"invalid role value '{role}', allowed values are: {string.Join(", ", PcsRoles.Select(r => $"'{r}'"))}");
        if (Capitalized(role) is "Master" or "Slave")
            inv.Err.WriteLine($"Deprecation Warning: Role value '{role}' is deprecated and should not be used, use '{(Capitalized(role) == "Master" ? "Promoted" : "Unpromoted")}' instead");
        return null;
    }

    /// <summary>Python's str.capitalize: first letter upper, the rest lower.</summary>
    private static string? Capitalized(string? text) =>
        string.IsNullOrEmpty(text) ? null : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();

    /// <summary>pcs's test for the word after the target: a score or a name=value option.</summary>
    private static bool IsScoreOrOption(string word) => word.Contains('=') || Score.TryParseStrict(word, out _);

    /// <summary>
    /// pcs refuses a constraint on a cloned (or bundled) primitive or group by its own id (the
    /// clone's or bundle's id is meant); --force overrides.
    /// </summary>
    private static string? CloneMemberError(PcsCib cib, string id) =>
        cib.FindResource(id) is { Parent: { Name.LocalName: "clone" or "master" or "bundle" } parent } e && e.Name.LocalName is "primitive" or "group"
            ? parent.Name.LocalName == "bundle"
                ? $"{id} is a bundle resource, you should use the bundle id: {(string?)parent.Attribute("id")} when adding constraints. Use --force to override."
                : $"{id} is a clone resource, you should use the clone id: {(string?)parent.Attribute("id")} when adding constraints. Use --force to override."
            : null;

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
        if (a.Contains("then"))
            return inv.Usage("Multiple 'then's cannot be specified.");
        return PcsCibSession.Edit(inv, cib =>
        {
            // pcs checks each resource in full (it exists, it is not a clone's member) before the next.
            foreach (var r in new[] { first, then })
            {
                if (cib.FindResource(r) is null)
                    return inv.Usage($"Resource '{r}' does not exist");
                if (!inv.Options.Force && CloneMemberError(cib, r) is { } inClone) return inv.Usage(inClone);
            }
            if (cib.FindResource(first)!.Parent is { Name.LocalName: "group" } g1 && cib.FindResource(then)!.Parent == g1)
                return inv.Usage("Cannot create an order constraint for resources in the same group");
            // Options go into the constraint as given, in the order given, followed by the two
            // actions and symmetrical; pcs checks only id and symmetrical itself and leaves the
            // rest (kind=bogus) to the CIB's schema.
            var options = new List<(string Name, string Value)>();
            string? symmetrical = null, id = null;
            foreach (var word in a.Append($"first-action={firstAction}").Append($"then-action={thenAction}"))
            {
                if (word == "symmetrical") { symmetrical = "true"; continue; }
                if (word == "nonsymmetrical") { symmetrical = "false"; continue; }
                var (pairs, error) = NvSetEditor.ParsePairs([word]);
                if (error is not null) return inv.Usage(error);
                var (name, value) = pairs[0];
                if (value.Length == 0) return inv.Usage($"value of '{name}' option is empty");
                if (name == "id")
                {
                    if ((PcsCib.IdError(value, "constraint id") ?? (cib.IdExists(value) ? $"id '{value}' is already in use, please specify another one" : null)) is { } bad)
                        return inv.Usage(bad);
                    id = value;
                }
                else if (name == "symmetrical")
                {
                    if (value.ToLowerInvariant() is not ("true" or "false"))
                        return inv.Usage($"invalid symmetrical value '{value}', allowed values are: true, false");
                    symmetrical = value.ToLowerInvariant();
                    continue;
                }
                options.Add((name, value));
            }
            if (symmetrical is not null) options.Add(("symmetrical", symmetrical));
            var shown = string.Join(' ', options.Where(o => o.Name is not ("kind" or "score")).Select(o => $"{o.Name}={o.Value}"));
            var (scoreKind, idSuffix) = ("kind: Mandatory", "mandatory");
            foreach (var (name, value) in options)
            {
                if (name == "score") { (scoreKind, idSuffix) = ($"score: {value}", value); break; }
                if (name == "kind") { (scoreKind, idSuffix) = ($"kind: {value}", value); break; }
            }
            var constraints = cib.Section("constraints");
            var duplicate = constraints.Elements("rsc_order").FirstOrDefault(c => !c.Elements("resource_set").Any()
                && (string?)c.Attribute("first") == first && (string?)c.Attribute("then") == then
                && (((string?)c.Attribute("first-action"))?.ToLowerInvariant() is { Length: > 0 } fa ? fa : "start") == firstAction
                && (((string?)c.Attribute("then-action"))?.ToLowerInvariant() is { Length: > 0 } ta ? ta : "start") == thenAction);
            if (duplicate is not null && !inv.Options.Force)
            {
                inv.Err.WriteLine($"Error: {Pcs.Forceable("duplicate constraint already exists")}");
                inv.Err.WriteLine("  " + ConstraintFormatter.OrderLine(duplicate, full: true));
                return 1;
            }
            var e = new XElement("rsc_order", new XAttribute("first", first), new XAttribute("then", then));
            foreach (var (k, v) in options)
                e.SetAttributeValue(k, v);
            if (id is null) e.Add(new XAttribute("id", cib.UniqueId($"order-{first}-{then}-{idSuffix}", sanitize: false)));
            constraints.Add(e);
            inv.Err.WriteLine($"Adding {first} {then} ({scoreKind})" + (shown.Length > 0 ? $" (Options: {shown})" : ""));
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
