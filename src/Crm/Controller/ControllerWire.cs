using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Controller;

/// <summary>
/// One <c>crmd</c> group message: who sent it, whom it is for (null = every controller), the
/// message, and for a join_confirm the node's resource history (an <c>&lt;lrm&gt;</c> element).
/// </summary>
public sealed record ControllerEnvelope(string From, string? To, ControllerMessage Message, XElement? History = null);

/// <summary>
/// The <c>crmd</c> group's wire format: one small XML element per message, like Pacemaker's own
/// controller messages. Decoding refuses anything malformed with a message naming the field, so a
/// stray or hostile packet is logged and dropped, never half-applied.
/// </summary>
public static class ControllerWire
{
    /// <summary>Messages bigger than this are refused before parsing (an action carries its parameters, a confirm the node's history).</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    public static byte[] Encode(ControllerEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var e = new XElement("crmd", new XAttribute("from", envelope.From));
        if (envelope.To is not null) e.SetAttributeValue("to", envelope.To);
        switch (envelope.Message)
        {
            case Announce:
                e.SetAttributeValue("type", "announce");
                break;
            case AnnounceReply r:
                e.SetAttributeValue("type", "announce_reply");
                if (r.Leader is not null) e.SetAttributeValue("leader", r.Leader);
                e.SetAttributeValue("electing", r.Electing ? "1" : "0");
                break;
            case Vote v:
                e.SetAttributeValue("type", "vote");
                e.SetAttributeValue("round", Num(v.Round));
                e.SetAttributeValue("feature_set", v.Credentials.FeatureSet);
                e.SetAttributeValue("uptime_ms", Num((long)v.Credentials.Uptime.TotalMilliseconds));
                e.SetAttributeValue("node", v.Credentials.Node);
                e.SetAttributeValue("names_only", v.Credentials.NamesOnly ? "1" : "0");
                break;
            case NoVote n:
                e.SetAttributeValue("type", "no_vote");
                e.SetAttributeValue("round", Num(n.Round));
                break;
            case JoinOffer o:
                e.SetAttributeValue("type", "join_offer");
                e.SetAttributeValue("join_id", Num(o.JoinId));
                break;
            case JoinRequest q:
                e.SetAttributeValue("type", "join_request");
                e.SetAttributeValue("join_id", Num(q.JoinId));
                e.SetAttributeValue("feature_set", q.FeatureSet);
                break;
            case JoinAck a:
                e.SetAttributeValue("type", "join_ack_nack");
                e.SetAttributeValue("join_id", Num(a.JoinId));
                e.SetAttributeValue("accepted", a.Accepted ? "1" : "0");
                if (a.Reason is not null) e.SetAttributeValue("reason", a.Reason);
                break;
            case JoinConfirm c:
                e.SetAttributeValue("type", "join_confirm");
                e.SetAttributeValue("join_id", Num(c.JoinId));
                if (envelope.History is not null) e.Add(new XElement(envelope.History));
                break;
            case ActionRequest r:
                e.SetAttributeValue("type", "action");
                e.SetAttributeValue("key", r.Key.ToString());
                e.SetAttributeValue("resource", r.ResourceId);
                e.SetAttributeValue("operation", r.Operation);
                e.SetAttributeValue("interval_ms", Num((long)r.Interval.TotalMilliseconds));
                if (r.Agent is { } agent)
                {
                    e.SetAttributeValue("class", agent.Class);
                    if (agent.Provider is not null) e.SetAttributeValue("provider", agent.Provider);
                    e.SetAttributeValue("agent_type", agent.Type);
                }
                foreach (var (k, v) in r.Attributes)
                    e.Add(new XElement("nvpair", new XAttribute("name", k), new XAttribute("value", v)));
                break;
            case ActionResult r:
                e.SetAttributeValue("type", "action_result");
                e.SetAttributeValue("key", r.Key.ToString());
                e.SetAttributeValue("op_status", Num(r.OpStatus));
                e.SetAttributeValue("rc", Num(r.Rc));
                break;
            default:
                throw new ArgumentException($"no wire form for {envelope.Message.GetType().Name}");
        }
        return Encoding.UTF8.GetBytes(e.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>Decodes a message; null with <paramref name="error"/> naming the bad field otherwise.</summary>
    public static ControllerEnvelope? Decode(ReadOnlySpan<byte> payload, out string? error)
    {
        error = null;
        if (payload.Length > MaxMessageBytes)
        {
            error = $"message of {payload.Length} bytes is over the {MaxMessageBytes}-byte limit";
            return null;
        }
        XElement e;
        try
        {
            using var reader = XmlReader.Create(new StringReader(Encoding.UTF8.GetString(payload)),
                new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, MaxCharactersInDocument = MaxMessageBytes });
            e = XElement.Load(reader);
        }
        catch (XmlException x)
        {
            error = $"not a controller message: {x.Message}";
            return null;
        }
        if (e.Name.LocalName != "crmd")
        {
            error = $"not a controller message: element <{e.Name.LocalName}>";
            return null;
        }
        try
        {
            var from = Required(e, "from");
            var to = (string?)e.Attribute("to");
            var type = Required(e, "type");
            XElement? history = null;
            ControllerMessage message = type switch
            {
                "announce" => new Announce(),
                "announce_reply" => new AnnounceReply((string?)e.Attribute("leader"), Flag(e, "electing")),
                "vote" => new Vote(Int(e, "round"), new ElectionCredentials(Required(e, "feature_set"),
                    TimeSpan.FromMilliseconds(Long(e, "uptime_ms")), Required(e, "node"), Flag(e, "names_only"))),
                "no_vote" => new NoVote(Int(e, "round")),
                "join_offer" => new JoinOffer(Int(e, "join_id")),
                "join_request" => new JoinRequest(Int(e, "join_id"), Required(e, "feature_set")),
                "join_ack_nack" => new JoinAck(Int(e, "join_id"), Flag(e, "accepted"), (string?)e.Attribute("reason")),
                "join_confirm" => new JoinConfirm(Int(e, "join_id")),
                "action" => DecodeAction(e),
                "action_result" => new ActionResult(Key(e), Int(e, "op_status"), Int(e, "rc")),
                _ => throw new FormatException($"unknown message type \"{type}\""),
            };
            if (message is JoinConfirm) history = e.Element("lrm");
            return new ControllerEnvelope(from, to, message, history is null ? null : new XElement(history));
        }
        catch (FormatException x)
        {
            error = x.Message;
            return null;
        }
    }

