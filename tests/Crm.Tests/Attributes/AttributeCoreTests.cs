using Cluster.Crm.Attributes;

namespace Cluster.Crm.Tests.Attributes;

public class AttributeCoreTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(10);

    /// <summary>Request on <paramref name="core"/>, then deliver the resulting group message to every core.</summary>
    private static List<AttributeEffect> Broadcast(AttributeCore[] cores, AttributeCore from, AttributeUpdate update, out Dictionary<string, List<AttributeEffect>> byNode)
    {
        var send = Assert.IsType<SendToAttributeGroup>(Assert.Single(from.Request(update, out var error)));
        Assert.Null(error);
        byNode = cores.ToDictionary(c => c.LocalNode, c => c.OnDelivery(from.LocalNode, send.Message, T0).ToList());
        return [.. byNode.Values.SelectMany(e => e)];
    }

    private static AttributeCore[] Cluster(params string[] names)
    {
        var cores = names.Select(n => new AttributeCore(n)).ToArray();
        foreach (var c in cores)
            c.OnMembership(names, T0);
        return cores;
    }

    [Fact]
    public void Fail_count_and_last_failure_names_follow_pacemaker_2_1_5()
    {
        Assert.Equal("fail-count-WebIP#monitor_10000", AttributeNames.FailCount("WebIP", "monitor", TimeSpan.FromSeconds(10)));
        Assert.Equal("last-failure-WebIP#start_0", AttributeNames.LastFailure("WebIP", "start", TimeSpan.Zero));
        Assert.True(AttributeNames.TryParseFailCount("fail-count-my#rsc#stop_0", out var rsc));
        Assert.Equal("my#rsc", rsc);
    }

    [Theory]
    [InlineData(null, "value++", "1")]
    [InlineData("2", "value++", "3")]
    [InlineData("2", "value+=5", "7")]
    [InlineData("999999", "value++", "INFINITY")]
    [InlineData("INFINITY", "value++", "INFINITY")]
    [InlineData("abc", "value++", "1")]
    [InlineData("4", "17", "17")]
    public void Value_increments_expand_against_the_current_value(string? current, string requested, string expected) =>
        Assert.Equal(expected, AttributeValue.Expand(current, requested));

    [Fact]
    public void Only_the_writer_writes_an_undampened_change_into_the_cib()
    {
        var cores = Cluster("node1", "node2", "node3");
        Broadcast(cores, cores[2], new AttributeUpdate("node3", "pingd", "100"), out var byNode);
        var write = Assert.IsType<WriteAttribute>(Assert.Single(byNode["node1"]));
        Assert.Equal("pingd", write.Name);
        Assert.Equal("100", write.ValuesByNode["node3"]);
        Assert.Empty(byNode["node2"]);
        Assert.Empty(byNode["node3"]);
        Assert.All(cores, c => Assert.Equal("100", c.Value("node3", "pingd")));
    }

    [Fact]
    public void A_refresh_or_a_replaced_cib_makes_only_the_writer_write_every_value_again()
    {
        var cores = Cluster("node1", "node2");
        Broadcast(cores, cores[1], new AttributeUpdate("node2", "pingd", "100"), out _);
        Broadcast(cores, cores[0], new AttributeUpdate("node1", "rack", "r1"), out _);
        var refreshed = cores.ToDictionary(c => c.LocalNode, c => c.OnDelivery("node2", new AttributeRefresh(), T0));
        Assert.Equal(["pingd", "rack"], refreshed["node1"].Cast<WriteAttribute>().Select(w => w.Name).Order(StringComparer.Ordinal));
        Assert.Empty(refreshed["node2"]);
        Assert.Equal(2, cores[0].RewriteAll().Count);
        Assert.Empty(cores[1].RewriteAll());
    }

    [Fact]
    public void Fail_count_increments_apply_in_delivery_order_on_every_member()
    {
        var cores = Cluster("node1", "node2");
        var name = AttributeNames.FailCount("WebServer", "monitor", TimeSpan.FromSeconds(10));
        Broadcast(cores, cores[0], new AttributeUpdate("node2", name, "value++"), out _);
        Broadcast(cores, cores[1], new AttributeUpdate("node2", name, "value++"), out _);
        Assert.All(cores, c => Assert.Equal("2", c.Value("node2", name)));
    }

    [Fact]
    public void A_dampened_attribute_is_written_once_with_the_latest_value_when_its_timer_fires()
    {
        var cores = Cluster("node1", "node2");
        var effects = Broadcast(cores, cores[1], new AttributeUpdate("node2", "pingd", "100", TimeSpan.FromSeconds(5)), out var byNode);
        Assert.DoesNotContain(effects, e => e is WriteAttribute);
        Assert.Contains(new ArmDampening("pingd", TimeSpan.FromSeconds(5)), byNode["node1"]);
        var again = Broadcast(cores, cores[1], new AttributeUpdate("node2", "pingd", "0"), out _);
        Assert.Empty(again); // neither a write nor a restarted timer
        var fired = cores[0].OnDampeningExpired("pingd", T0 + TimeSpan.FromSeconds(5));
        Assert.Equal("0", Assert.IsType<WriteAttribute>(Assert.Single(fired)).ValuesByNode["node2"]);
        Assert.Empty(cores[1].OnDampeningExpired("pingd", T0 + TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void A_delete_is_written_as_a_null_value_and_then_forgotten()
    {
        var cores = Cluster("node1", "node2");
        Broadcast(cores, cores[0], new AttributeUpdate("node2", "standby", "on"), out _);
        Broadcast(cores, cores[0], new AttributeUpdate("node2", "standby", null), out var byNode);
        var write = Assert.IsType<WriteAttribute>(Assert.Single(byNode["node1"]));
        Assert.True(write.ValuesByNode.ContainsKey("node2"));
        Assert.Null(write.ValuesByNode["node2"]);
        Assert.Empty(Broadcast(cores, cores[0], new AttributeUpdate("node2", "standby", null), out _));
    }

    [Fact]
    public void A_new_writer_writes_everything_after_the_old_one_leaves()
    {
        var cores = Cluster("node1", "node2");
        Broadcast(cores, cores[1], new AttributeUpdate("node2", "pingd", "100", TimeSpan.FromSeconds(5)), out _);
        var effects = cores[1].OnMembership(["node2"], T0);
        Assert.True(cores[1].IsWriter);
        Assert.Equal("100", Assert.IsType<WriteAttribute>(Assert.Single(effects)).ValuesByNode["node2"]);
    }

    [Fact]
    public void Values_of_a_node_that_left_are_dropped()
    {
        var cores = Cluster("node1", "node2");
        Broadcast(cores, cores[1], new AttributeUpdate("node2", "pingd", "100"), out _);
        cores[0].OnMembership(["node1"], T0);
        Assert.Null(cores[0].Value("node2", "pingd"));
    }

    [Fact]
    public void The_writer_sends_its_table_to_a_joiner_which_announces_its_own_differing_values()
    {
        var node1 = new AttributeCore("node1");
        Assert.Empty(node1.Request(new AttributeUpdate("node1", "a", "1"), out _).OfType<WriteAttribute>());
        node1.OnDelivery("node1", new AttributeUpdate("node1", "a", "1"), T0);
        var node2 = new AttributeCore("node2");
        node2.OnDelivery("node2", new AttributeUpdate("node2", "b", "2"), T0);
        var sync = Assert.IsType<SendToAttributeGroup>(Assert.Single(node1.OnMembership(["node1", "node2"], T0))).Message;
        node2.OnMembership(["node1", "node2"], T0);
        var replies = node2.OnDelivery("node1", sync, T0);
        Assert.Equal("1", node2.Value("node1", "a"));
        Assert.Equal(new AttributeUpdate("node2", "b", "2"), Assert.IsType<SendToAttributeGroup>(Assert.Single(replies)).Message);
    }

    [Theory]
    [InlineData("", "node1", null)]
    [InlineData("a", "", null)]
    [InlineData("a", "node1", -1)]
    public void A_bad_request_is_refused_with_a_message_and_sends_nothing(string name, string node, int? delaySeconds)
    {
        var core = new AttributeCore("node1");
        var effects = core.Request(new AttributeUpdate(node, name, "1", delaySeconds is { } s ? TimeSpan.FromSeconds(s) : null), out var error);
        Assert.Empty(effects);
        Assert.NotNull(error);
    }
}
