using Cluster.Crm.Cib;
using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Simulation;

/// <summary>crm_simulate's executed transition runs on the graph engine (outputs pinned to
/// Pacemaker 2.1.5's crm_simulate on the same CIB).</summary>
public class TransitionExecutionTests
{
    private const string Chain = """
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>
              <primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/>
              <primitive id="B" class="ocf" provider="pacemaker" type="Dummy"/>
              <primitive id="C" class="ocf" provider="pacemaker" type="Dummy"/>
            </resources>
            <constraints>
              <rsc_location id="l-A" rsc="A" node="node1" score="100"/>
              <rsc_location id="l-B" rsc="B" node="node1" score="100"/>
              <rsc_location id="l-C" rsc="C" node="node1" score="100"/>
              <rsc_order id="o-AB" first="A" then="B"/>
              SECOND
            </constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/>
            <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
          </status>
        </cib>
        """;

    private static SimulationOutput Run(string second, params string[] failures) =>
        CrmSimulator.Run(CibDocument.Parse(Chain.Replace("SECOND", second)), new SimulationRequest { Simulate = true, OpFailures = failures });

    private static List<string> Executed(string text) =>
        text.Split('\n').SkipWhile(l => !l.StartsWith("Executing Cluster Transition:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.Length > 0).ToList();

    [Fact]
    public void A_failed_start_in_an_order_chain_leaves_its_dependents_unexecuted()
    {
        var output = Run("""<rsc_order id="o-BC" first="B" then="C"/>""", "A_start_0@node1=1");
        var executed = Executed(output.Text);
        Assert.Contains("  * Resource action: A               start on node1", executed);
        Assert.Contains("Pretending action", string.Join("\n", executed));
        Assert.DoesNotContain(executed, l => l.Contains(" start on", StringComparison.Ordinal) && !l.Contains(" A ", StringComparison.Ordinal));
        Assert.Contains("  * Injecting attribute fail-count-A#start_0=value++ into /node_state '1'", executed);
        Assert.Equal(0, output.ExitCode);
        Assert.Contains("* A\t(ocf:pacemaker:Dummy):\t FAILED node1", output.Text);
        Assert.Contains("* B\t(ocf:pacemaker:Dummy):\t Stopped", output.Text.Split("Revised Cluster Status:")[1]);
    }

    [Fact]
    public void Without_failures_the_chain_runs_in_the_order_of_its_inputs()
    {
        var executed = Executed(Run("""<rsc_order id="o-BC" first="B" then="C"/>""").Text);
        int Index(string rsc) => executed.FindIndex(l => l.Contains($" {rsc} ", StringComparison.Ordinal) && l.EndsWith("start on node1", StringComparison.Ordinal));
        Assert.True(Index("A") < Index("B") && Index("B") < Index("C"), string.Join("\n", executed));
        // Every probe comes before the starts that wait for it.
        Assert.True(executed.FindLastIndex(l => l.Contains("monitor on", StringComparison.Ordinal)) < Index("A"));
    }

    [Fact]
    public void An_ordering_loop_is_an_invalid_transition_exit_1()
    {
        // Pacemaker 2.1.5: both starts stay in the summary, C (outside the loop) starts, then
        // "Transition failed: terminated" / "An invalid transition was produced", exit 1.
        var output = Run("""<rsc_order id="o-BA" first="B" then="A"/>""");
        var executed = Executed(output.Text);
        Assert.Equal(1, output.ExitCode);
        Assert.Equal(["Transition failed: terminated", "An invalid transition was produced"], executed[^2..]);
        Assert.Contains("  * Resource action: C               start on node1", executed);
        Assert.DoesNotContain(executed, l => l.EndsWith("start on node1", StringComparison.Ordinal) && (l.Contains(" A ") || l.Contains(" B ")));
        var revised = output.Text.Split("Revised Cluster Status:")[1];
        Assert.Contains("* A\t(ocf:pacemaker:Dummy):\t Stopped", revised);
        Assert.Contains("* C\t(ocf:pacemaker:Dummy):\t Started node1", revised);
    }
}
