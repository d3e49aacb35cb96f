using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>Fail counts Pacemaker 2.1.5 clears in the graph: of a resource one of whose
/// operations changed definition, and of an orphan before it stops; each clear_failcount
/// carries the resource's parameters.</summary>
public class ClearFailcountGraphTests
{
    private static TransitionGraph GraphOf(string tier, string name) => CorpusGraph.Of(tier, name);

    private static List<GraphAction> Clears(TransitionGraph g) =>
        [.. g.Synapses.Select(s => s.Action).Where(a => a.Task == ActionTask.ClearFailcount).OrderBy(a => a.OnNode, StringComparer.Ordinal)];

    [Fact]
    public void A_changed_definition_clears_the_fail_count_with_the_resources_parameters()
    {
        // A's start digest changed (a restart) and A has fail-count 1 on fc16-builder.
        var clear = Assert.Single(Clears(GraphOf("tier2", "bug-5025-3")));
        Assert.Equal("A_clear_failcount_0", clear.OperationKey);
        Assert.Equal("fc16-builder", clear.OnNode);
        Assert.Equal("anywhere", clear.Attribute("state"));
        Assert.Equal("true", clear.Attribute("CRM_meta_op_no_wait"));
    }

    [Fact]
    public void An_anonymous_clones_expired_fail_count_is_cleared_once_per_node_for_the_instance_mapped_there()
    {
        // re-openfire-lsb's failures expired on both nodes: one clear each, for the instance
        // whose history is there, named and described like the instance's other operations.
        var clears = Clears(GraphOf("tier3", "failcount"));
        Assert.Equal(["re-openfire-lsb:0_clear_failcount_0", "re-openfire-lsb:1_clear_failcount_0"], clears.Select(c => c.OperationKey));
        Assert.Equal(["dresproddns01", "dresproddns02"], clears.Select(c => c.OnNode));
        Assert.Equal(new GraphResource("re-openfire-lsb", "lsb", null, "openfire", "re-openfire-lsb:1"), clears[1].Resource);
        Assert.Equal("1", clears[1].Attribute("CRM_meta_clone"));
        Assert.Equal("2", clears[1].Attribute("CRM_meta_clone_max"));
    }

    [Fact]
    public void An_orphans_fail_counts_are_cleared_before_it_stops()
    {
        var g = GraphOf("tier2", "orphan-2");
        var clears = Clears(g);
        Assert.Equal(["c001n02", "c001n08"], clears.Select(c => c.OnNode));
        Assert.All(clears, c => Assert.Equal("rsc_c001n08", c.Resource!.Id));
        var stop = g.Synapses.Single(s => s.Action.OperationKey == "rsc_c001n08_stop_0");
        Assert.All(clears, c => Assert.Contains(c.Id, stop.Inputs));
    }
}
