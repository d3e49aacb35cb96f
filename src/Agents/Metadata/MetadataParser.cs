using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Agents.Metadata;

/// <summary>Parses OCF / fence agent meta-data XML (resource-agent API 1.0 and 1.1).</summary>
public static class MetadataParser
{
    public static AgentMetadata Parse(string xml, string source)
    {
        XDocument doc;
        try
        {
            // Agents declare a DOCTYPE (ra-api-1.dtd) that is never shipped: ignore it, resolve nothing.
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Ignore,
                XmlResolver = null,
            });
            doc = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new MetadataFormatException($"{source}:{e.LineNumber}: meta-data is not well-formed XML: {e.Message}", e);
        }
        var root = doc.Root;
        if (root is null || root.Name.LocalName != "resource-agent")
            throw new MetadataFormatException($"{source}: meta-data root element must be <resource-agent>");
        var name = (string?)root.Attribute("name")
                   ?? throw new MetadataFormatException($"{source}:{Line(root)}: <resource-agent> has no name");

        var parameters = root.Element("parameters")?.Elements("parameter").Select(p => ParseParameter(p, source)).ToList() ?? [];
        var actions = root.Element("actions")?.Elements("action").Select(a => ParseAction(a, source)).ToList() ?? [];
        return new AgentMetadata(
            name,
            (string?)root.Element("version") ?? (string?)root.Attribute("version"),
            Text(root, "shortdesc") ?? (string?)root.Attribute("shortdesc"),
            Text(root, "longdesc"),
            parameters,
            actions);
    }

    private static AgentParameter ParseParameter(XElement p, string source)
    {
        var name = (string?)p.Attribute("name")
                   ?? throw new MetadataFormatException($"{source}:{Line(p)}: <parameter> has no name");
        var content = p.Element("content");
        return new AgentParameter(
            name,
            Flag(p, "required"),
            Flag(p, "unique"),
            (string?)p.Attribute("unique-group"),
            Flag(p, "reloadable"),
            Flag(p, "deprecated") || p.Element("deprecated") is not null,
            (string?)content?.Attribute("type") ?? "string",
            (string?)content?.Attribute("default"),
            Text(p, "shortdesc") ?? (string?)p.Attribute("shortdesc"),
            Text(p, "longdesc"));
    }

    private static AgentAction ParseAction(XElement a, string source)
    {
        var name = (string?)a.Attribute("name")
                   ?? throw new MetadataFormatException($"{source}:{Line(a)}: <action> has no name");
        var timeout = (string?)a.Attribute("timeout");
        var interval = (string?)a.Attribute("interval");
        int? depth = int.TryParse((string?)a.Attribute("depth"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) ? d : null;
        return new AgentAction(name, Duration(timeout, a, source), Duration(interval, a, source), (string?)a.Attribute("role"), depth)
        {
            TimeoutText = timeout,
            IntervalText = interval,
        };
    }

    private static TimeSpan? Duration(string? text, XElement where, string source)
    {
        if (text is null)
            return null;
        return PacemakerDuration.TryParse(text, out var value)
            ? value
            : throw new MetadataFormatException($"{source}:{Line(where)}: invalid duration '{text}'");
    }

    /// <summary>The English (or first) description text, whitespace as written.</summary>
    private static string? Text(XElement parent, string element)
    {
        var all = parent.Elements(element).ToList();
        var chosen = all.FirstOrDefault(e => (string?)e.Attribute("lang") is null or "en") ?? all.FirstOrDefault();
        return chosen?.Value;
    }

    private static bool Flag(XElement e, string attribute) =>
        (string?)e.Attribute(attribute) is { } v && v is "1" or "true" or "yes";

    private static int Line(XElement e) => ((IXmlLineInfo)e).LineNumber;
}
