using System.Xml.Linq;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cluster.Tools.Pcs.Declarative;

/// <summary>
/// The declarative cluster file: a CIB configuration as readable YAML and back.
/// <list type="bullet">
/// <item>cluster-properties, resource-defaults, operation-defaults: name: value maps;</item>
/// <item>resources and fencing: primitives (id, agent, params, meta, operations), groups and clones;</item>
/// <item>constraints: location, colocation and order;</item>
/// <item>anything else (rules, sets, bundles, other sections) kept verbatim as an <c>xml:</c> item, so nothing is lost.</item>
/// </list>
/// Ids that follow pcs's conventions (WebIP-instance_attributes, WebIP-monitor-interval-30s) are
/// left out and made again on the way back; others are written. Only YamlDotNet's representation
/// model is used (no reflection serialization), so this stays native-AOT safe.
/// </summary>
public static class ClusterYaml
{
    private const string PropertySetId = "cib-bootstrap-options";

    /// <summary>Sections shown as maps or lists; the others go verbatim under other-sections.</summary>
    private static readonly string[] Modelled = ["crm_config", "rsc_defaults", "op_defaults", "resources", "constraints", "nodes"];

    public static string Export(XElement cib)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var config = cib.Element("configuration") ?? new XElement("configuration");
        var root = new YamlMappingNode();
        AddSetSection(root, "cluster-properties", config.Element("crm_config"), "cluster_property_set", PropertySetId);
        AddSetSection(root, "resource-defaults", config.Element("rsc_defaults"), "meta_attributes", "rsc_defaults-meta_attributes");
        AddSetSection(root, "operation-defaults", config.Element("op_defaults"), "meta_attributes", "op_defaults-meta_attributes");
        var all = config.Element("resources")?.Elements().ToList() ?? [];
        var resources = new YamlSequenceNode(all.Where(r => !IsFencing(r)).Select(ResourceNode));
        var fencing = new YamlSequenceNode(all.Where(IsFencing).Select(ResourceNode));
        if (resources.Children.Count > 0) root.Add("resources", resources);
        if (fencing.Children.Count > 0) root.Add("fencing", fencing);
        var constraints = new YamlSequenceNode((config.Element("constraints")?.Elements() ?? []).Select(ConstraintNode));
        if (constraints.Children.Count > 0) root.Add("constraints", constraints);
        var others = config.Elements().Where(e => !Modelled.Contains(e.Name.LocalName)).ToList();
        if (others.Count > 0) root.Add("other-sections", new YamlSequenceNode(others.Select(Raw)));
        var writer = new StringWriter { NewLine = "\n" };
        writer.Write("# The cluster's configuration (pcs cluster config export --yaml); apply with pcs cluster config apply FILE\n");
        if (root.Children.Count == 0) return writer.ToString() + "{}\n";
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static bool IsFencing(XElement r) => r.Name.LocalName == "primitive" && (string?)r.Attribute("class") == "stonith";

    // ---- export helpers ----

    private static void AddSetSection(YamlMappingNode root, string key, XElement? section, string setName, string setId)
    {
        if (section is null) return;
        var sets = section.Elements().ToList();
        if (sets.Count == 0) return;
        if (sets.Count == 1 && SimpleSet(sets[0], setName, setId) is { } map)
            root.Add(key, map);
        else
            root.Add(key, new YamlMappingNode(new YamlScalarNode("xml"), Literal(section)));
    }

    /// <summary>A name/value set as a map when it has pcs's ids and nothing else (no rule, no score); null otherwise.</summary>
    private static YamlMappingNode? SimpleSet(XElement set, string setName, string setId)
    {
        if (set.Name.LocalName != setName || (string?)set.Attribute("id") != setId || set.Attributes().Count() != 1) return null;
        var map = new YamlMappingNode();
        foreach (var pair in set.Elements())
        {
            var name = (string?)pair.Attribute("name");
            if (pair.Name.LocalName != "nvpair" || name is null || (string?)pair.Attribute("id") != $"{setId}-{name}"
                || pair.Attributes().Any(a => a.Name.LocalName is not ("id" or "name" or "value")) || map.Children.ContainsKey(name))
                return null;
            map.Add(name, (string?)pair.Attribute("value") ?? "");
        }
        return map;
    }

