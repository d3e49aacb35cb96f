using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>
/// Reads a CIB document in one forward pass. The configuration (small, rich structure) is loaded
/// as an element and modelled by the same code as <see cref="CibDocument.FromElement"/>; the status
/// section (for a large cluster nodes x resources history entries, most of the file) goes
/// straight from the reader into the model with interned values and shared attribute-name
/// arrays, never through a DOM. The document itself is only built if
/// <see cref="CibDocument.Source"/> is used.
/// </summary>
internal sealed class CibStreamReader
{
    private readonly XmlReader _reader;
    private readonly StringPool _pool = new();
    private readonly AttributeShapes _shapes = new();
    private readonly List<string> _names = [];
    private readonly List<string> _values = [];

    // Element and attribute names, atomized in the reader's name table so they compare by reference.
    private readonly string _cib, _configuration, _status, _nodeState, _transientAttributes, _lrm, _lrmResources, _lrmResource, _lrmRscOp;

    private CibStreamReader(XmlReader reader)
    {
        _reader = reader;
        var names = reader.NameTable;
        _cib = names.Add("cib");
        _configuration = names.Add("configuration");
        _status = names.Add("status");
        _nodeState = names.Add("node_state");
        _transientAttributes = names.Add("transient_attributes");
        _lrm = names.Add("lrm");
        _lrmResources = names.Add("lrm_resources");
        _lrmResource = names.Add("lrm_resource");
        _lrmRscOp = names.Add("lrm_rsc_op");
    }

    /// <summary>The reader settings <see cref="XElement.Parse(string, LoadOptions)"/> uses, so both readers accept the same documents.</summary>
    private static XmlReaderSettings Settings() => new()
    {
        IgnoreWhitespace = true,
        DtdProcessing = DtdProcessing.Parse,
        MaxCharactersFromEntities = 10_000_000,
    };

    /// <summary>Reads the document <paramref name="open"/> gives; <see cref="CibDocument.Source"/> opens it again when used.</summary>
    public static CibDocument Read(Func<TextReader> open)
    {
        try
        {
            using var text = open();
            using var reader = new DepthLimitedXmlReader(XmlReader.Create(text, Settings()));
            return new CibStreamReader(reader).ReadDocument(() =>
            {
                using var again = open();
                return XElement.Load(again, LoadOptions.SetLineInfo);
            });
        }
        catch (XmlException e)
        {
            throw new CibParseException($"malformed XML: {e.Message}", e);
        }
    }

    private int Line => ((IXmlLineInfo)_reader).LineNumber;

