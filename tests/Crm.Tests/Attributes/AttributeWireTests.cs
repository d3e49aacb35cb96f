using System.Text;
using Cluster.Crm.Attributes;

namespace Cluster.Crm.Tests.Attributes;

public class AttributeWireTests
{
    [Fact]
    public void Updates_syncs_and_refreshes_survive_the_round_trip()
    {
        AttributeMessage[] messages =
        [
            new AttributeUpdate("node1", "fail-count-WebIP#monitor_10000", "value++"),
            new AttributeUpdate("node2", "ping", null, TimeSpan.FromSeconds(5)),
            new AttributeSync([new AttributeUpdate("node1", "a", "1"), new AttributeUpdate("node3", "b", "x<&\"y", TimeSpan.Zero)]),
            new AttributeRefresh(),
        ];
        foreach (var m in messages)
        {
            var back = AttributeWire.Decode(AttributeWire.Encode(m), out var error);
            Assert.Null(error);
            if (m is AttributeSync sync)
                Assert.Equal(sync.Values, Assert.IsType<AttributeSync>(back).Values);
            else
                Assert.Equal(m, back);
        }
    }

    [Theory]
    [InlineData("<attrd op=\"update\"/>", "an update carries 0 <attr> elements, not 1")]
    [InlineData("<attrd op=\"drop\"/>", "field op: unknown value \"drop\"")]
    [InlineData("<attrd op=\"update\"><attr name=\"a\" value=\"1\"/></attrd>", "<attr> lacks field node")]
    [InlineData("<attrd op=\"update\"><attr node=\"n\" name=\"a\" delay-ms=\"-5\"/></attrd>", "attribute a: field delay-ms \"-5\" is not a count of milliseconds")]
    [InlineData("<crmd/>", "root element <crmd> is not <attrd>")]
    public void A_malformed_message_is_refused_with_the_field_named(string xml, string expected)
    {
        Assert.Null(AttributeWire.Decode(Encoding.UTF8.GetBytes(xml), out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void A_name_with_a_quote_is_refused_before_it_reaches_the_group()
    {
        // Names end up in the writer's CIB XPath: a quote could widen a deletion.
        var core = new AttributeCore("node1");
        Assert.Empty(core.Request(new AttributeUpdate("node1", "a' or '1'='1", null), out var error));
        Assert.Contains("quote", error, StringComparison.Ordinal);
    }
}
