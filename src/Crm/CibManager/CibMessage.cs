using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.CibManager;

/// <summary>A message between CIB managers in the `cib` CPG group.</summary>
public abstract record CibMessage
{
    public virtual byte[] Encode() => Encoding.UTF8.GetBytes(CibXmlText.FormatCompact(ToXml()));

    protected abstract XElement ToXml();

    /// <summary>Decodes a message; anything malformed is null (a peer's garbage must not stop the manager).</summary>
    public static CibMessage? Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var text = Encoding.UTF8.GetString(payload);
            // An offer carries a whole CIB and every member receives every member's offer: read
            // only its version now, the rest if it wins (CibCore's sync).
            if (CibOfferMessage.TryDecode(text) is { } offer) return offer;
            var e = XElement.Parse(text);
            return (string?)e.Attribute("t") switch
            {
                "change" => CibChangeMessage.From(e),
                _ => null,
            };
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}

public sealed record CibChangeMessage(uint Origin, string OriginName, long Seq, CibRequest Request, string ClientName, string User, long UnixTime) : CibMessage
{
    protected override XElement ToXml() => new("cib-msg",
        new XAttribute("t", "change"), new XAttribute("origin", Origin), new XAttribute("origin-name", OriginName),
        new XAttribute("seq", Seq), new XAttribute("client", ClientName), new XAttribute("user", User),
        new XAttribute("time", UnixTime), new XAttribute("command", Request.Command.ToString()),
        new XAttribute("options", ((int)Request.Options).ToString(CultureInfo.InvariantCulture)),
        Request.Scope is null ? null : new XAttribute("scope", Request.Scope),
        Request.XPath is null ? null : new XAttribute("xpath", Request.XPath),
        Request.Data is null ? null : new XElement(Request.Data));

    internal static CibChangeMessage From(XElement e)
    {
        static string A(XElement e, string n) => (string?)e.Attribute(n) ?? throw new FormatException($"missing {n}");
        var request = new CibRequest(Enum.Parse<CibCommand>(A(e, "command")), (string?)e.Attribute("scope"), (string?)e.Attribute("xpath"),
            e.Elements().FirstOrDefault() is { } d ? new XElement(d) : null,
            (CibCallOptions)int.Parse(A(e, "options"), CultureInfo.InvariantCulture));
        return new CibChangeMessage(uint.Parse(A(e, "origin"), CultureInfo.InvariantCulture), A(e, "origin-name"),
            long.Parse(A(e, "seq"), CultureInfo.InvariantCulture), request, A(e, "client"), A(e, "user"),
            long.Parse(A(e, "time"), CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// A member's copy of the CIB, sent by every member after a membership change (the sync). It is
/// kept as the compact text it travels in, with its version read up front: the sync compares
/// versions, then texts, and parses only the copy it adopts (or, rarely, copies that tie).
/// </summary>
public sealed record CibOfferMessage : CibMessage
{
    private const string Prefix = "<cib-msg t=\"offer\">";
    private const string Suffix = "</cib-msg>";

    public CibOfferMessage(XElement cib) : this(CibOperations.VersionOf(cib), CibXmlText.FormatCompact(cib)) { }

    private CibOfferMessage(CibVersion version, string cibText)
    {
        Version = version;
        CibText = cibText;
    }

    public CibVersion Version { get; }

    /// <summary>The CIB in compact form: equal texts are equal CIBs.</summary>
    public string CibText { get; }

    /// <summary>Parses the copy; throws <see cref="System.Xml.XmlException"/> on a malformed one.</summary>
    public XElement ParseCib() => XElement.Parse(CibText);

    public override byte[] Encode() => Encoding.UTF8.GetBytes(Prefix + CibText + Suffix);

    protected override XElement ToXml() => new("cib-msg", new XAttribute("t", "offer"), ParseCib());

    /// <summary>An offer as <see cref="Encode"/> writes it, its version read from the root's start tag alone.</summary>
    internal static CibOfferMessage? TryDecode(string text)
    {
        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || !text.EndsWith(Suffix, StringComparison.Ordinal)) return null;
        var cibText = text[Prefix.Length..^Suffix.Length];
        using var reader = System.Xml.XmlReader.Create(new StringReader(cibText));
        reader.MoveToContent();
        if (reader.NodeType != System.Xml.XmlNodeType.Element || reader.LocalName != "cib")
            throw new FormatException("an offer must carry a <cib>");
        var version = new CibVersion(Number(reader, "admin_epoch"), Number(reader, "epoch"), Number(reader, "num_updates"));
        return new CibOfferMessage(version, cibText);
    }

    private static long Number(System.Xml.XmlReader reader, string name) =>
        long.TryParse(reader.GetAttribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