    private static YamlNode ResourceNode(XElement r) => (r.Name.LocalName switch
    {
        "primitive" => PrimitiveNode(r),
        "group" => GroupNode(r),
        "clone" => CloneNode(r),
        _ => null,
    }) ?? Raw(r);

    private static YamlMappingNode? PrimitiveNode(XElement p)
    {
        var id = (string?)p.Attribute("id");
        if (id is null || p.Attributes().Any(a => a.Name.LocalName is not ("id" or "class" or "provider" or "type"))) return null;
        var map = new YamlMappingNode { { "primitive", id }, { "agent", AgentName(p) } };
        if (!AddSets(map, p, id, allowOps: true)) return null;
        return map;
    }

    private static string AgentName(XElement p) =>
        $"{(string?)p.Attribute("class")}:{((string?)p.Attribute("provider") is { } prov ? prov + ":" : "")}{(string?)p.Attribute("type")}";

    /// <summary>params, meta and operations of a resource; false when something has to be kept verbatim.</summary>
    private static bool AddSets(YamlMappingNode map, XElement r, string id, bool allowOps)
    {
        foreach (var child in r.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "instance_attributes" when !map.Children.ContainsKey("params") && SimpleSet(child, "instance_attributes", $"{id}-instance_attributes") is { } ps:
                    map.Add("params", ps);
                    break;
                case "meta_attributes" when !map.Children.ContainsKey("meta") && SimpleSet(child, "meta_attributes", $"{id}-meta_attributes") is { } ms:
                    map.Add("meta", ms);
                    break;
                case "operations" when allowOps && !map.Children.ContainsKey("operations") && !child.Attributes().Any():
                    var ops = new YamlSequenceNode();
                    foreach (var op in child.Elements())
                    {
                        if (op.Name.LocalName != "op" || op.HasElements || op.Attribute("name") is null || op.Attribute("interval") is null) return false;
                        var m = new YamlMappingNode();
                        foreach (var a in op.Attributes().Where(a => a.Name.LocalName != "id")) m.Add(a.Name.LocalName, a.Value);
                        if ((string?)op.Attribute("id") != OpId(id, op)) m.Add("id", (string?)op.Attribute("id") ?? "");
                        ops.Add(m);
                    }
                    map.Add("operations", ops);
                    break;
                case "primitive" or "group" or "clone":
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static string OpId(string rsc, XElement op) => $"{rsc}-{(string?)op.Attribute("name")}-interval-{(string?)op.Attribute("interval")}";

    private static YamlMappingNode? GroupNode(XElement g)
    {
        var id = (string?)g.Attribute("id");
        if (id is null || g.Attributes().Count() != 1) return null;
        var map = new YamlMappingNode { { "group", id } };
        if (!AddSets(map, g, id, allowOps: false)) return null;
        var members = new YamlSequenceNode();
        foreach (var p in g.Elements("primitive"))
            if (PrimitiveNode(p) is { } m) members.Add(m);
            else return null;
        map.Add("members", members);
        return map;
    }

    private static YamlMappingNode? CloneNode(XElement c)
    {
        var id = (string?)c.Attribute("id");
        var inner = c.Elements().Where(e => e.Name.LocalName is "primitive" or "group").ToList();
        if (id is null || c.Attributes().Count() != 1 || inner.Count != 1) return null;
        var map = new YamlMappingNode { { "clone", id } };
        if (!AddSets(map, c, id, allowOps: false)) return null;
        if ((inner[0].Name.LocalName == "primitive" ? PrimitiveNode(inner[0]) : GroupNode(inner[0])) is not { } m) return null;
        map.Add("resource", m);
        return map;
    }

    private static readonly Dictionary<string, string[]> ConstraintKeys = new(StringComparer.Ordinal)
    {
        ["rsc_location"] = ["rsc", "node", "score", "role"],
        ["rsc_colocation"] = ["rsc", "with-rsc", "score", "rsc-role", "with-rsc-role"],
        ["rsc_order"] = ["first", "then", "first-action", "then-action", "kind", "symmetrical", "score"],
    };

    private static readonly Dictionary<string, string> ConstraintWords = new(StringComparer.Ordinal)
    {
        ["rsc_location"] = "location", ["rsc_colocation"] = "colocation", ["rsc_order"] = "order",
    };

    private static YamlNode ConstraintNode(XElement c)
    {
        if (!ConstraintKeys.TryGetValue(c.Name.LocalName, out var keys) || c.HasElements || c.Attribute("id") is null
            || c.Attributes().Any(a => a.Name.LocalName != "id" && !keys.Contains(a.Name.LocalName)))
            return Raw(c);
        var map = new YamlMappingNode { { ConstraintWords[c.Name.LocalName], (string)c.Attribute("id")! } };
        foreach (var a in c.Attributes().Where(a => a.Name.LocalName != "id")) map.Add(YamlKey(a.Name.LocalName), a.Value);
        return map;
    }

    /// <summary>Readable keys: "resource" for rsc, "with" for with-rsc; the others as Pacemaker names them.</summary>
    private static string YamlKey(string attribute) => attribute switch { "rsc" => "resource", "with-rsc" => "with", _ => attribute };

    private static string XmlAttribute(string key) => key switch { "resource" => "rsc", "with" => "with-rsc", _ => key };

    private static YamlMappingNode Raw(XElement e) => new(new YamlScalarNode("xml"), Literal(e));

    private static YamlScalarNode Literal(XElement e) =>
        new(e.ToString(SaveOptions.None).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n") { Style = ScalarStyle.Literal };

    // ---- import ----

    /// <summary>
    /// The configuration a file describes, built on <paramref name="current"/>'s (its nodes kept),
    /// or the first error as "FILE:LINE: key 'K': what is wrong".
    /// </summary>
    public static (XElement? Configuration, string? Error) Import(string text, string fileName, XElement current)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(current);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return (null, $"{fileName}:{e.Start.Line}: {e.Message}");
        }
        try
        {
            var config = new XElement("configuration");
            config.Add(new XElement(current.Element("configuration")?.Element("nodes") ?? new XElement("nodes")));
            if (stream.Documents.Count == 0) return (config, null);
            if (stream.Documents[0].RootNode is not YamlMappingNode root)
                throw new ImportException(stream.Documents[0].RootNode, "", "the file must be a map of sections (cluster-properties, resources, ...)");
            string[] known = ["cluster-properties", "resource-defaults", "operation-defaults", "resources", "fencing", "constraints", "other-sections"];
            foreach (var key in root.Children.Keys)
                if (!known.Contains(Scalar(key, "")))
                    throw new ImportException(key, Scalar(key, ""), $"unknown section (known: {string.Join(", ", known)})");
            config.AddFirst(SetSection(root, "cluster-properties", "crm_config", "cluster_property_set", PropertySetId));
            var resources = new XElement("resources");
            foreach (var item in Sequence(root, "resources").Concat(Sequence(root, "fencing")))
                resources.Add(ResourceElement(item));
            config.Add(resources);
            var constraints = new XElement("constraints");
            foreach (var item in Sequence(root, "constraints")) constraints.Add(ConstraintElement(item));
            config.Add(constraints);
            if (SetSection(root, "resource-defaults", "rsc_defaults", "meta_attributes", "rsc_defaults-meta_attributes") is { } rd) config.Add(rd);
            if (SetSection(root, "operation-defaults", "op_defaults", "meta_attributes", "op_defaults-meta_attributes") is { } od) config.Add(od);
            foreach (var item in Sequence(root, "other-sections")) config.Add(RawElement(item, "other-sections"));
            // resource_ref and obj_ref carry references in their id attribute, not ids of their own.
            var ids = config.Descendants().Where(e => e.Name.LocalName is not ("resource_ref" or "obj_ref")).Select(e => (string?)e.Attribute("id")).Where(i => i is not null).GroupBy(i => i).FirstOrDefault(g => g.Count() > 1);
            if (ids is not null) throw new ImportException(root, "id", $"'{ids.Key}' is used twice");
            return (config, null);
        }
        catch (ImportException e)
        {
            return (null, $"{fileName}:{e.Node.Start.Line}: {(e.Key.Length > 0 ? $"key '{e.Key}': " : "")}{e.Message}");
        }
    }

    private sealed class ImportException(YamlNode node, string key, string message) : Exception(message)
    {
        public YamlNode Node { get; } = node;
        public string Key { get; } = key;
    }

    private static string Scalar(YamlNode node, string key) =>
        node is YamlScalarNode s ? s.Value ?? "" : throw new ImportException(node, key, "expected a single value");

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode map, string key)
    {
        if (!map.Children.TryGetValue(key, out var node)) return [];
        if (node is YamlScalarNode { Value: null or "" }) return [];
        return node is YamlSequenceNode s ? s.Children : throw new ImportException(node, key, "expected a list");
    }

