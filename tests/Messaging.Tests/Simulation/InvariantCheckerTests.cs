using System.Collections.Immutable;
using Cluster.Messaging.Simulation;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Tests.Simulation;

/// <summary>The checker must catch each kind of violation it claims to check (a checker that cannot fail proves nothing).</summary>
public sealed class InvariantCheckerTests
{
    private static readonly RingId R1 = new(new NodeId(1), 5);
    private static readonly RingId R2 = new(new NodeId(1), 9);

    private static ImmutableArray<NodeId> Ids(params uint[] ids) => [.. ids.Select(i => new NodeId(i))];

    private static void Install(InvariantChecker c, uint node, RingId ring, ImmutableArray<NodeId> members, ImmutableArray<NodeId> trans)
    {
        c.OnConfiguration(node, new ConfigurationChange(ConfigurationKind.Transitional, ring, trans, [], []));
        c.OnConfiguration(node, new ConfigurationChange(ConfigurationKind.Regular, ring, members, [], []));
    }

    private static InvariantChecker TwoNodesInR1()
    {
        var c = new InvariantChecker();
        for (uint n = 1; n <= 2; n++) Install(c, n, R1, Ids(1, 2), []);
        for (long i = 1; i <= 3; i++) c.OnSubmitted(1, i, 20);
        return c;
    }

    private static void Deliver(InvariantChecker c, uint node, uint from, long counter) =>
        c.OnDeliver(node, new Delivery(new NodeId(from), SimPayload.Create(from, counter, 20)));

    [Fact]
    public void Consistent_histories_pass()
    {
        var c = TwoNodesInR1();
        foreach (uint n in new uint[] { 1, 2 }) { Deliver(c, n, 1, 1); Deliver(c, n, 1, 2); }
        foreach (uint n in new uint[] { 1, 2 }) Install(c, n, R2, Ids(1, 2), Ids(1, 2));
        c.Finish([1, 2], expectSelfDelivery: false);
        Assert.Null(c.Violation);
    }

    [Fact]
    public void Different_order_in_one_ring_is_an_agreed_order_violation()
    {
        var c = TwoNodesInR1();
        c.OnSubmitted(2, 1, 20);
        Deliver(c, 1, 1, 1); Deliver(c, 1, 2, 1);
        Deliver(c, 2, 2, 1); Deliver(c, 2, 1, 1);
        c.Finish([1, 2], expectSelfDelivery: false);
        Assert.StartsWith("agreed order", c.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Moving_together_after_different_messages_is_a_virtual_synchrony_violation()
    {
        var c = TwoNodesInR1();
        Deliver(c, 1, 1, 1);
        foreach (uint n in new uint[] { 1, 2 }) Install(c, n, R2, Ids(1, 2), Ids(1, 2));
        Assert.StartsWith("virtual synchrony", c.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicates_invented_and_corrupted_messages_are_caught()
    {
        var c = TwoNodesInR1();
        Deliver(c, 1, 1, 1);
        Deliver(c, 1, 1, 1);
        Assert.StartsWith("no duplication", c.Violation, StringComparison.Ordinal);

        c = TwoNodesInR1();
        Deliver(c, 1, 1, 99);
        Assert.StartsWith("no creation", c.Violation, StringComparison.Ordinal);

        c = TwoNodesInR1();
        var bytes = SimPayload.Create(1, 1, 40);
        bytes[30] ^= 1;
        c.OnDeliver(1, new Delivery(new NodeId(1), bytes));
        Assert.StartsWith("no creation", c.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void One_ring_id_with_two_member_lists_is_a_configuration_agreement_violation()
    {
        var c = new InvariantChecker();
        Install(c, 1, R1, Ids(1, 2), []);
        Install(c, 2, R1, Ids(1, 2, 3), []);
        Assert.StartsWith("configuration agreement", c.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_transitional_member_outside_the_old_ring_is_caught()
    {
        var c = TwoNodesInR1();
        c.OnConfiguration(1, new ConfigurationChange(ConfigurationKind.Transitional, R2, Ids(1, 3), [], []));
        Assert.StartsWith("transitional correctness", c.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ring_sequence_that_does_not_grow_is_caught()
    {
        var c = TwoNodesInR1();
        Install(c, 1, R1 with { Sequence = 4 }, Ids(1, 2), Ids(1, 2));
        Assert.StartsWith("ring sequence", c.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undelivered_own_message_of_a_live_node_is_a_self_delivery_violation()
    {
        var c = TwoNodesInR1();
        Deliver(c, 1, 1, 1);
        c.Finish([1, 2], expectSelfDelivery: true);
        Assert.StartsWith("self-delivery", c.Violation, StringComparison.Ordinal);
    }
}
