using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>
/// The fast reader of a CIB file: one pass over the UTF-8 bytes. The status section of a large
/// cluster (nodes x resources history entries, nearly all of a 200 MB file) goes straight into
/// the model: typed fields parsed from the bytes, repeated values pooled, the remaining
/// attributes of each history entry decoded only if asked for. The configuration and transient
/// attributes (small, rich structure) are cut out and read by <see cref="XElement"/> as before.
/// <para>
/// It accepts only the XML that Pacemaker writes: UTF-8, no DOCTYPE, CDATA, processing
/// instructions or namespaces, no text content, only the five predefined entities. It checks
/// well-formedness itself (tag nesting, attribute syntax, duplicates, comments, characters);
/// anything outside that subset, malformed or not, makes <see cref="TryRead"/> return null and
/// the caller reads the document with <see cref="XmlReader"/>, which gives the exact answer or
/// error. So this reader never accepts a document the standard reader rejects.
/// </para>
/// </summary>
internal sealed class Utf8CibReader
{
    private static readonly SearchValues<byte> BadControls = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    private static readonly SearchValues<byte> ValueSpecial = SearchValues.Create("<&\t\n\r"u8);
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\n\r"u8);

    private enum Kind : byte
    {
        Other,
        Cib,
        Configuration,
        Status,
        NodeState,
        TransientAttributes,
        Lrm,
        LrmResources,
        LrmResource,
        LrmRscOp,
    }

    private struct Attr
    {
        public int NameStart, NameLength, ValueStart, ValueLength;
        public bool Decode;
    }

    /// <summary>The attribute names of history entries of one layout, and where each typed field is.</summary>
    private sealed class OpShape(string[] names, byte[][] nameBytes, int[] fields)
    {
        public readonly string[] Names = names;
        public readonly byte[][] NameBytes = nameBytes;
        public readonly int[] Fields = fields;
    }

    // Typed fields of <lrm_rsc_op>, in OpFieldNames order.
    private const int FId = 0, FOperation = 1, FOperationKey = 2, FInterval = 3, FCallId = 4, FRcCode = 5, FOpStatus = 6,
        FOpDigest = 7, FTransitionKey = 8, FTransitionMagic = 9, FLastRcChange = 10, FLastRun = 11, FExitReason = 12;

    private static readonly string[] OpFieldNames =
        ["id", "operation", "operation_key", "interval", "call-id", "rc-code", "op-status", "op-digest", "transition-key",
            "transition-magic", "last-rc-change", "last-run", "exit-reason"];

    private readonly byte[] _doc;
    private int _pos;
    private readonly Utf8StringPool _pool = new();
    private Attr[] _attrs = new Attr[32];
    private int _attrCount;
    private int _attrRegionStart, _attrRegionEnd;
    private readonly List<OpShape> _opShapes = [];
    private int _lastShape;

    // Model under construction.
    private int _configStart = -1, _configEnd = -1;
    private bool _seenConfiguration, _seenStatus;
    private readonly List<NodeStatus> _status = [];
    private NodeStatusBuilder? _node;
    private readonly List<LrmOp> _ops = [];
    private string _rscId = "";
    private string? _rscClass, _rscProvider, _rscType;
    private int _transientStart;

    private sealed class NodeStatusBuilder
    {
        public string Id = "";
        public string? Uname, InCcm, Crmd, Join, Expected;
        public IReadOnlyList<NvSet> Transient = [];
        public bool SeenTransient, HasLrm, SeenLrmResources;
        public readonly List<LrmResource> Resources = [];
    }

    private Utf8CibReader(byte[] doc, int parallelFrom)
    {
        _doc = doc;
        _parallelFrom = parallelFrom;
    }

    /// <summary>A status section this large (bytes) is read on two threads.</summary>
    internal const int ParallelStatusBytes = 8 << 20;

    /// <summary>The model of <paramref name="document"/>, or null when it is outside the subset (or malformed).</summary>
    public static CibDocument? TryRead(byte[] document, Func<TextReader> open) => TryRead(document, open, ParallelStatusBytes);

    /// <summary><see cref="TryRead(byte[], Func{TextReader})"/> with the status size from which two threads read it (tests use 0).</summary>
    internal static CibDocument? TryRead(byte[] document, Func<TextReader> open, int parallelFrom)
    {
        if (!CharactersAreXml(document)) return null;
        var reader = new Utf8CibReader(document, parallelFrom);
        return reader.ReadDocument(open, out var cib) ? cib : null;
    }

