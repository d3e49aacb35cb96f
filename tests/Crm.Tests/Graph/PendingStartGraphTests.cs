using Cluster.Crm.Graph;

namespace Cluster.Crm.Tests.Graph;

/// <summary>A start still in flight (op-status -1) in the history, as Pacemaker 2.1.5's graphs show it.</summary>
public class PendingStartGraphTests
{
    [Fact]
    public void A_pending_start_where_the_resource_stays_is_issued_again_and_its_monitor_waits_for_it()
    {
        // DcIPaddr's start on hadev2 is pending: the summary lists no change, the graph repeats it.
        var result = CorpusGraph.Simulate("tier3", "696");
        Assert.DoesNotContain("DcIPaddr", result.Text.Split("Transition Summary:")[1].Split("Executing Cluster Transition:")[0], StringComparison.Ordinal);
        var g = CorpusGraph.ReadBack(result.Result.Graph, "696");
        var start = g.Synapses.Single(s => s.Action.OperationKey == "DcIPaddr_start_0" && s.Action.OnNode == "hadev2");
        var monitor = g.Synapses.Single(s => s.Action.OperationKey == "DcIPaddr_monitor_5000" && s.Action.OnNode == "hadev2");
        Assert.Equal([start.Action.Id], monitor.Inputs);
    }
}
