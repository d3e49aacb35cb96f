using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.Crm.Tests.Conformance;
using Cluster.Crm.Tests.Graph;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// Small hand-made CIBs (tests/conformance/oracle/make_cases.py) for what a running cluster
/// hands the scheduler: lost and cleanly stopped nodes with resource history, fencing with and
/// without a device, shutdowns, failed probes/starts/stops/monitors with every rc, op-status and
/// on-fail, migration-threshold, failure-timeout and quorum loss. Each case's summary and graph
/// were recorded from the real crm_simulate 2.1.5 (regenerate.sh); ours must say the same.
/// </summary>
public class OracleCaseTests
{
    private static string CaseDir => Path.Combine(RepoPaths.Root, "tests", "conformance", "oracle", "cases");

    private static List<string> Names() =>
        [.. Directory.GetFiles(CaseDir, "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names()) data.Add(name);
        return data;
    }

    private static SimulationOutput Run(string name) =>
        CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(Path.Combine(CaseDir, name + ".xml")), new SimulationRequest { Simulate = true });

    private static TransitionGraph Graph(SimulationOutput output) =>
        TransitionGraphXml.Parse(TransitionGraphXml.Write(output.Result.Graph), "ours");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Summary_and_revised_status_match_the_real_crm_simulate(string name)
    {
        var expected = ConformanceTests.Extract(File.ReadAllText(Path.Combine(CaseDir, name + ".summary")));
        Assert.Equal(expected, ConformanceTests.Extract(Run(name).Text));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Graph_means_what_the_real_graph_means(string name)
    {
        var expected = TransitionGraphXml.Parse(File.ReadAllText(Path.Combine(CaseDir, name + ".exp")), name + ".exp");
        var diffs = GraphMeaning.Differences(expected, Graph(Run(name)));
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    [Fact]
    public void There_are_cases_of_each_kind()
    {
        var names = Names();
        foreach (var prefix in (string[])["lost_", "shutdown_", "fail_start_", "fail_stop_", "fail_monitor_", "fail_probe_", "onfail_", "migthr", "failtimeout_", "noquorum_", "nodev_"])
            Assert.Contains(names, n => n.StartsWith(prefix, StringComparison.Ordinal));
    }

    private static Synapse SynapseOf(TransitionGraph g, Func<GraphAction, bool> match) => g.Synapses.Single(s => match(s.Action));

    private static IEnumerable<GraphAction> InputsOf(TransitionGraph g, Synapse s) => s.Inputs.Select(g.Action);

    [Fact]
    public void Lost_node_with_a_device_is_fenced_and_its_resource_moves_after_the_fencing()
    {
        var output = Run("lost_stonith");
        Assert.Contains("Fence (reboot) node3 'peer is no longer part of the cluster'", output.Text, StringComparison.Ordinal);
        var g = Graph(output);
        var fence = SynapseOf(g, a => a.Task == ActionTask.Stonith).Action;
        Assert.Equal("node3", fence.OnNode);
        // The stop on the lost node is implied by the fencing: a pseudo-action after it.
        var stop = SynapseOf(g, a => a.OperationKey == "rsc1_stop_0");
        Assert.Equal(GraphActionKind.PseudoEvent, stop.Action.Kind);
        Assert.Contains(fence, InputsOf(g, stop));
        var start = SynapseOf(g, a => a.OperationKey == "rsc1_start_0");
        Assert.Equal("node2", start.Action.OnNode);
        Assert.Contains(fence, InputsOf(g, start));
    }

    [Fact]
    public void Lost_node_without_fencing_enabled_is_not_fenced_and_its_resource_starts_elsewhere()
    {
        var output = Run("lost_nostonith");
        Assert.DoesNotContain("Fence", output.Text, StringComparison.Ordinal);
        var g = Graph(output);
        Assert.DoesNotContain(g.Synapses, s => s.Action.Task == ActionTask.Stonith);
        Assert.Equal("node1", SynapseOf(g, a => a.OperationKey == "rsc1_start_0").Action.OnNode);
    }

    [Fact]
    public void Lost_node_with_fencing_enabled_but_no_device_stays_unclean_and_nothing_starts()
    {
        var output = Run("lost_stonith_nodev");
        Assert.Contains("Node node3: UNCLEAN (offline)", output.Text, StringComparison.Ordinal);
        var g = Graph(output);
        Assert.DoesNotContain(g.Synapses, s => s.Action.Task is ActionTask.Stonith or ActionTask.Start);
    }

    [Fact]
    public void Node_down_cleanly_with_a_resource_thought_active_there_is_fenced()
    {
        var output = Run("shutdown_down_hist");
        Assert.Contains("Fence (reboot) node3 'rsc1 is thought to be active there'", output.Text, StringComparison.Ordinal);
        Assert.Contains(Graph(output).Synapses, s => s.Action.Task == ActionTask.Stonith && s.Action.OnNode == "node3");
    }

    [Fact]
    public void Clean_shutdown_sends_do_shutdown_after_the_nodes_stops()
    {
        var g = Graph(Run("shutdown_attr"));
        var down = SynapseOf(g, a => a.Task == ActionTask.DoShutdown);
        Assert.Equal("node3", down.Action.OnNode);
        Assert.Equal(["rsc1_stop_0", "rsc2_stop_0"], InputsOf(g, down).Select(a => a.OperationKey).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Fence_device_stop_implied_by_fencing_does_not_wait_for_the_fencing()
    {
        // requires=quorum (a fence device): its stop on the fenced node is a pseudo-action, not
        // ordered after the fencing it may have to carry out.
        var g = Graph(Run("fail_stop_rc1"));
        var stop = SynapseOf(g, a => a.OperationKey == "fence1_stop_0");
        Assert.Equal(GraphActionKind.PseudoEvent, stop.Action.Kind);
        Assert.DoesNotContain(InputsOf(g, stop), a => a.Task == ActionTask.Stonith);
    }
}