    private CibDocument ReadDocument(Func<XElement> loadSource)
    {
        var r = _reader;
        r.MoveToContent();
        if (!ReferenceEquals(r.LocalName, _cib))
        {
            var name = r.LocalName;
            var line = Line;
            while (r.Read())
            {
                // A malformed document is reported as such, as the DOM reader does.
            }
            throw new CibParseException([new CibError(name, null, "the document element must be <cib>", line)]);
        }
        var ns = r.NamespaceURI;
        var attrs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.MoveToFirstAttribute())
        {
            do attrs[r.LocalName] = r.Value;
            while (r.MoveToNextAttribute());
            r.MoveToElement();
        }
        XElement? configuration = null;
        List<NodeStatus>? status = null;
        ForEachChild(() =>
        {
            if (r.NamespaceURI == ns && ReferenceEquals(r.LocalName, _configuration) && configuration is null)
                configuration = LoadElement();
            else if (r.NamespaceURI == ns && ReferenceEquals(r.LocalName, _status) && status is null)
                status = ReadStatus(ns);
            else
                r.Skip();
        });
        while (r.Read())
        {
            // Trailing comments or processing instructions; anything else is an XmlException.
        }
        return new CibDocument(CibDocument.VersionOf(attrs), attrs, configuration, status ?? [], loadSource);
    }

    /// <summary>
    /// Calls <paramref name="onChild"/> with the reader on each child element of the current
    /// element; it must leave the reader after that child. Ends after the current element.
    /// </summary>
    private void ForEachChild(Action onChild)
    {
        var r = _reader;
        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }
        var depth = r.Depth;
        r.Read();
        while (!r.EOF && !(r.NodeType == XmlNodeType.EndElement && r.Depth == depth))
        {
            if (r.NodeType == XmlNodeType.Element) onChild();
            else r.Read();
        }
        r.Read();
    }

    /// <summary>The current element as a DOM element with line numbers; the reader ends after it.</summary>
    private XElement LoadElement()
    {
        XElement e;
        using (var sub = _reader.ReadSubtree())
            e = XElement.Load(sub, LoadOptions.SetLineInfo);
        // The subtree reader leaves the outer one on the element's end (or on an empty element).
        _reader.Read();
        return e;
    }

    private List<NodeStatus> ReadStatus(string ns)
    {
        var r = _reader;
        var states = new List<NodeStatus>();
        ForEachChild(() =>
        {
            if (r.NamespaceURI == ns && ReferenceEquals(r.LocalName, _nodeState)) states.Add(ReadNodeState(ns));
            else r.Skip();
        });
        return states;
    }

    private NodeStatus ReadNodeState(string ns)
    {
        var r = _reader;
        var a = ReadAttributes();
        IReadOnlyList<NvSet> transient = [];
        bool seenTransient = false, hasLrm = false;
        List<LrmResource> resources = [];
        ForEachChild(() =>
        {
            if (r.NamespaceURI != ns) r.Skip();
            else if (ReferenceEquals(r.LocalName, _transientAttributes) && !seenTransient)
            {
                seenTransient = true;
                transient = NvSet.ParseAll(LoadElement(), "instance_attributes");
            }
            else if (ReferenceEquals(r.LocalName, _lrm) && !hasLrm)
            {
                hasLrm = true;
                resources = ReadLrm(ns);
            }
            else r.Skip();
        });
        return new NodeStatus(a.Get("id") ?? "", a.Get("uname"), a.Get("in_ccm"), a.Get("crmd"), a.Get("join"), a.Get("expected"),
            transient, resources, hasLrm);
    }

    private List<LrmResource> ReadLrm(string ns)
    {
        var r = _reader;
        var resources = new List<LrmResource>();
        var seen = false;
        ForEachChild(() =>
        {
            if (r.NamespaceURI == ns && ReferenceEquals(r.LocalName, _lrmResources) && !seen)
            {
                seen = true;
                ForEachChild(() =>
                {
                    if (r.NamespaceURI == ns && ReferenceEquals(r.LocalName, _lrmResource)) resources.Add(ReadLrmResource(ns));
                    else r.Skip();
                });
            }
            else r.Skip();
        });
        return resources;
    }

    private LrmResource ReadLrmResource(string ns)
    {
        var r = _reader;
        var a = ReadAttributes();
        var ops = new List<LrmOp>();
        ForEachChild(() =>
        {
            if (r.NamespaceURI == ns && ReferenceEquals(r.LocalName, _lrmRscOp))
            {
                ops.Add(LrmOp.FromAttributes(ReadAttributes()));
                r.Skip();
            }
            else r.Skip();
        });
        return new LrmResource(a.Get("id") ?? "", a.Get("class"), a.Get("provider"), a.Get("type"), ops);
    }

    /// <summary>The current element's attributes (local names, first occurrence wins), values interned; the reader stays on the element.</summary>
    private AttributeMap ReadAttributes()
    {
        var r = _reader;
        _names.Clear();
        _values.Clear();
        if (r.MoveToFirstAttribute())
        {
            do
            {
                var name = r.LocalName;
                if (_names.Contains(name)) continue;
                _names.Add(name);
                _values.Add(_pool.Intern(r.Value));
            }
            while (r.MoveToNextAttribute());
            r.MoveToElement();
        }
        return _names.Count == 0 ? AttributeMap.Empty : new AttributeMap(_shapes.Get(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_names)), [.. _values]);
    }
}
