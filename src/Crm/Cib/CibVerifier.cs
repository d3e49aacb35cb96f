using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>A crm_verify style message: the function Pacemaker logs it from and the text.</summary>
public sealed record VerifyMessage(string Function, string Message);

/// <summary>
/// Result of checking a CIB: structural (schema-like) errors, then scheduler config errors and
/// warnings; <see cref="Logged"/> are errors Pacemaker logs (with -V) without failing the check,
/// such as a rule date it cannot parse and so ignores.
/// </summary>
public sealed record VerifyReport(IReadOnlyList<string> SchemaErrors, IReadOnlyList<VerifyMessage> Errors, IReadOnlyList<VerifyMessage> Warnings)
{
    public IReadOnlyList<VerifyMessage> Logged { get; init; } = [];
}

/// <summary>Checks what crm_verify checks: ids, references, scores, agent syntax, and fencing setup.</summary>
public static partial class CibVerifier
{
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.\-]*$")]
    private static partial Regex XmlId();

    private static readonly HashSet<string> Classes = ["ocf", "lsb", "service", "systemd", "stonith", "upstart", "nagios", "heartbeat"];

    /// <summary>Structural errors that name the element, its id and what is wrong.</summary>
    public static IReadOnlyList<CibError> Validate(CibDocument cib)
    {
        var errors = new List<CibError>();
        if (cib.RootAttributes.TryGetValue("validate-with", out var schema) && !IsKnownSchema(schema))
            errors.Add(new CibError("cib", null, $"validate-with=\"{schema}\" names no schema this version knows (pacemaker-1.0 .. pacemaker-3.9, pacemaker-next, none)"));
        var ids = new Dictionary<string, XElement>(StringComparer.Ordinal);
        // Only the configuration is checked: no need to build the (possibly huge) document.
        var config = cib.ConfigurationElement;
        if (config is null)
        {
            errors.Add(new CibError("cib", null, "missing <configuration>", CibDocument.Line(cib.Source)));
            return errors;
        }
        foreach (var e in config.Descendants())
        {
            var id = (string?)e.Attribute("id");
            if (id is null || e.Name.LocalName is "resource_ref" or "lrm" or "lrm_resource") continue;
            if (e.Name.LocalName == "node") continue; // node ids are corosync node ids (numbers); own namespace
            if (!XmlId().IsMatch(id))
                errors.Add(new CibError(e.Name.LocalName, id, "id is not a valid XML ID (letter or '_' first; letters, digits, '.', '-', '_')", CibDocument.Line(e)));
            if (!ids.TryAdd(id, e))
                errors.Add(new CibError(e.Name.LocalName, id, $"duplicate id (first used by <{ids[id].Name.LocalName}> at line {CibDocument.Line(ids[id])})", CibDocument.Line(e)));
        }
        CheckStructure(config, errors);
        if (schema is not null && ConstraintSchemaVersion(schema) is { } version)
        {
            CheckConstraintAttributes(config, version, errors);
            CheckOperationAttributes(config, version, errors);
        }
        var resources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in config.Descendants().Where(x => x.Name.LocalName is "primitive" or "group" or "clone" or "master" or "bundle"))
            if ((string?)e.Attribute("id") is { } rid) resources.Add(rid);
        foreach (var p in config.Descendants().Where(x => x.Name.LocalName == "primitive"))
        {
            var id = (string?)p.Attribute("id");
            var cls = (string?)p.Attribute("class");
            var provider = (string?)p.Attribute("provider");
            var type = (string?)p.Attribute("type");
            if (p.Attribute("template") is not null) continue;
            if (string.IsNullOrEmpty(cls)) errors.Add(new CibError("primitive", id, "missing class", CibDocument.Line(p)));
            else if (!Classes.Contains(cls)) errors.Add(new CibError("primitive", id, $"unknown resource class '{cls}'", CibDocument.Line(p)));
            if (cls == "ocf" && string.IsNullOrEmpty(provider)) errors.Add(new CibError("primitive", id, "class 'ocf' requires a provider", CibDocument.Line(p)));
            if (cls is not null and not "ocf" && provider is not null) errors.Add(new CibError("primitive", id, $"class '{cls}' does not take a provider", CibDocument.Line(p)));
            if (string.IsNullOrEmpty(type)) errors.Add(new CibError("primitive", id, "missing type", CibDocument.Line(p)));
            else if (type.Contains(':') || type.Contains(' ')) errors.Add(new CibError("primitive", id, $"invalid type '{type}'", CibDocument.Line(p)));
        }
        var constraints = config.Element(config.Name.Namespace + "constraints");
        if (constraints is not null)
        {
            foreach (var c in constraints.Descendants())
            {
                var cid = (string?)c.Attribute("id");
                foreach (var attr in new[] { "rsc", "with-rsc", "first", "then" })
                    if ((string?)c.Attribute(attr) is { } r && !resources.Contains(r))
                        errors.Add(new CibError(c.Name.LocalName, cid, $"{attr} references an unknown resource \"{r}\"", CibDocument.Line(c)));
                if (c.Name.LocalName == "resource_ref" && cid is not null && !resources.Contains(cid))
                    errors.Add(new CibError(c.Name.LocalName, cid, $"references an unknown resource \"{cid}\"", CibDocument.Line(c)));
                if ((string?)c.Attribute("score") is { } s && !Score.TryParseStrict(s, out _))
                    errors.Add(new CibError(c.Name.LocalName, cid, $"invalid score '{s}' (use an integer, INFINITY or -INFINITY)", CibDocument.Line(c)));
            }
        }
        foreach (var e in config.Descendants().Where(x => x.Name.LocalName is "rule"))
            if ((string?)e.Attribute("score") is { } s && !Score.TryParseStrict(s, out _))
                errors.Add(new CibError("rule", (string?)e.Attribute("id"), $"invalid score '{s}' (use an integer, INFINITY or -INFINITY)", CibDocument.Line(e)));
        return errors;
    }

    [GeneratedRegex(@"^pacemaker-(?:1\.[0-9]|2\.(?:[0-9]|10)|3\.[0-9])$|^pacemaker-next$|^none$")]
    private static partial Regex KnownSchema();

    private static bool IsKnownSchema(string name) => KnownSchema().IsMatch(name);

    // Attributes the schema allows on the resource and node elements (pacemaker-3.x); anything else
    // is refused as the Relax-NG validation of the real tools refuses it.
    private static readonly Dictionary<string, HashSet<string>> KnownAttributes = new(StringComparer.Ordinal)
    {
        ["primitive"] = ["id", "class", "provider", "type", "description", "template"],
        ["group"] = ["id", "description"],
        ["clone"] = ["id", "description"],
        ["master"] = ["id", "description"],
        ["node"] = ["id", "uname", "type", "description", "score"],
    };

    private static readonly HashSet<string> ResourceElements = ["primitive", "group", "clone", "master", "bundle", "template"];

    /// <summary>The schema rules that matter most for what the scheduler would make of a CIB: nesting and attributes of resources and nodes.</summary>
    private static void CheckStructure(XElement config, List<CibError> errors)
    {
        var ns = config.Name.Namespace;
        if (config.Element(ns + "resources") is { } resources)
        {
            foreach (var e in resources.Elements().Where(e => !ResourceElements.Contains(e.Name.LocalName)))
                errors.Add(new CibError(e.Name.LocalName, (string?)e.Attribute("id"), "element not allowed in <resources>", CibDocument.Line(e)));
            foreach (var clone in resources.Descendants().Where(e => e.Name.LocalName is "clone" or "master"))
                foreach (var child in clone.Elements().Where(e => e.Name.LocalName is "clone" or "master" or "bundle" or "template"))
                    errors.Add(new CibError(clone.Name.LocalName, (string?)clone.Attribute("id"),
                        $"a {clone.Name.LocalName} may hold only a primitive or a group, not <{child.Name.LocalName}>", CibDocument.Line(child)));
            foreach (var group in resources.Descendants().Where(e => e.Name.LocalName == "group"))
                foreach (var child in group.Elements().Where(e => ResourceElements.Contains(e.Name.LocalName) && e.Name.LocalName != "primitive"))
                    errors.Add(new CibError("group", (string?)group.Attribute("id"),
                        $"a group may hold only primitives, not <{child.Name.LocalName}>", CibDocument.Line(child)));
        }
        var checkedElements = (config.Element(ns + "resources")?.Descendants() ?? [])
            .Concat(config.Element(ns + "nodes")?.Elements(ns + "node") ?? []);
        foreach (var e in checkedElements)
        {
            if (!KnownAttributes.TryGetValue(e.Name.LocalName, out var allowed)) continue;
            foreach (var a in e.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.None && !allowed.Contains(a.Name.LocalName)))
                errors.Add(new CibError(e.Name.LocalName, (string?)e.Attribute("id"), $"invalid attribute {a.Name.LocalName}", CibDocument.Line(e)));
        }
    }

    private enum ValueKind { Text, Boolean, Score, OrderKind, Action, Role, Discovery, Ordering }

    // The attributes pacemaker-3.x's constraints schema allows, with the kind of value each takes.
    private static readonly Dictionary<string, Dictionary<string, ValueKind>> ConstraintAttributes = new(StringComparer.Ordinal)
    {
        ["rsc_order"] = new(StringComparer.Ordinal)
        {
            ["id"] = ValueKind.Text, ["symmetrical"] = ValueKind.Boolean, ["require-all"] = ValueKind.Boolean,
            ["score"] = ValueKind.Score, ["kind"] = ValueKind.OrderKind, ["first"] = ValueKind.Text, ["then"] = ValueKind.Text,
            ["first-action"] = ValueKind.Action, ["then-action"] = ValueKind.Action,
        },
        ["rsc_colocation"] = new(StringComparer.Ordinal)
        {
            ["id"] = ValueKind.Text, ["score"] = ValueKind.Score, ["influence"] = ValueKind.Text, ["rsc"] = ValueKind.Text,
            ["with-rsc"] = ValueKind.Text, ["node-attribute"] = ValueKind.Text, ["rsc-role"] = ValueKind.Role, ["with-rsc-role"] = ValueKind.Role,
        },
        ["rsc_location"] = new(StringComparer.Ordinal)
        {
            ["id"] = ValueKind.Text, ["rsc"] = ValueKind.Text, ["rsc-pattern"] = ValueKind.Text, ["role"] = ValueKind.Role,
            ["score"] = ValueKind.Score, ["node"] = ValueKind.Text, ["resource-discovery"] = ValueKind.Discovery,
        },
        ["resource_set"] = new(StringComparer.Ordinal)
        {
            ["id"] = ValueKind.Text, ["id-ref"] = ValueKind.Text, ["sequential"] = ValueKind.Boolean, ["require-all"] = ValueKind.Boolean,
            ["ordering"] = ValueKind.Ordering, ["action"] = ValueKind.Action, ["role"] = ValueKind.Role, ["score"] = ValueKind.Score,
            ["kind"] = ValueKind.OrderKind,
        },
    };

    /// <summary>The minor version of a pacemaker-3.x schema name (pacemaker-next counts as the newest), or null for older schemas.</summary>
    private static int? ConstraintSchemaVersion(string schema) =>
        schema == "pacemaker-next" ? 99
        : schema.StartsWith("pacemaker-3.", StringComparison.Ordinal) && int.TryParse(schema.AsSpan("pacemaker-3.".Length), out var minor) ? minor
        : null;

    /// <summary>
    /// Constraint attributes and their values as pacemaker-3.x's schema has them: an unknown
    /// attribute or a value outside its choice (kind="bogus", a role misspelt) fails validation,
    /// as the real CIB refuses such an update. Promoted/Unpromoted arrived in 3.7, influence in 3.6.
    /// </summary>
    private static void CheckConstraintAttributes(XElement config, int version, List<CibError> errors)
    {
        if (config.Element(config.Name.Namespace + "constraints") is not { } constraints) return;
        foreach (var e in constraints.Descendants())
        {
            if (!ConstraintAttributes.TryGetValue(e.Name.LocalName, out var allowed)) continue;
            var id = (string?)e.Attribute("id");
            foreach (var a in e.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.None))
            {
                var name = a.Name.LocalName;
                if (!allowed.TryGetValue(name, out var kind) || (name == "influence" && version < 6))
                {
                    errors.Add(new CibError(e.Name.LocalName, id, $"invalid attribute {name}", CibDocument.Line(e)));
                    continue;
                }
                var value = a.Value.Trim();
                var valid = kind switch
                {
                    ValueKind.Boolean => value is "true" or "false" or "1" or "0",
                    ValueKind.OrderKind => value is "Optional" or "Mandatory" or "Serialize",
                    ValueKind.Action => value is "start" or "promote" or "demote" or "stop",
                    ValueKind.Role => value is "Stopped" or "Started" or "Master" or "Slave" || (version >= 7 && value is "Promoted" or "Unpromoted"),
                    ValueKind.Discovery => value is "always" or "never" or "exclusive",
                    ValueKind.Ordering => value is "group" or "listed",
                    _ => true,
                };
                if (!valid)
                    errors.Add(new CibError(e.Name.LocalName, id, $"invalid value '{a.Value}' for attribute {name}", CibDocument.Line(e)));
            }
            if (e.Attribute("score") is not null && e.Attribute("kind") is not null)
                errors.Add(new CibError(e.Name.LocalName, id, "score and kind cannot both be set", CibDocument.Line(e)));
        }
    }

    private static readonly HashSet<string> OperationAttributes =
        ["id", "name", "interval", "description", "start-delay", "interval-origin", "timeout", "enabled", "record-pending", "role", "on-fail"];

    /// <summary>
    /// Operation attributes as pacemaker-3.x's resources schema has them: id, name and interval
    /// required, start-delay or interval-origin, enabled and record-pending boolean, role and
    /// on-fail from their lists (on-fail=demote from 3.4).
    /// </summary>
    private static void CheckOperationAttributes(XElement config, int version, List<CibError> errors)
    {
        if (config.Element(config.Name.Namespace + "resources") is not { } resources) return;
        foreach (var op in resources.Descendants(config.Name.Namespace + "op"))
        {
            var id = (string?)op.Attribute("id");
            void Error(string what) => errors.Add(new CibError("op", id, what, CibDocument.Line(op)));
            foreach (var required in new[] { "id", "name", "interval" })
                if (op.Attribute(required) is null) Error($"missing attribute {required}");
            foreach (var a in op.Attributes().Where(a => !a.IsNamespaceDeclaration && a.Name.Namespace == XNamespace.None))
            {
                var name = a.Name.LocalName;
                var value = a.Value.Trim();
                if (!OperationAttributes.Contains(name)) { Error($"invalid attribute {name}"); continue; }
                var valid = name switch
                {
                    "enabled" or "record-pending" => value is "true" or "false" or "1" or "0",
                    "role" => value is "Stopped" or "Started" or "Master" or "Slave" || (version >= 7 && value is "Promoted" or "Unpromoted"),
                    "on-fail" => value is "ignore" or "block" or "stop" or "restart" or "standby" or "fence" or "restart-container" || (version >= 4 && value == "demote"),
                    _ => true,
                };
                if (!valid) Error($"invalid value '{a.Value}' for attribute {name}");
            }
            if (op.Attribute("start-delay") is not null && op.Attribute("interval-origin") is not null)
                Error("start-delay and interval-origin cannot both be set");
        }
    }

    /// <summary>The structural errors as "file:line: &lt;element id&gt;: what is wrong" lines.</summary>
    public static IReadOnlyList<string> SchemaMessages(CibDocument cib, string? fileName = null) =>
        [.. Validate(cib).Select(e => fileName is null ? e.ToString()
            : e.Line > 0 ? $"{fileName}:{e.Line}: {(e with { Line = 0 })}" : $"{fileName}: {e}")];

    /// <summary>Everything crm_verify reports, in its order.</summary>
    public static VerifyReport Verify(CibDocument cib, string? fileName = null)
    {
        var schema = SchemaMessages(cib, fileName);
        if (schema.Count > 0)
            return new VerifyReport(schema, [new VerifyMessage("main", "CIB did not pass schema validation")], []);
        var result = Scheduler.Scheduler.Schedule(cib, new Scheduler.SchedulerOptions());
        var warnings = new List<VerifyMessage>(result.ConfigWarnings.Select(m => new VerifyMessage("unpack_resources", m)));
        foreach (var name in cib.Nodes.GroupBy(n => n.Uname, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
            warnings.Add(new VerifyMessage("pe_create_node", $"More than one node entry has name '{name}'"));
        return new VerifyReport([], result.ConfigErrorMessages, warnings) { Logged = InvalidRuleDates(cib) };
    }

    /// <summary>Rule dates that cannot be parsed: Pacemaker logs each and ignores it (the expression is then false).</summary>
    private static IReadOnlyList<VerifyMessage> InvalidRuleDates(CibDocument cib)
    {
        if (cib.ConfigurationElement is not { } config) return [];
        return [.. config.Descendants().Where(e => e.Name.LocalName == "date_expression")
            .SelectMany(e => new[] { (string?)e.Attribute("start"), (string?)e.Attribute("end") })
            .OfType<string>()
            .Where(text => IsoDate.TryParse(text) is null)
            .Select(text => new VerifyMessage("parse_date", $"'{text}' is not a valid ISO 8601 date/time specification"))];
    }
}
