using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>Rules in a resource's parameters can name the node's site: #site-name is the
/// node's site-name attribute, else the cluster-name property (as in Pacemaker 2.1.5).</summary>
public class SiteParamsGraphTests
{
    [Fact]
    public void Site_name_rules_pick_each_nodes_parameters_falling_back_to_the_cluster_name()
    {
        var g = CorpusGraph.Simulate("tier2", "site-specific-params").Result.Graph;
        string? State(string node) => g.Synapses.Single(s => s.Action.OperationKey == "rsc1_monitor_0" && s.Action.OnNode == node).Action.Attribute("state");
        Assert.Equal("/var/run/Dummy-rsc1-siteA", State("node1"));
        Assert.Equal("/var/run/Dummy-rsc1-siteB", State("node2"));
        Assert.Equal("/var/run/Dummy-rsc1-clusterA", State("node3"));
    }
}
