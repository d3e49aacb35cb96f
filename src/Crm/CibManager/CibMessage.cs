using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.CibManager;

/// <summary>A message between CIB managers in the `cib` CPG group.</summary>
public abstract record CibMessage
{
    public byte[] Encode() => Encoding.UTF8.GetBytes(CibXmlText.FormatCompact(ToXml()));

    protected abstract XElement ToXml();

    /// <summary>Decodes a message; anything malformed is null (a peer's garbage must not stop the manager).</summary>
    public static CibMessage? Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var e = XElement.Parse(Encoding.UTF8.GetString(payload));
            return (string?)e.Attribute("t") switch
            {
                "change" => CibChangeMessage.From(e),
                "offer" => new CibOfferMessage(e.Elements().Single()),
                _ => null,
            };
        }
        catch (Exception e) when (e is System.Xml.XmlException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// A change to apply on every node in delivery order. It carries everything the result depends
/// on (origin, client, user, time), so every node computes the same CIB, byte for byte.
/// </summary>
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

/// <summary>A member's copy of the CIB, sent by every member after a membership change (the sync).</summary>
public sealed record CibOfferMessage(XElement Cib) : CibMessage
{
    protected override XElement ToXml() => new("cib-msg", new XAttribute("t", "offer"), new XElement(Cib));
}
