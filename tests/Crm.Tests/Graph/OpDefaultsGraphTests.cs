using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>op_defaults in the graph's CRM_meta_timeout, as Pacemaker 2.1.5 applies them: of
/// the matching sets, the later one wins.</summary>
public class OpDefaultsGraphTests
{
    private static TransitionGraph GraphOf(string name) => CorpusGraph.Of("tier2", name);

    private static string? Timeout(TransitionGraph g, string key, string node) =>
        g.Synapses.Single(s => s.Action.OperationKey == key && s.Action.OnNode == node).Action.Attribute("CRM_meta_timeout");

    [Fact]
    public void A_later_matching_op_defaults_set_overrides_an_earlier_more_specific_one()
    {
        // monitor interval=10s: 8s, then monitor (any interval): 7s.
        Assert.Equal("7000", Timeout(GraphOf("op-defaults-3"), "dummy-rsc_monitor_10000", "cluster02"));
    }

    [Fact]
    public void Each_operation_takes_the_last_matching_set()
    {
        // 5s for all, 6s for ocf:pacemaker:Dummy, 7s for monitors, 8s for 10s monitors.
        var g = GraphOf("op-defaults");
        Assert.Equal("6000", Timeout(g, "dummy-rsc_start_0", "cluster02"));
        Assert.Equal("7000", Timeout(g, "dummy-rsc_monitor_0", "cluster01"));
        Assert.Equal("7000", Timeout(g, "fencing_monitor_0", "cluster01"));
        Assert.Equal("8000", Timeout(g, "ip-rsc2_monitor_10000", "cluster01"));
    }
}
