using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>A reload in the graph as Pacemaker 2.1.5 writes it: reload-agent where the resource
/// runs, after its probes, before its recurring monitor there.</summary>
public class ReloadGraphTests
{
    [Fact]
    public void A_reload_runs_after_the_probes_and_before_the_monitor_and_is_not_recorded()
    {
        var output = CorpusGraph.Simulate("tier2", "params-4");
        var g = CorpusGraph.ReadBack(output.Result.Graph, "params-4");
        var reload = g.Synapses.Single(s => s.Action.Task == ActionTask.ReloadAgent);
        Assert.Equal("DcIPaddr_reload-agent_0", reload.Action.OperationKey);
        Assert.Equal("c001n02", reload.Action.OnNode);
        Assert.Equal("127.0.0.20", reload.Action.Attribute("ip"));
        Assert.Equal(3, reload.Inputs.Count(i => g.Action(i).IsProbe));
        var monitor = g.Synapses.Single(s => s.Action.OperationKey == "DcIPaddr_monitor_5000");
        Assert.Contains(reload.Action.Id, monitor.Inputs);
        Assert.Contains("DcIPaddr        reload-agent on c001n02", output.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("DcIPaddr\t(ocf:heartbeat:IPaddr):\t FAILED", output.Text, StringComparison.Ordinal);
    }
}
