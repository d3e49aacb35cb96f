using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>Recurring operations running per the history that Pacemaker 2.1.5 cancels: those
/// no longer configured (unless stop-orphan-actions=false) and all of them in maintenance mode.
/// Expected values are the real graphs' (&lt;name&gt;.exp).</summary>
public class HistoryCancelGraphTests
{
    private static TransitionGraph GraphOf(string tier, string name) => CorpusGraph.Of(tier, name);

    private static List<GraphAction> Cancels(TransitionGraph g) =>
        [.. g.Synapses.Select(s => s.Action).Where(a => a.Task == ActionTask.Cancel).OrderBy(a => a.OperationKey, StringComparer.Ordinal)];

    [Fact]
    public void A_monitor_no_longer_configured_is_cancelled_naming_the_call_it_ends()
    {
        // rsc_c001n02 now monitors every 6s; its history shows the old 5s monitor (call 6).
        var cancel = Assert.Single(Cancels(GraphOf("tier2", "params-1")));
        Assert.Equal("rsc_c001n02_monitor_5000", cancel.OperationKey);
        Assert.Equal("c001n02", cancel.OnNode);
        Assert.Equal("6", cancel.Attribute("CRM_meta_call_id"));
        Assert.Equal("monitor", cancel.Attribute("CRM_meta_operation"));
        Assert.Equal("127.0.0.12", cancel.Attribute("ip"));
    }

    [Fact]
    public void Stop_orphan_actions_false_leaves_unconfigured_monitors_running()
    {
        Assert.Empty(Cancels(GraphOf("tier2", "orphan-0")));
    }

    [Fact]
    public void Maintenance_mode_cancels_the_configured_monitors_too()
    {
        var cancels = Cancels(GraphOf("tier2", "rsc-maintenance"));
        Assert.Equal(["rsc1_monitor_10000", "rsc2_monitor_10000"], cancels.Select(c => c.OperationKey));
        Assert.All(cancels, c => Assert.Equal("monitor", c.Attribute("CRM_meta_name")));
    }
}