    /// <summary>Only characters XML allows: no C0 controls but tab/newline/return, valid UTF-8, no U+FFFE/U+FFFF.</summary>
    private static bool CharactersAreXml(ReadOnlySpan<byte> doc)
    {
        if (doc.IndexOfAny(BadControls) >= 0) return false;
        if (Ascii.IsValid(doc)) return true;
        return Utf8.IsValid(doc) && doc.IndexOf("\xEF\xBF\xBE"u8) < 0 && doc.IndexOf("\xEF\xBF\xBF"u8) < 0;
    }

    private bool ReadDocument(Func<TextReader> open, out CibDocument? cib)
    {
        cib = null;
        var doc = _doc;
        if (doc.AsSpan().StartsWith("\xEF\xBB\xBF"u8)) _pos = 3;
        if (doc.AsSpan(_pos).StartsWith("<?xml"u8) && !ReadDeclaration()) return false;
        if (!SkipMisc()) return false;
        if (_pos >= doc.Length || doc[_pos] != '<') return false;

        // The root element.
        var tagStart = _pos;
        if (!ReadStartTag(out var nameStart, out var nameLength, out var selfClosing)) return false;
        if (!doc.AsSpan(nameStart, nameLength).SequenceEqual("cib"u8)) return false; // the standard reader reports it
        if (!NoDuplicateAttributes()) return false;
        var rootAttrs = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _attrCount; i++)
        {
            var name = Name(i);
            if (name.StartsWith("xmlns", StringComparison.Ordinal)) return false; // namespaces: the standard reader
            rootAttrs[name] = Value(i, pooled: false);
        }

        var stack = new ElementStack();
        if (!selfClosing) stack.Push(nameStart, nameLength, Kind.Cib);
        // A document that ends with elements still open is malformed: the standard reader says where.
        if (!ReadElements(stack, 0, doc.Length) || stack.Count != 0) return false;
        if (!SkipMisc() || _pos != doc.Length) return false;