    private static YamlMappingNode Mapping(YamlNode node, string key) =>
        node as YamlMappingNode ?? throw new ImportException(node, key, "expected a map (name: value)");

    private static XElement? SetSection(YamlMappingNode root, string key, string section, string setName, string setId)
    {
        if (!root.Children.TryGetValue(key, out var node)) return key == "cluster-properties" ? new XElement(section) : null;
        var map = Mapping(node, key);
        if (map.Children.Count == 1 && map.Children.ContainsKey("xml"))
        {
            var raw = RawElement(map, key);
            if (raw.Name.LocalName != section) throw new ImportException(map, key, $"the xml must be a <{section}> element");
            return raw;
        }
        return new XElement(section, Set(map, key, setName, setId));
    }

    private static XElement Set(YamlMappingNode map, string key, string setName, string setId)
    {
        var set = new XElement(setName, new XAttribute("id", setId));
        foreach (var (k, v) in map.Children)
        {
            var name = Scalar(k, key);
            if (name.Length == 0) throw new ImportException(k, key, "a name is empty");
            set.Add(new XElement("nvpair", new XAttribute("id", $"{setId}-{name}"), new XAttribute("name", name), new XAttribute("value", Scalar(v, name))));
        }
        return set;
    }

    private static XElement RawElement(YamlNode node, string key)
    {
        var map = Mapping(node, key);
        if (!map.Children.TryGetValue("xml", out var xml) || map.Children.Count != 1)
            throw new ImportException(node, key, "expected 'xml: <element>'");
        try
        {
            return XElement.Parse(Scalar(xml, "xml"));
        }
        catch (System.Xml.XmlException e)
        {
            throw new ImportException(xml, "xml", e.Message);
        }
    }