    private static ActionRequest DecodeAction(XElement e)
    {
        var cls = (string?)e.Attribute("class");
        var agent = cls is null ? null : new ActionAgent(cls, (string?)e.Attribute("provider"), Required(e, "agent_type"));
        var attributes = e.Elements("nvpair")
            .Select(n => new KeyValuePair<string, string>(Required(n, "name"), (string?)n.Attribute("value") ?? ""))
            .ToList();
        return new ActionRequest(Key(e), Required(e, "resource"), Required(e, "operation"), TimeSpan.FromMilliseconds(Long(e, "interval_ms")))
        {
            Agent = agent,
            Attributes = attributes,
        };
    }

    private static TransitionKey Key(XElement e) =>
        TransitionKey.TryParse(Required(e, "key"), out var key, out var error) ? key : throw new FormatException(error);

    private static string Required(XElement e, string name) =>
        (string?)e.Attribute(name) is { Length: > 0 } v ? v : throw new FormatException($"<{e.Name.LocalName}>: attribute \"{name}\" is missing or empty");

    private static int Int(XElement e, string name) =>
        int.TryParse(Required(e, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
            ? v : throw new FormatException($"<{e.Name.LocalName}>: attribute \"{name}\" is not an integer");

    private static long Long(XElement e, string name) =>
        long.TryParse(Required(e, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new FormatException($"<{e.Name.LocalName}>: attribute \"{name}\" is not a non-negative integer");

    private static bool Flag(XElement e, string name) => (string?)e.Attribute(name) switch
    {
        "1" => true,
        "0" or null => false,
        var v => throw new FormatException($"<{e.Name.LocalName}>: attribute \"{name}\" is \"{v}\", expected 0 or 1"),
    };

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);
}