        XElement? configuration = null;
        if (_configStart >= 0)
        {
            configuration = LoadFragment(_configStart, _configEnd, withLines: true);
            if (configuration is null) return false;
        }
        cib = new CibDocument(CibDocument.VersionOf(rootAttrs), rootAttrs, configuration, _status, () =>
        {
            using var again = open();
            return XElement.Load(again, LoadOptions.SetLineInfo);
        });
        return true;
    }

    /// <summary>Open elements: name (as a range of the document) and kind.</summary>
    private sealed class ElementStack
    {
        private readonly List<(int Start, int Length, Kind Kind)> _items = [];

        public int Count => _items.Count;

        public (int Start, int Length, Kind Kind) Top => _items[^1];

        public void Push(int start, int length, Kind kind) => _items.Add((start, length, kind));

        public void Pop() => _items.RemoveAt(_items.Count - 1);
    }

    /// <summary>
    /// Reads tags until the open elements are down to <paramref name="depth"/> or the reader reaches
    /// <paramref name="limit"/> (a chunk of the status section ends there, after whitespace only).
    /// </summary>
    private bool ReadElements(ElementStack stack, int depth, int limit)
    {
        var doc = _doc;
        while (stack.Count > depth && _pos < limit)
        {
            // Between tags only whitespace (Pacemaker writes no text content).
            var rest = doc.AsSpan(_pos, limit - _pos);
            var lt = rest.IndexOf((byte)'<');
            if (lt < 0)
            {
                if (limit == doc.Length || rest.IndexOfAnyExcept(Whitespace) >= 0) return false;
                _pos = limit;
                break;
            }
            if (lt > 0 && rest[..lt].IndexOfAnyExcept(Whitespace) >= 0) return false;
            _pos += lt;
            if (_pos == _splitAt)
            {
                // The rest of the status section is read by another thread; it must start at this level.
                if (stack.Top.Kind != Kind.Status) return false;
                _splitAt = -1;
                _pos = _resumeAt;
                continue;
            }
            if (_pos + 1 >= doc.Length) return false;
            var next = doc[_pos + 1];
            if (next == '/')
            {
                var (start, length, kind) = stack.Top;
                if (!ReadEndTag(start, length)) return false;
                stack.Pop();
                if (!End(kind)) return false;
                continue;
            }
            if (next == '!')
            {
                if (!ReadComment()) return false;
                continue;
            }
            if (next == '?') return false;
            var tagStart = _pos;
            // Too deep: the standard reader reports it (with the line).
            if (stack.Count + _stackBase >= CibLimits.MaxDepth) return false;
            if (!ReadStartTag(out var nameStart, out var nameLength, out var selfClosing)) return false;
            var elementKind = Classify(stack.Top.Kind, doc.AsSpan(nameStart, nameLength));
            if (elementKind != Kind.LrmRscOp && !NoDuplicateAttributes()) return false;
            if (!Start(elementKind, tagStart)) return false;
            if (selfClosing)
            {
                if (!End(elementKind)) return false;
            }
            else
            {
                stack.Push(nameStart, nameLength, elementKind);
                if (elementKind == Kind.Status && limit == doc.Length) PlanParallelStatus(nameStart, nameLength);
            }
        }
        return true;
    }

    // Reading a large status section on two threads: where this thread stops and resumes, and the other's result.
    private int _splitAt = -1, _resumeAt = -1;
    private Task<List<NodeStatus>?>? _secondHalf;
    private readonly int _parallelFrom;
    // Open elements above this reader's stack (the root, when reading a chunk of the status section).
    private int _stackBase;

    /// <summary>
    /// A large status section is split at a &lt;node_state&gt; tag near its middle: another reader
    /// takes the second half while this one reads the first. The split is only trusted as far as
    /// both halves check out: this reader must arrive at the split between two node_state
    /// elements, and the other must read complete elements up to "&lt;/status" exactly; otherwise
    /// the whole document goes to the standard reader.
    /// </summary>
    private void PlanParallelStatus(int nameStart, int nameLength)
    {
        var doc = _doc;
        var contentStart = _pos;
        var end = doc.AsSpan(contentStart).IndexOf("</status"u8);
        if (end < 0 || end < _parallelFrom) return;
        end += contentStart;
        var region = doc.AsSpan(contentStart, end - contentStart);
        if (region.IndexOf("<!"u8) >= 0 || region.IndexOf("<?"u8) >= 0) return; // comments could hide tags
        var middle = contentStart + region.Length / 2;
        var found = doc.AsSpan(middle, end - middle).IndexOf("<node_state"u8);
        if (found < 0) return;
        var split = middle + found;
        var after = doc[split + "<node_state".Length];
        if (!(IsWhitespace(after) || after == '>' || after == '/')) return;
        var other = new Utf8CibReader(doc, _parallelFrom);
        _secondHalf = Task.Run(() => other.ReadStatusChunk(split, end, nameStart, nameLength));
        _splitAt = split;
        _resumeAt = end;
    }

    /// <summary>The node_state elements of document[start..end) (part of the status section), or null if it is not just that.</summary>
    private List<NodeStatus>? ReadStatusChunk(int start, int end, int statusNameStart, int statusNameLength)
    {
        _pos = start;
        _seenStatus = true;
        _stackBase = 1; // <cib> is open above the <status> this stack starts with
        var stack = new ElementStack();
        stack.Push(statusNameStart, statusNameLength, Kind.Status);
        return ReadElements(stack, 0, end) && _pos == end && stack.Count == 1 ? _status : null;
    }

    private Kind Classify(Kind parent, ReadOnlySpan<byte> name)
    {
        switch (parent)
        {
            case Kind.Cib:
                if (!_seenConfiguration && name.SequenceEqual("configuration"u8)) return Kind.Configuration;
                if (!_seenStatus && name.SequenceEqual("status"u8)) return Kind.Status;
                return Kind.Other;
            case Kind.Status:
                return name.SequenceEqual("node_state"u8) ? Kind.NodeState : Kind.Other;
            case Kind.NodeState:
                if (!_node!.SeenTransient && name.SequenceEqual("transient_attributes"u8)) return Kind.TransientAttributes;
                if (!_node.HasLrm && name.SequenceEqual("lrm"u8)) return Kind.Lrm;
                return Kind.Other;
            case Kind.Lrm:
                return !_node!.SeenLrmResources && name.SequenceEqual("lrm_resources"u8) ? Kind.LrmResources : Kind.Other;
            case Kind.LrmResources:
                return name.SequenceEqual("lrm_resource"u8) ? Kind.LrmResource : Kind.Other;
            case Kind.LrmResource:
                return name.SequenceEqual("lrm_rsc_op"u8) ? Kind.LrmRscOp : Kind.Other;
            default:
                return Kind.Other;
        }
    }

    private bool Start(Kind kind, int tagStart)
    {
        switch (kind)
        {
            case Kind.Configuration:
                _seenConfiguration = true;
                _configStart = tagStart;
                break;
            case Kind.Status:
                _seenStatus = true;
                break;
            case Kind.NodeState:
                {
                    var n = new NodeStatusBuilder();
                    for (var i = 0; i < _attrCount; i++)
                    {
                        var name = _doc.AsSpan(_attrs[i].NameStart, _attrs[i].NameLength);
                        if (name.SequenceEqual("id"u8)) n.Id = Value(i, pooled: true);
                        else if (name.SequenceEqual("uname"u8)) n.Uname = Value(i, pooled: true);
                        else if (name.SequenceEqual("in_ccm"u8)) n.InCcm = Value(i, pooled: true);
                        else if (name.SequenceEqual("crmd"u8)) n.Crmd = Value(i, pooled: true);
                        else if (name.SequenceEqual("join"u8)) n.Join = Value(i, pooled: true);
                        else if (name.SequenceEqual("expected"u8)) n.Expected = Value(i, pooled: true);
                    }
                    _node = n;
                    break;
                }
            case Kind.TransientAttributes:
                _node!.SeenTransient = true;
                _transientStart = tagStart;
                break;
            case Kind.Lrm:
                _node!.HasLrm = true;
                break;
            case Kind.LrmResources:
                _node!.SeenLrmResources = true;
                break;
            case Kind.LrmResource:
                {
                    _rscId = "";
                    _rscClass = _rscProvider = _rscType = null;
                    _ops.Clear();
                    for (var i = 0; i < _attrCount; i++)
                    {
                        var name = _doc.AsSpan(_attrs[i].NameStart, _attrs[i].NameLength);
                        if (name.SequenceEqual("id"u8)) _rscId = Value(i, pooled: true);
                        else if (name.SequenceEqual("class"u8)) _rscClass = Value(i, pooled: true);
                        else if (name.SequenceEqual("provider"u8)) _rscProvider = Value(i, pooled: true);
                        else if (name.SequenceEqual("type"u8)) _rscType = Value(i, pooled: true);
                    }
                    break;
                }
            case Kind.LrmRscOp:
                return AddOp();
        }
        return true;
    }

    private bool End(Kind kind)
    {
        switch (kind)
        {
            case Kind.Configuration:
                _configEnd = _pos;
                break;
            case Kind.Status when _secondHalf is not null:
                {
                    // This reader must have handed over at the split; then the other half follows in order.
                    if (_splitAt >= 0 || _secondHalf.Result is not { } rest) return false;
                    _status.AddRange(rest);
                    break;
                }
            case Kind.TransientAttributes:
                if (LoadFragment(_transientStart, _pos, withLines: false) is not { } t) return false;
                _node!.Transient = NvSet.ParseAll(t, "instance_attributes");
                break;
            case Kind.LrmResource:
                _node!.Resources.Add(new LrmResource(_rscId, _rscClass, _rscProvider, _rscType, _ops.ToArray()));
                break;
            case Kind.NodeState:
                {
                    var n = _node!;
                    _status.Add(new NodeStatus(n.Id, n.Uname, n.InCcm, n.Crmd, n.Join, n.Expected, n.Transient, n.Resources, n.HasLrm));
                    _node = null;
                    break;
                }
        }
        return true;
    }

    private bool AddOp()
    {
        var shape = OpShapeOfCurrent();
        if (shape is null) return false;
        var f = shape.Fields;
        _ops.Add(new LrmOp(Str(f[FId], true) ?? "", Str(f[FOperation], true) ?? "", Str(f[FOperationKey], true),
            Long(f[FInterval]) ?? 0,
            Int(f[FCallId]) ?? -1,
            Int(f[FRcCode]) ?? 0,
            Int(f[FOpStatus]) ?? 0,
            Str(f[FOpDigest], true), Str(f[FTransitionKey], false), Str(f[FTransitionMagic], false),
            Long(f[FLastRcChange]) ?? Long(f[FLastRun]) ?? 0,
            Str(f[FExitReason], true),
            new AttributeMap(shape.Names, _doc, _attrRegionStart, _attrRegionEnd)));
        return true;
    }

    private string? Str(int index, bool pooled) => index < 0 ? null : Value(index, pooled);

    private int? Int(int index)
    {
        if (index < 0) return null;
        ref var a = ref _attrs[index];
        if (a.Decode)
            return int.TryParse(Value(index, pooled: false), out var v) ? v : null;
        return int.TryParse(_doc.AsSpan(a.ValueStart, a.ValueLength), NumberStyles.Integer, NumberFormatInfo.CurrentInfo, out var w) ? w : null;
    }

    private long? Long(int index)
    {
        if (index < 0) return null;
        ref var a = ref _attrs[index];
        if (a.Decode)
            return long.TryParse(Value(index, pooled: false), out var v) ? v : null;
        return long.TryParse(_doc.AsSpan(a.ValueStart, a.ValueLength), NumberStyles.Integer, NumberFormatInfo.CurrentInfo, out var w) ? w : null;
    }

    /// <summary>The shape of the current entry's attribute names (shared between entries); null if a name repeats.</summary>
    private OpShape? OpShapeOfCurrent()
    {
        if (_lastShape < _opShapes.Count && Matches(_opShapes[_lastShape])) return _opShapes[_lastShape];
        for (var i = 0; i < _opShapes.Count; i++)
        {
            if (!Matches(_opShapes[i])) continue;
            _lastShape = i;
            return _opShapes[i];
        }
        if (!NoDuplicateAttributes()) return null;
        var names = new string[_attrCount];
        var nameBytes = new byte[_attrCount][];
        for (var i = 0; i < _attrCount; i++)
        {
            names[i] = Name(i);
            nameBytes[i] = _doc.AsSpan(_attrs[i].NameStart, _attrs[i].NameLength).ToArray();
        }
        var fields = new int[OpFieldNames.Length];
        for (var f = 0; f < fields.Length; f++) fields[f] = Array.IndexOf(names, OpFieldNames[f]);
        var shape = new OpShape(names, nameBytes, fields);
        _opShapes.Add(shape);
        _lastShape = _opShapes.Count - 1;
        return shape;
    }

    private bool Matches(OpShape shape)
    {
        if (shape.NameBytes.Length != _attrCount) return false;
        for (var i = 0; i < _attrCount; i++)
            if (!_doc.AsSpan(_attrs[i].NameStart, _attrs[i].NameLength).SequenceEqual(shape.NameBytes[i])) return false;
        return true;
    }

    private bool NoDuplicateAttributes()
    {
        for (var i = 1; i < _attrCount; i++)
        {
            var a = _doc.AsSpan(_attrs[i].NameStart, _attrs[i].NameLength);
            for (var j = 0; j < i; j++)
                if (a.SequenceEqual(_doc.AsSpan(_attrs[j].NameStart, _attrs[j].NameLength))) return false;
        }
        return true;
    }

    private string Name(int i) => Encoding.ASCII.GetString(_doc, _attrs[i].NameStart, _attrs[i].NameLength);

    /// <summary>The decoded value of attribute <paramref name="i"/> (its entities were checked when the tag was read).</summary>
    private string Value(int i, bool pooled)
    {
        ref var a = ref _attrs[i];
        var raw = _doc.AsSpan(a.ValueStart, a.ValueLength);
        if (a.Decode) return DecodeValue(raw)!;
        return pooled ? _pool.Get(raw) : Encoding.UTF8.GetString(raw);
    }

    /// <summary>
    /// An attribute value as XML defines it: the five predefined entities replaced, and tab,
    /// newline and carriage return (a CR LF pair counting once) normalized to a space. Null for a
    /// character reference or any other entity (the standard reader handles those).
    /// </summary>
    internal static string? DecodeValue(ReadOnlySpan<byte> raw)
    {
        var text = Encoding.UTF8.GetString(raw);
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    sb.Append(' ');
                    if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                    break;
                case '\n' or '\t':
                    sb.Append(' ');
                    break;
                case '<':
                    return null;
                case '&':
                    {
                        var semi = text.IndexOf(';', i);
                        if (semi < 0) return null;
                        var entity = text.AsSpan(i + 1, semi - i - 1);
                        char? decoded = entity switch
                        {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            _ => null,
                        };
                        if (decoded is null) return null;
                        sb.Append(decoded.Value);
                        i = semi;
                        break;
                    }
                default:
                    sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Every '&amp;' starts one of the five predefined entities (character references go to the standard reader).</summary>
    private static bool EntitiesArePredefined(ReadOnlySpan<byte> raw)
    {
        for (var amp = raw.IndexOf((byte)'&'); amp >= 0; amp = raw.IndexOf((byte)'&'))
        {
            raw = raw[(amp + 1)..];
            if (!(raw.StartsWith("amp;"u8) || raw.StartsWith("lt;"u8) || raw.StartsWith("gt;"u8) || raw.StartsWith("quot;"u8) || raw.StartsWith("apos;"u8)))
                return false;
        }
        return true;
    }

    /// <summary>The values of the attribute list <paramref name="document"/>[start..end) that <see cref="TryRead"/> already checked.</summary>
    internal static string[] DecodeAttributeValues(byte[] document, int start, int end, int count)
    {
        var values = new string[count];
        var p = start;
        for (var i = 0; i < count; i++)
        {
            while (document[p] != '=') p++;
            p++;
            while (document[p] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') p++;
            var quote = document[p++];
            var length = document.AsSpan(p, end - p).IndexOf(quote);
            var raw = document.AsSpan(p, length);
            values[i] = raw.IndexOfAny(ValueSpecial) >= 0 ? DecodeValue(raw)! : Encoding.UTF8.GetString(raw);
            p += length + 1;
        }
        return values;
    }

    private static bool IsNameStart(byte b) => b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or (byte)'_';

    private static bool IsNameChar(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or (byte)'-' or (byte)'.';

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    /// <summary>A name at <see cref="_pos"/> (ASCII letters, digits, '_', '-', '.'; a ':' or other character is outside the subset).</summary>
    private bool ReadName(out int start, out int length)
    {
        var doc = _doc;
        start = _pos;
        length = 0;
        if (_pos >= doc.Length || !IsNameStart(doc[_pos])) return false;
        var p = _pos + 1;
        while (p < doc.Length && IsNameChar(doc[p])) p++;
        length = p - start;
        _pos = p;
        return true;
    }

    private void SkipWhitespace()
    {
        var doc = _doc;
        while (_pos < doc.Length && IsWhitespace(doc[_pos])) _pos++;
    }

    /// <summary>A start tag at <see cref="_pos"/> ('&lt;'); its attributes land in <see cref="_attrs"/>.</summary>
    private bool ReadStartTag(out int nameStart, out int nameLength, out bool selfClosing)
    {
        var doc = _doc;
        selfClosing = false;
        _pos++;
        if (!ReadName(out nameStart, out nameLength)) return false;
        _attrCount = 0;
        _attrRegionStart = _pos;
        while (true)
        {
            var before = _pos;
            SkipWhitespace();
            if (_pos >= doc.Length) return false;
            var b = doc[_pos];
            if (b == '>')
            {
                _attrRegionEnd = _pos;
                _pos++;
                return true;
            }
            if (b == '/')
            {
                if (_pos + 1 >= doc.Length || doc[_pos + 1] != '>') return false;
                _attrRegionEnd = _pos;
                _pos += 2;
                selfClosing = true;
                return true;
            }
            if (_pos == before) return false; // attributes are separated by whitespace
            if (!ReadName(out var an, out var al)) return false;
            SkipWhitespace();
            if (_pos >= doc.Length || doc[_pos] != '=') return false;
            _pos++;
            SkipWhitespace();
            if (_pos >= doc.Length) return false;
            var quote = doc[_pos];
            if (quote is not ((byte)'"' or (byte)'\'')) return false;
            _pos++;
            var length = doc.AsSpan(_pos).IndexOf(quote);
            if (length < 0) return false;
            var raw = doc.AsSpan(_pos, length);
            var decode = false;
            if (raw.IndexOfAny(ValueSpecial) >= 0)
            {
                if (raw.Contains((byte)'<') || !EntitiesArePredefined(raw)) return false;
                decode = true;
            }
            if (_attrCount == _attrs.Length) Array.Resize(ref _attrs, _attrs.Length * 2);
            _attrs[_attrCount++] = new Attr { NameStart = an, NameLength = al, ValueStart = _pos, ValueLength = length, Decode = decode };
            _pos += length + 1;
        }
    }

    private bool ReadEndTag(int openStart, int openLength)
    {
        _pos += 2;
        if (!ReadName(out var start, out var length)) return false;
        if (!_doc.AsSpan(start, length).SequenceEqual(_doc.AsSpan(openStart, openLength))) return false;
        SkipWhitespace();
        if (_pos >= _doc.Length || _doc[_pos] != '>') return false;
        _pos++;
        return true;
    }

    /// <summary>A comment at <see cref="_pos"/>: "&lt;!--", no "--" inside, "--&gt;". Any other "&lt;!" is outside the subset.</summary>
    private bool ReadComment()
    {
        var rest = _doc.AsSpan(_pos);
        if (!rest.StartsWith("<!--"u8)) return false;
        var body = rest[4..];
        var dashes = body.IndexOf("--"u8);
        if (dashes < 0 || dashes + 2 >= body.Length || body[dashes + 2] != '>') return false;
        _pos += 4 + dashes + 3;
        return true;
    }

    /// <summary>Line breaks as XML counts them: LF, CR LF and a lone CR each end a line.</summary>
    private static int LineBreaks(ReadOnlySpan<byte> text) =>
        text.Count((byte)'\n') + text.Count((byte)'\r') - text.Count("\r\n"u8);

    /// <summary>Whitespace and comments before or after the root element.</summary>
    private bool SkipMisc()
    {
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _doc.Length) return true;
            if (_doc.AsSpan(_pos).StartsWith("<!--"u8))
            {
                if (!ReadComment()) return false;
                continue;
            }
            return _doc[_pos] == '<' && _pos + 1 < _doc.Length && IsNameStart(_doc[_pos + 1]);
        }
    }

    /// <summary>&lt;?xml version="1.0" [encoding="UTF-8"] [standalone="yes|no"]?&gt; at the start; anything else is outside the subset.</summary>
    private bool ReadDeclaration()
    {
        _pos += 5;
        var expect = 0; // 0 version, 1 encoding, 2 standalone
        while (true)
        {
            var before = _pos;
            SkipWhitespace();
            if (_doc.AsSpan(_pos).StartsWith("?>"u8))
            {
                _pos += 2;
                return expect > 0;
            }
            if (_pos == before || !ReadName(out var ns, out var nl)) return false;
            var name = _doc.AsSpan(ns, nl);
            SkipWhitespace();
            if (_pos >= _doc.Length || _doc[_pos] != '=') return false;
            _pos++;
            SkipWhitespace();
            if (_pos >= _doc.Length) return false;
            var quote = _doc[_pos];
            if (quote is not ((byte)'"' or (byte)'\'')) return false;
            _pos++;
            var length = _doc.AsSpan(_pos).IndexOf(quote);
            if (length < 0) return false;
            var value = _doc.AsSpan(_pos, length);
            _pos += length + 1;
            if (expect == 0 && name.SequenceEqual("version"u8) && value.SequenceEqual("1.0"u8)) expect = 1;
            else if (expect == 1 && name.SequenceEqual("encoding"u8) && Ascii.EqualsIgnoreCase(value, "utf-8"u8)) expect = 2;
            else if (expect is 1 or 2 && name.SequenceEqual("standalone"u8) && (value.SequenceEqual("yes"u8) || value.SequenceEqual("no"u8))) expect = 3;
            else return false;
        }
    }

    /// <summary>An element cut out of the document (checked above) as a DOM element; null if the standard reader disagrees.</summary>
    private XElement? LoadFragment(int start, int end, bool withLines)
    {
        try
        {
            using var stream = new MemoryStream(_doc, start, end - start, writable: false);
            var settings = new XmlReaderSettings { IgnoreWhitespace = true, DtdProcessing = DtdProcessing.Prohibit };
            // Line numbers as in the whole file (the element starts on a line of its own or not, position aside).
            if (withLines) settings.LineNumberOffset = LineBreaks(_doc.AsSpan(0, start));
            using var reader = XmlReader.Create(stream, settings);
            return XElement.Load(reader, withLines ? LoadOptions.SetLineInfo : LoadOptions.None);
        }
        catch (XmlException)
        {
            return null;
        }
    }
}
