using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Controller;

namespace Cluster.Crm.Tests.Controller;

public class ControllerWireTests
{
    private static readonly TransitionKey Key = new(7, 3, 0, "c0a34b18-a8ea-4299-84f3-6747c105f26e");

    public static TheoryData<ControllerMessage> Messages() => new()
    {
        new Announce(),
        new AnnounceReply("node2", true),
        new AnnounceReply(null, false),
        new Vote(4, new ElectionCredentials("3.16.1", TimeSpan.FromMilliseconds(12345), "node1", NamesOnly: true)),
        new NoVote(4),
        new JoinOffer(2),
        new JoinRequest(2, "3.16.1"),
        new JoinAck(2, false, "feature set 4.0 is incompatible"),
        new JoinConfirm(2),
        new ActionResult(Key, 2, 1),
        new ActionRequest(Key, "WebIP", "monitor", TimeSpan.FromSeconds(30))
        {
            Agent = new ActionAgent("ocf", "heartbeat", "IPaddr2"),
            Attributes = [new("CRM_meta_timeout", "20000"), new("ip", "10.0.0.100"), new("note", "a \"quoted\" <value> & more")],
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_message_survives_the_wire_unchanged(ControllerMessage message)
    {
        var bytes = ControllerWire.Encode(new ControllerEnvelope("node1", "node2", message));
        var back = ControllerWire.Decode(bytes, out var error);
        Assert.Null(error);
        Assert.NotNull(back);
        Assert.Equal("node1", back.From);
        Assert.Equal("node2", back.To);
        Assert.Equal(message, back.Message);
    }

    [Fact]
    public void A_join_confirm_carries_the_node_history()
    {
        var history = new XElement("lrm", new XAttribute("id", "2"), new XElement("lrm_resources", new XElement("lrm_resource", new XAttribute("id", "D1"))));
        var back = ControllerWire.Decode(ControllerWire.Encode(new ControllerEnvelope("node2", null, new JoinConfirm(5), history)), out _);
        Assert.NotNull(back);
        Assert.Null(back.To);
        Assert.True(XNode.DeepEquals(history, back.History));
    }

    [Theory]
    [InlineData("", "not a controller message")]
    [InlineData("<cib/>", "element <cib>")]
    [InlineData("<crmd type=\"vote\" round=\"1\"/>", "\"from\" is missing")]
    [InlineData("<crmd from=\"n1\" type=\"no_vote\" round=\"x\"/>", "\"round\" is not an integer")]
    [InlineData("<crmd from=\"n1\" type=\"teleport\"/>", "unknown message type \"teleport\"")]
    [InlineData("<crmd from=\"n1\" type=\"action_result\" key=\"1:2:3\" op_status=\"0\" rc=\"0\"/>", "transition-key")]
    [InlineData("<crmd from=\"n1\" type=\"announce_reply\" electing=\"maybe\"/>", "\"electing\" is \"maybe\"")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><crmd from=\"n1\" type=\"announce\"/>", "not a controller message")]
    public void A_malformed_message_is_refused_naming_what_is_wrong(string text, string expected)
    {
        Assert.Null(ControllerWire.Decode(Encoding.UTF8.GetBytes(text), out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_message_is_refused_before_parsing()
    {
        var big = new byte[ControllerWire.MaxMessageBytes + 1];
        Assert.Null(ControllerWire.Decode(big, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }
}
