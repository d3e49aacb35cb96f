using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>
/// A parsed CIB: typed, immutable view over the configuration and status. The source XML is
/// kept (as a private copy) so the document can be written back unchanged or patched; when the
/// CIB was read from text or a file, that copy is only built on first use of <see cref="Source"/>
/// (the scheduler never needs it, and for a large status section it costs ten times the file).
/// </summary>
public sealed record CibDocument(
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
    private XElement? _source = Source;
    private Func<XElement>? _loadSource;
    // The readers that do not build the document keep the <configuration> element (with line
    // numbers) they read, so validation need not build the document either.
    private XElement? _configuration;
    private bool _configurationKnown;

    /// <summary>The CIB document (built from the retained text on first use when read by streaming).</summary>
    public XElement Source
    {
        get => _source ?? LoadSource();
        init
        {
            _source = value;
            _loadSource = null;
            _configurationKnown = false;
        }
    }

    /// <summary>The &lt;configuration&gt; element with line numbers, without building the whole document when a reader kept it.</summary>
    internal XElement? ConfigurationElement => _configurationKnown ? _configuration : Source.Element(Source.Name.Namespace + "configuration");

    /// <summary>A CIB read by streaming: <paramref name="loadSource"/> builds the document when asked for.</summary>
    internal CibDocument(CibVersion version, IReadOnlyDictionary<string, string> rootAttributes, XElement? configuration,
        IReadOnlyList<NodeStatus> status, Func<XElement> loadSource)
        : this(version, rootAttributes, ParseConfiguration(configuration), status, loadSource)
    {
        _configuration = configuration;
        _configurationKnown = true;
    }

    private CibDocument(CibVersion version, IReadOnlyDictionary<string, string> rootAttributes, ConfigurationSection config,
        IReadOnlyList<NodeStatus> status, Func<XElement> loadSource)
        : this(version, rootAttributes, config.ClusterProperties, config.Nodes, config.Resources, config.Constraints,
            config.RscDefaults, config.OpDefaults, status, null!)
    {
        _loadSource = loadSource;
    }

    private XElement LoadSource()
    {
        var load = _loadSource ?? throw new InvalidOperationException("CIB without source document");
        // Two threads may both build it; one copy wins and both see that one.
        Interlocked.CompareExchange(ref _source, load(), null);
        return _source!;
    }

    public bool? HaveQuorum => RootAttributes.TryGetValue("have-quorum", out var q) ? Truth.IsTrue(q) : null;

    /// <summary>Parses CIB XML text; malformed XML gives a <see cref="CibParseException"/> naming line and position.</summary>
    public static CibDocument Parse(string xml) => CibStreamReader.Read(() => new StringReader(xml));

    public static CibDocument Load(string path)
    {
        // Read with a cap, stopping at the first byte that cannot be XML (-x /dev/zero).
        if (path != "-")
            return FromCheckedBytes(CappedCibInput.ReadFile(path), path);
        var text = CappedCibInput.ReadText(Console.In);
        return Named(path, () => Parse(text));
    }

    /// <summary>
    /// Reads a CIB from the bytes of a file called <paramref name="name"/> (in messages). The bytes
    /// stay with the model (one copy of the file, not a DOM) in case Source is asked for.
    /// </summary>
    public static CibDocument FromBytes(byte[] bytes, string name)
    {
        CappedCibInput.Check(bytes, name);
        return FromCheckedBytes(bytes, name);
    }

    /// <summary>As <see cref="FromBytes"/>, for bytes <see cref="CappedCibInput"/> has checked as it read them.</summary>
    private static CibDocument FromCheckedBytes(byte[] bytes, string name)
    {
        TextReader Open() => new StreamReader(new MemoryStream(bytes, writable: false), detectEncodingFromByteOrderMarks: true);
        // Files as Pacemaker writes them take the fast path; anything else (or malformed) the standard reader.
        return Named(name, () => Utf8CibReader.TryRead(bytes, Open) ?? CibStreamReader.Read(Open));
    }

    private static CibDocument Named(string name, Func<CibDocument> read)
    {
        try
        {
            return read();
        }
        catch (CibParseException e) when (e.Errors.Count == 0)
        {
            throw new CibParseException($"{name}: {e.Message}", e);
        }
    }

    /// <summary>Builds the model from a copy of <paramref name="source"/> (later changes to it do not leak in).</summary>
    public static CibDocument FromElement(XElement source) => Build(new XElement(source), withStatus: true);

    /// <summary>
    /// The model of <paramref name="root"/>'s configuration alone, without copying it: for a
    /// validation that reads the document at once and keeps nothing (the verifier never looks at
    /// the status section, which is most of a running cluster's CIB).
    /// </summary>
    public static CibDocument ConfigurationOf(XElement root) => Build(root, withStatus: false);

    private static CibDocument Build(XElement root, bool withStatus)
    {
        var source = root;
        if (root.Name.LocalName != "cib")
            throw new CibParseException([new CibError(root.Name.LocalName, null, "the document element must be <cib>", Line(source))]);
        var ns = root.Name.Namespace;
        var attrs = root.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value, StringComparer.Ordinal);
        var config = ParseConfiguration(root.Element(ns + "configuration"));
        var status = new List<NodeStatus>();
        if (withStatus && root.Element(ns + "status") is { } st)
            foreach (var s in st.Elements(ns + "node_state"))
                status.Add(ParseNodeState(s));
        return new CibDocument(VersionOf(attrs), attrs, config.ClusterProperties, config.Nodes, config.Resources,
            config.Constraints, config.RscDefaults, config.OpDefaults, status, root);
    }

    internal static CibVersion VersionOf(IReadOnlyDictionary<string, string> attrs)
    {
        long L(string n) => attrs.TryGetValue(n, out var v) && long.TryParse(v, out var x) ? x : 0;
        return new CibVersion(L("admin_epoch"), L("epoch"), L("num_updates"));
    }

    /// <summary>The model of &lt;configuration&gt; (the same for the DOM and the streaming reader).</summary>
    internal static ConfigurationSection ParseConfiguration(XElement? config)
    {
        var props = new List<NvSet>();
        var nodes = new List<CibNode>();
        var resources = new List<CibResource>();
        var constraints = new List<CibConstraint>();
        IReadOnlyList<NvSet> rscDefaults = [], opDefaults = [];
        if (config is not null)
        {
            var ns = config.Name.Namespace;
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
        return new ConfigurationSection(props, nodes, resources, constraints, rscDefaults, opDefaults);
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
            [.. s.Elements(s.Name.Namespace + "resource_ref").Select(x => A(x, "id") ?? "")]) { Ordering = A(s, "ordering") })];

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
                var ops = r.Elements(ns + "lrm_rsc_op")
                    .Select(o => LrmOp.FromAttributes(AttributeMap.From(o.Attributes().Select(a => KeyValuePair.Create(a.Name.LocalName, a.Value)))))
                    .ToList();
                lrmResources.Add(new LrmResource(A(r, "id") ?? "", A(r, "class"), A(r, "provider"), A(r, "type"), ops));
            }
        return new NodeStatus(A(s, "id") ?? "", A(s, "uname"), A(s, "in_ccm"), A(s, "crmd"), A(s, "join"), A(s, "expected"),
            transient, lrmResources, lrm is not null);
    }
}