    private static XElement ResourceElement(YamlNode node)
    {
        var map = Mapping(node, "resources");
        if (map.Children.ContainsKey("xml")) return RawElement(map, "resources");
        if (map.Children.ContainsKey("primitive")) return PrimitiveElement(map);
        if (map.Children.TryGetValue("group", out var g))
        {
            var id = Scalar(g, "group");
            Only(map, ["group", "meta", "members"]);
            var group = new XElement("group", new XAttribute("id", id));
            AddMeta(group, map, id);
            foreach (var m in map.Children.TryGetValue("members", out var ms) && ms is YamlSequenceNode seq ? seq.Children
                         : throw new ImportException(map, "members", $"group '{id}' needs a list of members"))
                group.Add(PrimitiveElement(Mapping(m, "members")));
            return group;
        }
        if (map.Children.TryGetValue("clone", out var c))
        {
            var id = Scalar(c, "clone");
            Only(map, ["clone", "meta", "resource"]);
            var clone = new XElement("clone", new XAttribute("id", id));
            AddMeta(clone, map, id);
            if (!map.Children.TryGetValue("resource", out var inner)) throw new ImportException(map, "resource", $"clone '{id}' needs its resource");
            clone.Add(ResourceElement(inner));
            return clone;
        }
        throw new ImportException(map, "resources", "each item needs one of primitive, group, clone or xml");
    }

    private static void Only(YamlMappingNode map, string[] keys)
    {
        foreach (var k in map.Children.Keys)
            if (!keys.Contains(Scalar(k, "")))
                throw new ImportException(k, Scalar(k, ""), $"unknown key here (known: {string.Join(", ", keys)})");
    }

    private static void AddMeta(XElement owner, YamlMappingNode map, string id)
    {
        if (map.Children.TryGetValue("meta", out var meta))
            owner.Add(Set(Mapping(meta, "meta"), "meta", "meta_attributes", $"{id}-meta_attributes"));
    }

