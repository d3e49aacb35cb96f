using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>A node whose (pre-1.1.14) state says probe_complete=false is asked to re-probe
/// everything itself: Pacemaker 2.1.5 writes a resource-less rsc_op "probe_again" for it.</summary>
public class ReprobeGraphTests
{
    [Fact]
    public void A_node_not_done_probing_gets_probe_again_and_no_probes_of_its_own()
    {
        var output = CorpusGraph.Simulate("tier1", "reprobe-target_rc");
        var g = CorpusGraph.ReadBack(output.Result.Graph, "reprobe-target_rc");
        var again = g.Synapses.Select(s => s.Action).Where(a => a.Task == ActionTask.ProbeAgain).OrderBy(a => a.OnNode, StringComparer.Ordinal).ToList();
        Assert.Equal(["probe_again-node-0", "probe_again-node-1"], again.Select(a => a.OperationKey));
        Assert.All(again, a => Assert.Equal(GraphActionKind.RscOp, a.Kind));
        Assert.All(again, a => Assert.Null(a.Resource));
        Assert.All(again, a => Assert.Equal("true", a.Attribute("CRM_meta_op_no_wait")));
        Assert.DoesNotContain(g.Synapses, s => s.Action.IsProbe);
        // crm_simulate neither prints nor records it.
        Assert.DoesNotContain("probe_again", output.Text, StringComparison.Ordinal);
    }
}
