using System.Xml;

namespace Cluster.Crm.Cib;

/// <summary>
/// An <see cref="XmlReader"/> that refuses elements nested deeper than <see cref="CibLimits.MaxDepth"/>
/// with an <see cref="XmlException"/> naming the line, so no later recursive walk of the document
/// (copy, diff, nested rules) can overflow the stack.
/// </summary>
internal sealed class DepthLimitedXmlReader(XmlReader inner) : XmlReader, IXmlLineInfo
{
    private readonly IXmlLineInfo? _lines = inner as IXmlLineInfo;

    public override bool Read()
    {
        if (!inner.Read())
            return false;
        // XmlReader depth counts from 0 at the document element.
        if (inner.NodeType == XmlNodeType.Element && inner.Depth >= CibLimits.MaxDepth)
            throw new XmlException($"elements nested more than {CibLimits.MaxDepth} deep", null,
                _lines?.LineNumber ?? 0, _lines?.LinePosition ?? 0);
        return true;
    }

    public override int AttributeCount => inner.AttributeCount;
    public override string BaseURI => inner.BaseURI;
    public override int Depth => inner.Depth;
    public override bool EOF => inner.EOF;
    public override bool IsEmptyElement => inner.IsEmptyElement;
    public override string LocalName => inner.LocalName;
    public override string Name => inner.Name;
    public override string NamespaceURI => inner.NamespaceURI;
    public override XmlNameTable NameTable => inner.NameTable;
    public override XmlNodeType NodeType => inner.NodeType;
    public override string Prefix => inner.Prefix;
    public override ReadState ReadState => inner.ReadState;
    public override string Value => inner.Value;
    public override bool HasValue => inner.HasValue;
    public override string GetAttribute(int i) => inner.GetAttribute(i);
    public override string? GetAttribute(string name) => inner.GetAttribute(name);
    public override string? GetAttribute(string name, string? namespaceURI) => inner.GetAttribute(name, namespaceURI);
    public override string? LookupNamespace(string prefix) => inner.LookupNamespace(prefix);
    public override bool MoveToAttribute(string name) => inner.MoveToAttribute(name);
    public override bool MoveToAttribute(string name, string? ns) => inner.MoveToAttribute(name, ns);
    public override void MoveToAttribute(int i) => inner.MoveToAttribute(i);
    public override bool MoveToElement() => inner.MoveToElement();
    public override bool MoveToFirstAttribute() => inner.MoveToFirstAttribute();
    public override bool MoveToNextAttribute() => inner.MoveToNextAttribute();
    public override bool ReadAttributeValue() => inner.ReadAttributeValue();
    public override void ResolveEntity() => inner.ResolveEntity();
    public override XmlReaderSettings? Settings => inner.Settings;

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public bool HasLineInfo() => _lines?.HasLineInfo() ?? false;
    public int LineNumber => _lines?.LineNumber ?? 0;
    public int LinePosition => _lines?.LinePosition ?? 0;
}