    private static XElement PrimitiveElement(YamlMappingNode map)
    {
        Only(map, ["primitive", "agent", "params", "meta", "operations"]);
        var id = Scalar(map.Children["primitive"], "primitive");
        if (id.Length == 0) throw new ImportException(map, "primitive", "the id is empty");
        if (!map.Children.TryGetValue("agent", out var agentNode)) throw new ImportException(map, "agent", $"primitive '{id}' needs an agent (standard:provider:type)");
        var agent = Scalar(agentNode, "agent").Split(':');
        if (agent.Length is < 2 or > 3 || agent.Any(a => a.Length == 0) || (agent[0] == "ocf") != (agent.Length == 3))
            throw new ImportException(agentNode, "agent", $"'{string.Join(':', agent)}' is not standard:provider:type (ocf) or standard:type");
        var p = new XElement("primitive", new XAttribute("id", id), new XAttribute("class", agent[0]), new XAttribute("type", agent[^1]));
        if (agent.Length == 3) p.Add(new XAttribute("provider", agent[1]));
        if (map.Children.TryGetValue("params", out var ps))
            p.Add(Set(Mapping(ps, "params"), "params", "instance_attributes", $"{id}-instance_attributes"));
        AddMeta(p, map, id);
        if (map.Children.TryGetValue("operations", out var opsNode))
        {
            var ops = new XElement("operations");
            foreach (var o in opsNode as YamlSequenceNode is { } seq ? seq.Children : throw new ImportException(opsNode, "operations", "expected a list"))
            {
                var om = Mapping(o, "operations");
                var op = new XElement("op");
                string? opId = null;
                foreach (var (k, v) in om.Children)
                {
                    var name = Scalar(k, "operations");
                    if (name == "id") opId = Scalar(v, "id");
                    else op.Add(new XAttribute(name, Scalar(v, name)));
                }
                if (op.Attribute("name") is null || op.Attribute("interval") is null)
                    throw new ImportException(om, "operations", $"an operation of '{id}' needs name and interval");
                op.Add(new XAttribute("id", opId ?? OpId(id, op)));
                ops.Add(op);
            }
            p.Add(ops);
        }
        return p;
    }

    private static XElement ConstraintElement(YamlNode node)
    {
        var map = Mapping(node, "constraints");
        if (map.Children.ContainsKey("xml")) return RawElement(map, "constraints");
        var (word, element) = ConstraintWords.Select(w => (w.Value, w.Key)).FirstOrDefault(w => map.Children.ContainsKey(w.Value));
        if (word is null) throw new ImportException(map, "constraints", "each item needs one of location, colocation, order or xml");
        var c = new XElement(element, new XAttribute("id", Scalar(map.Children[word], word)));
        var allowed = ConstraintKeys[element].Select(YamlKey).ToList();
        foreach (var (k, v) in map.Children)
        {
            var key = Scalar(k, "constraints");
            if (key == word) continue;
            if (!allowed.Contains(key)) throw new ImportException(k, key, $"unknown key for a {word} constraint (known: {string.Join(", ", allowed)})");
            c.Add(new XAttribute(XmlAttribute(key), Scalar(v, key)));
        }
        string[] required = element switch { "rsc_location" => ["resource", "node", "score"], "rsc_colocation" => ["resource", "with"], _ => ["first", "then"] };
        foreach (var r in required)
            if (c.Attribute(XmlAttribute(r)) is null) throw new ImportException(map, r, $"the {word} constraint '{(string?)c.Attribute("id")}' needs '{r}'");
        return c;
    }

    /// <summary>The lines of <paramref name="after"/> that are new (+) and of <paramref name="before"/> that are gone (-), as a unified-style listing.</summary>
    public static IReadOnlyList<string> Difference(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        string[] a = before.Split('\n'), b = after.Split('\n');
        // Longest common subsequence on lines: files are small (a configuration).
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var lines = new List<string>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { x++; y++; }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1])) lines.Add("-" + a[x++]);
            else lines.Add("+" + b[y++]);
        }
        return lines;
    }
}
