using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>
/// A parsed CIB: typed, immutable view over the configuration and status. The source XML is
/// kept (as a private copy) so the document can be written back unchanged or patched.
/// </summary>
public sealed record Cib(
    CibVersion Version,
    IReadOnlyDictionary<string, string> RootAttributes,
    IReadOnlyList<NvSet> ClusterProperties,
    IReadOnlyList<CibNode> Nodes,
    IReadOnlyList<CibResource> Resources,
    IReadOnlyList<CibConstraint> Constraints,
    IReadOnlyList<NvSet> RscDefaults,
    IReadOnlyList<NvSet> OpDefaults,
    IReadOnlyList<NodeStatus> Status,
    XElement Source)
{
    public bool? HaveQuorum => RootAttributes.TryGetValue("have-quorum", out var q) ? Truth.IsTrue(q) : null;

    /// <summary>Parses CIB XML text; malformed XML gives a <see cref="CibParseException"/> naming line and position.</summary>
    public static Cib Parse(string xml)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new CibParseException($"malformed XML: {e.Message}", e);
        }
        return Build(root);
    }

    public static Cib Load(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CibParseException($"cannot read {path}: {e.Message}", e);
        }
        try
        {
            return Parse(text);
        }
        catch (CibParseException e) when (e.Errors.Count == 0)
        {
            throw new CibParseException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Builds the model from a copy of <paramref name="source"/> (later changes to it do not leak in).</summary>
    public static Cib FromElement(XElement source) => Build(new XElement(source));

    private static Cib Build(XElement root)
    {
        var source = root;
        if (root.Name.LocalName != "cib")
            throw new CibParseException([new CibError(root.Name.LocalName, null, "the document element must be <cib>", Line(source))]);
        var ns = root.Name.Namespace;
        var config = root.Element(ns + "configuration");
        var attrs = root.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value, StringComparer.Ordinal);
        long L(string n) => attrs.TryGetValue(n, out var v) && long.TryParse(v, out var x) ? x : 0;

        var props = new List<NvSet>();
        var nodes = new List<CibNode>();
        var resources = new List<CibResource>();
        var constraints = new List<CibConstraint>();
        IReadOnlyList<NvSet> rscDefaults = [], opDefaults = [];
        if (config is not null)
        {
            if (config.Element(ns + "crm_config") is { } cc) props.AddRange(NvSet.ParseAll(cc, "cluster_property_set"));
            if (config.Element(ns + "nodes") is { } ns2)
                foreach (var n in ns2.Elements(ns + "node"))
                    nodes.Add(new CibNode((string?)n.Attribute("id") ?? "", (string?)n.Attribute("uname") ?? (string?)n.Attribute("id") ?? "",
                        (string?)n.Attribute("type") ?? "member", NvSet.ParseAll(n, "instance_attributes"), NvSet.ParseAll(n, "utilization")));
            if (config.Element(ns + "resources") is { } rs)
                foreach (var r in rs.Elements())
                    if (ParseResource(r) is { } res) resources.Add(res);
            if (config.Element(ns + "constraints") is { } cs)
                foreach (var c in cs.Elements())
                    if (ParseConstraint(c) is { } con) constraints.Add(con);
            rscDefaults = NvSet.ParseAll(config.Element(ns + "rsc_defaults"), "meta_attributes");
            opDefaults = NvSet.ParseAll(config.Element(ns + "op_defaults"), "meta_attributes");
        }
        var status = new List<NodeStatus>();
        if (root.Element(ns + "status") is { } st)
            foreach (var s in st.Elements(ns + "node_state"))
                status.Add(ParseNodeState(s));
        return new Cib(new CibVersion(L("admin_epoch"), L("epoch"), L("num_updates")), attrs, props, nodes, resources,
            constraints, rscDefaults, opDefaults, status, root);
    }

    /// <summary>The XML text of this CIB (the source document, unchanged).</summary>
    public string ToXml() => Source.ToString(SaveOptions.None);

    internal static int Line(XElement e) => ((IXmlLineInfo)e).HasLineInfo() ? ((IXmlLineInfo)e).LineNumber : 0;

    private static string? A(XElement e, string n) => (string?)e.Attribute(n);

    private static CibResource? ParseResource(XElement r) => r.Name.LocalName switch
    {
        "primitive" => ParsePrimitive(r),
        "group" => new CibGroup(A(r, "id") ?? "", NvSet.ParseAll(r, "meta_attributes"), NvSet.ParseAll(r, "instance_attributes"),
            [.. r.Elements(r.Name.Namespace + "primitive").Select(ParsePrimitive)]),
        "clone" or "master" => r.Elements().Where(c => c.Name.LocalName is "primitive" or "group").Select(ParseResource).FirstOrDefault() is { } child
            ? new CibClone(A(r, "id") ?? "", NvSet.ParseAll(r, "meta_attributes"), NvSet.ParseAll(r, "instance_attributes"), child, r.Name.LocalName == "master")
            : null,
        _ => null,
    };

    private static CibPrimitive ParsePrimitive(XElement p)
    {
        var ns = p.Name.Namespace;
        var ops = new List<CibOperation>();
        if (p.Element(ns + "operations") is { } os)
            foreach (var o in os.Elements(ns + "op"))
            {
                var interval = A(o, "interval") ?? "0";
                ops.Add(new CibOperation(A(o, "id") ?? "", A(o, "name") ?? "", interval, Duration.ParseMs(interval) ?? 0,
                    A(o, "role"), A(o, "on-fail"), Truth.IsTrue(A(o, "enabled") ?? "true"),
                    o.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value, StringComparer.Ordinal),
                    NvSet.ParseAll(o, "meta_attributes"), NvSet.ParseAll(o, "instance_attributes")));
            }
        return new CibPrimitive(A(p, "id") ?? "", A(p, "class") ?? "", A(p, "provider"), A(p, "type") ?? "",
            NvSet.ParseAll(p, "meta_attributes"), NvSet.ParseAll(p, "instance_attributes"), NvSet.ParseAll(p, "utilization"), ops);
    }

    private static bool? B(XElement e, string n) => A(e, n) is { } v ? Truth.IsTrue(v) : null;

    private static IReadOnlyList<ResourceSet> Sets(XElement c) =>
        [.. c.Elements(c.Name.Namespace + "resource_set").Select(s => new ResourceSet(A(s, "id") ?? "",
            B(s, "sequential") ?? true, B(s, "require-all") ?? true, A(s, "action"), A(s, "role"), A(s, "score"), A(s, "kind"),
            [.. s.Elements(s.Name.Namespace + "resource_ref").Select(x => A(x, "id") ?? "")]))];

    private static CibConstraint? ParseConstraint(XElement c) => c.Name.LocalName switch
    {
        "rsc_location" => new LocationConstraint(A(c, "id") ?? "", A(c, "rsc"), A(c, "rsc-pattern"), A(c, "node"), A(c, "score"),
            A(c, "role"), A(c, "resource-discovery"), [.. c.Elements(c.Name.Namespace + "rule").Select(Rule.Parse)], Sets(c)),
        "rsc_colocation" => new ColocationConstraint(A(c, "id") ?? "", A(c, "rsc"), A(c, "with-rsc"), A(c, "score"),
            A(c, "rsc-role"), A(c, "with-rsc-role"), A(c, "node-attribute"), B(c, "influence"), Sets(c)),
        "rsc_order" => new OrderConstraint(A(c, "id") ?? "", A(c, "first"), A(c, "then"), A(c, "first-action"), A(c, "then-action"),
            A(c, "kind"), A(c, "score"), B(c, "symmetrical"), B(c, "require-all"), Sets(c)),
        _ => null,
    };

    private static NodeStatus ParseNodeState(XElement s)
    {
        var ns = s.Name.Namespace;
        var transient = new List<NvSet>();
        if (s.Element(ns + "transient_attributes") is { } t) transient.AddRange(NvSet.ParseAll(t, "instance_attributes"));
        var lrmResources = new List<LrmResource>();
        var lrm = s.Element(ns + "lrm");
        if (lrm?.Element(ns + "lrm_resources") is { } lr)
            foreach (var r in lr.Elements(ns + "lrm_resource"))
            {
                var ops = r.Elements(ns + "lrm_rsc_op").Select(o => new LrmOp(
                    A(o, "id") ?? "", A(o, "operation") ?? "", A(o, "operation_key"),
                    long.TryParse(A(o, "interval"), out var iv) ? iv : 0,
                    int.TryParse(A(o, "call-id"), out var cid) ? cid : -1,
                    int.TryParse(A(o, "rc-code"), out var rc) ? rc : 0,
                    int.TryParse(A(o, "op-status"), out var os) ? os : 0,
                    A(o, "op-digest"), A(o, "transition-key"), A(o, "transition-magic"),
                    long.TryParse(A(o, "last-rc-change"), out var lrc) ? lrc : (long.TryParse(A(o, "last-run"), out var lrun) ? lrun : 0),
                    A(o, "exit-reason"),
                    o.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value, StringComparer.Ordinal))).ToList();
                lrmResources.Add(new LrmResource(A(r, "id") ?? "", A(r, "class"), A(r, "provider"), A(r, "type"), ops));
            }
        return new NodeStatus(A(s, "id") ?? "", A(s, "uname"), A(s, "in_ccm"), A(s, "crmd"), A(s, "join"), A(s, "expected"),
            transient, lrmResources, lrm is not null);
    }
}
