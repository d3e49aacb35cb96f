using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>History clean-ups ("delete") in the graph as Pacemaker 2.1.5 writes them: for a
/// resource no longer configured, or whose agent changed; stop, clean-up, start.</summary>
public class CleanupGraphTests
{
    private static (TransitionGraph Graph, string Text) Run(string tier, string name)
    {
        var output = CorpusGraph.Simulate(tier, name);
        return (CorpusGraph.ReadBack(output.Result.Graph, name), output.Text);
    }

    private static List<string> InputsOf(TransitionGraph g, string key, string node) =>
        [.. g.Synapses.Single(s => s.Action.OperationKey == key && s.Action.OnNode == node).Inputs.Select(i => g.Action(i).OperationKey).Order(StringComparer.Ordinal)];

    [Fact]
    public void An_agent_change_cleans_the_history_between_the_stop_and_the_start()
    {
        // rsc2 was ocf:heartbeat:apache on node2 and is lsb:apache now.
        var (g, _) = Run("tier2", "params-2");
        Assert.Equal(["rsc2_stop_0"], InputsOf(g, "rsc2_delete_0", "node2"));
        Assert.Contains("rsc2_delete_0", InputsOf(g, "rsc2_start_0", "node2"));
    }

    [Fact]
    public void An_orphan_is_stopped_then_cleaned_and_crm_simulate_prints_but_keeps_its_history()
    {
        var (g, text) = Run("tier2", "orphan-1");
        Assert.Equal(["rsc_c001n08_stop_0"], InputsOf(g, "rsc_c001n08_delete_0", "c001n08"));
        Assert.Contains("rsc_c001n08     delete on c001n08", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_orphan_left_unmanaged_by_stop_orphan_resources_false_is_not_cleaned()
    {
        var (g, _) = Run("tier2", "orphan-0");
        Assert.DoesNotContain(g.Synapses, s => s.Action.Task == ActionTask.Delete);
    }
}
