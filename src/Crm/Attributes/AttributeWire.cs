using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Attributes;

/// <summary>
/// The <c>attrd</c> group's wire format: one small XML element per message, as Pacemaker's attrd
/// speaks XML on its group. <c>&lt;attrd op="update"&gt;</c> carries one update,
/// <c>&lt;attrd op="sync"&gt;</c> the writer's table, <c>&lt;attrd op="refresh"/&gt;</c> asks the
/// writer to write everything again; each value is an
/// <c>&lt;attr node= name= [value=] [delay-ms=]/&gt;</c> (no value: deleted). Decoding refuses
/// anything malformed with a message naming the field: a stray packet is logged and dropped.
/// </summary>
public static class AttributeWire
{
    /// <summary>Messages bigger than this are refused before parsing (a sync carries every node's values).</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    public static byte[] Encode(AttributeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var e = message switch
        {
            AttributeUpdate u => new XElement("attrd", new XAttribute("op", "update"), Attr(u)),
            AttributeSync s => new XElement("attrd", new XAttribute("op", "sync"), s.Values.Select(Attr)),
            AttributeRefresh => new XElement("attrd", new XAttribute("op", "refresh")),
            _ => throw new ArgumentException($"unknown attrd message {message.GetType().Name}", nameof(message)),
        };
        return Encoding.UTF8.GetBytes(e.ToString(SaveOptions.DisableFormatting));
    }

    public static AttributeMessage? Decode(byte[] payload, out string? error)
    {
        ArgumentNullException.ThrowIfNull(payload);
        error = null;
        if (payload.Length > MaxMessageBytes)
        {
            error = $"message of {payload.Length} bytes is over the {MaxMessageBytes} limit";
            return null;
        }
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(payload), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            root = XElement.Load(reader);
        }
        catch (XmlException e)
        {
            error = $"not XML: {e.Message}";
            return null;
        }
        if (root.Name != "attrd")
        {
            error = $"root element <{root.Name}> is not <attrd>";
            return null;
        }
        var updates = new List<AttributeUpdate>();
        foreach (var a in root.Elements("attr"))
        {
            if (ParseAttr(a, out error) is not { } u)
                return null;
            updates.Add(u);
        }
        switch ((string?)root.Attribute("op"))
        {
            case "update" when updates.Count == 1:
                return updates[0];
            case "update":
                error = $"an update carries {updates.Count} <attr> elements, not 1";
                return null;
            case "sync":
                return new AttributeSync(updates);
            case "refresh":
                return new AttributeRefresh();
            case var op:
                error = $"field op: unknown value \"{op}\"";
                return null;
        }
    }

    private static XElement Attr(AttributeUpdate u)
    {
        var e = new XElement("attr", new XAttribute("node", u.Node), new XAttribute("name", u.Name));
        if (u.Value is not null) e.SetAttributeValue("value", u.Value);
        if (u.Delay is { } d) e.SetAttributeValue("delay-ms", ((long)d.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        return e;
    }

    private static AttributeUpdate? ParseAttr(XElement a, out string? error)
    {
        error = null;
        var node = (string?)a.Attribute("node");
        var name = (string?)a.Attribute("name");
        if (string.IsNullOrEmpty(node) || string.IsNullOrEmpty(name))
        {
            error = $"<attr> lacks field {(string.IsNullOrEmpty(node) ? "node" : "name")}";
            return null;
        }
        TimeSpan? delay = null;
        if ((string?)a.Attribute("delay-ms") is { } text)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                error = $"attribute {name}: field delay-ms \"{text}\" is not a count of milliseconds";
                return null;
            }
            delay = TimeSpan.FromMilliseconds(ms);
        }
        return new AttributeUpdate(node, name, (string?)a.Attribute("value"), delay);
    }
}
