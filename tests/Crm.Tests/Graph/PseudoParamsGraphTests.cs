using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>A primitive's pseudo-action (a stop implied by fencing) carries the resource's
/// parameters, as Pacemaker 2.1.5 writes it; a collective's pseudo-actions do not.</summary>
public class PseudoParamsGraphTests
{
    [Fact]
    public void A_stop_implied_by_fencing_carries_the_resources_parameters()
    {
        var g = CorpusGraph.Simulate("tier3", "promoted-7").Result.Graph;
        var stop = g.Synapses.Single(s => s.Action.OperationKey == "DcIPaddr_stop_0").Action;
        Assert.Equal(GraphActionKind.PseudoEvent, stop.Kind);
        Assert.Equal("192.168.100.180", stop.Attribute("ip"));
        Assert.All(g.Synapses.Where(s => s.Action.Kind == GraphActionKind.PseudoEvent && s.Action.OperationKey.StartsWith("group-1_", StringComparison.Ordinal)),
            s => Assert.Null(s.Action.Attribute("ip")));
    }
}
