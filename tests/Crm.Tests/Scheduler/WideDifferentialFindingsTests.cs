using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// Behaviours found by the widened differential (<c>CibGenerator.Wide</c> CIBs against the real
/// crm_simulate 2.1.5), each reduced to a small CIB whose expected output was taken from the
/// real tool.
/// </summary>
public class WideDifferentialFindingsTests
{
    private const string NoStonith = """<nvpair id="o1" name="stonith-enabled" value="false"/>""";

    /// <summary>Two online nodes; node1's history and transient attributes are given.</summary>
    private const string Node1Online = "in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"";

    private static string Cib(string resources, string constraints = "", string node1History = "", string node1Attributes = "", bool quorum = true, string props = NoStonith, string node1State = Node1Online, string node2History = "", string node2State = Node1Online) => $"""
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="{(quorum ? 1 : 0)}" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o">{props}</cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" {node1State}>
              <transient_attributes id="1"><instance_attributes id="s1">{node1Attributes}</instance_attributes></transient_attributes>
              <lrm id="1"><lrm_resources>{node1History}</lrm_resources></lrm>
            </node_state>
            <node_state id="2" uname="node2" {node2State}>{(node2History.Length == 0 ? "" : $"<lrm id=\"2\"><lrm_resources>{node2History}</lrm_resources></lrm>")}</node_state>
          </status>
        </cib>
        """;

    /// <summary>A Dummy with a 10 s monitor; <paramref name="meta"/> are extra meta nvpairs.</summary>
    private static string P(string id, string meta = "") => $"""
        <primitive id="{id}" class="ocf" provider="pacemaker" type="Dummy">
          <meta_attributes id="{id}-m">{meta}</meta_attributes>
          <operations><op id="{id}-mon" name="monitor" interval="10s"/><op id="{id}-start" name="start" interval="0s" timeout="20s"/><op id="{id}-stop" name="stop" interval="0s" timeout="20s"/></operations>
        </primitive>
        """;

    private static string Meta(string id, string name, string value) => $"""<nvpair id="{id}-m-{name}" name="{name}" value="{value}"/>""";

    /// <summary>Started on node1 (call 1), then its 10 s monitor failed (rc 7, call 2) long ago.</summary>
    private static string StartedThenMonitorFailed(string id) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker">
          <lrm_rsc_op id="{id}_last_0" operation_key="{id}_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node1" call-id="1" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
          <lrm_rsc_op id="{id}_monitor_10000" operation_key="{id}_monitor_10000" operation="monitor" crm_feature_set="3.16.1" transition-key="2:1:0:x" transition-magic="0:7;2:1:0:x" on_node="node1" call-id="2" rc-code="7" op-status="0" interval="10000" last-rc-change="1700000000" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>
        </lrm_resource>
        """;

    private static string FailCount(string id) => $"""
        <nvpair id="{id}-fc" name="fail-count-{id}#monitor_10000" value="1"/><nvpair id="{id}-lf" name="last-failure-{id}#monitor_10000" value="1700000000"/>
        """;

    private static string Simulate(string xml) =>
        CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Parse(xml), new SimulationRequest { Simulate = true }).Text;

    private static string Revised(string text, string id) => StatusLine(text, "Revised Cluster Status:", id);

    private static string Current(string text, string id) => StatusLine(text, "Current cluster status:", id);

    private static string StatusLine(string text, string header, string id)
    {
        var from = text.IndexOf(header, StringComparison.Ordinal);
        return text[from..].Split('\n').First(l => l.Contains($"* {id}\t", StringComparison.Ordinal)).Trim();
    }

    [Fact]
    public void ExpiredMonitorFailure_IsRescheduledWhereItFailed_WhenTheResourceStaysOrMoves()
    {
        var stays = Simulate(Cib(P("A", Meta("A", "failure-timeout", "10s")), node1History: StartedThenMonitorFailed("A"), node1Attributes: FailCount("A")));
        Assert.Contains("  * Resource action: A               monitor=10000 on node1", stays, StringComparison.Ordinal);
        Assert.Contains("  * Cluster action:  clear_failcount for A on node1", stays, StringComparison.Ordinal);

        var moves = Simulate(Cib(P("A", Meta("A", "failure-timeout", "10s")), """<rsc_location id="l" rsc="A" node="node2" score="INFINITY"/>""",
            StartedThenMonitorFailed("A"), FailCount("A")));
        Assert.Contains("  * Resource action: A               monitor=10000 on node1", moves, StringComparison.Ordinal);
        // The simulated monitor there finds it running again, as the real tool's does.
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started [ node1 node2 ]", Revised(moves, "A"));
    }

    [Fact]
    public void ExpiredMonitorFailure_IsNotRescheduled_WhenTheResourceIsAssignedNowhere()
    {
        var text = Simulate(Cib(P("A", Meta("A", "failure-timeout", "10s") + Meta("A", "target-role", "Stopped")),
            node1History: StartedThenMonitorFailed("A"), node1Attributes: FailCount("A")));
        Assert.DoesNotContain("monitor=10000", text, StringComparison.Ordinal);
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped (disabled)", Revised(text, "A"));
    }

    [Fact]
    public void ExpiredMonitorFailure_IsNotRescheduled_WhenTheStartThereCannotRun()
    {
        // Without quorum (policy stop) the resource keeps its node but its start there is unrunnable.
        var text = Simulate(Cib(P("A", Meta("A", "failure-timeout", "10s")), node1History: StartedThenMonitorFailed("A"), node1Attributes: FailCount("A"), quorum: false));
        Assert.Contains("  * Stop       A       ( node1 )  due to no quorum", text, StringComparison.Ordinal);
        Assert.DoesNotContain("monitor=10000", text, StringComparison.Ordinal);
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped", Revised(text, "A"));
    }

    /// <summary>node1's history: a stop that returned <paramref name="rc"/> with op-status <paramref name="opStatus"/>.</summary>
    private static string StopFailed(string id, int rc, int opStatus = 0) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker">
          <lrm_rsc_op id="{id}_last_0" operation_key="{id}_stop_0" operation="stop" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="{opStatus}:{rc};1:1:0:x" on_node="node1" call-id="1" rc-code="{rc}" op-status="{opStatus}" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
        </lrm_resource>
        """;

    private const string StonithWithoutDevice = """<nvpair id="o1" name="stonith-enabled" value="true"/>""";

    [Theory]
    [InlineData(2, 0)]
    [InlineData(5, 0)]
    [InlineData(5, 4)]
    public void HardStopFailure_WhereTheNodeCannotBeFenced_BlocksTheResource(int rc, int opStatus)
    {
        var text = Simulate(Cib(P("A"), node1History: StopFailed("A", rc, opStatus), props: StonithWithoutDevice));
        Assert.Contains("1 BLOCKED from further action due to failure", text, StringComparison.Ordinal);
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t FAILED node1 (blocked)", Revised(text, "A"));
    }

    [Theory]
    [InlineData(1, 0)] // a generic error: fencing would recover it, were there a device
    [InlineData(5, 2)] // a timeout is not the agent's verdict
    [InlineData(6, 0)] // not configured: fatal, banned everywhere, but not blocked
    public void OtherStopFailures_WhereTheNodeCannotBeFenced_LeaveTheResourceManaged(int rc, int opStatus) =>
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t FAILED node1",
            Revised(Simulate(Cib(P("A"), node1History: StopFailed("A", rc, opStatus), props: StonithWithoutDevice)), "A"));

    [Fact]
    public void HardStopFailure_BlocksEvenOnceExpiredOrIgnored_AndAStoppedBlockedResourceShowsIt()
    {
        var expired = Simulate(Cib(P("A", Meta("A", "failure-timeout", "10s")), node1History: StopFailed("A", 5), props: StonithWithoutDevice));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped (blocked)", Current(expired, "A"));
        // Its expired failure alone tells nothing, so it is probed there, and the probe's result
        // replaces the failed stop as the last operation: no longer blocked afterwards.
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped", Revised(expired, "A"));
        var ignored = Simulate(Cib(P("A").Replace("""timeout="20s"/></operations>""", """timeout="20s" on-fail="ignore"/></operations>""", StringComparison.Ordinal),
            node1History: StopFailed("A", 5), props: StonithWithoutDevice));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped (blocked, failure ignored)", Revised(ignored, "A"));
    }

    private static string Started(string id) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="{id}_last_0" operation_key="{id}_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node1" call-id="1" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>
        """;

    [Fact]
    public void FencedNode_DoesNotImplyTheStopOfAnUnmanagedGroupMember_SoTheMembersBeforeItCannotStopOrMove()
    {
        // node1 left the cluster uncleanly and is fenced; group G = A, B, C runs there, C unmanaged.
        var group = $"""<primitive id="fence1" class="stonith" type="fence_dummy"/><group id="G">{P("A")}{P("B")}{P("C", Meta("C", "is-managed", "false"))}</group>""";
        var text = Simulate(Cib(group, node1History: Started("A") + Started("B") + Started("C"),
            props: """<nvpair id="o1" name="stonith-enabled" value="true"/>""",
            node1State: "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\""));
        Assert.Equal(
            [
                "  * Fence (reboot) node1 'peer is no longer part of the cluster'",
                "  * Start      fence1     ( node2 )",
                "  * Stop       A          ( node1 )  due to unrunnable B stop (blocked)",
                "  * Stop       B          ( node1 )  due to unrunnable C stop (blocked)",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        // Fencing stops them all the same.
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped", Revised(text, "A"));
        Assert.Equal("* C\t(ocf:pacemaker:Dummy):\t Stopped (unmanaged)", Revised(text, "C"));
    }

    [Fact]
    public void FailureOnANodeToBeFenced_IsNotShownFailed_TheFencingSettlesIt()
    {
        // node1 went down cleanly, but A's stop failed there: A is thought active on a down node,
        // so node1 is to be fenced (no device here), and A counts as started there, not FAILED.
        var text = Simulate(Cib(P("A"), node1History: StopFailed("A", 1),
            props: """<nvpair id="o1" name="stonith-enabled" value="true"/>""",
            node1State: "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"down\""));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started node1 (UNCLEAN)", Current(text, "A"));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started node1 (UNCLEAN)", Revised(text, "A"));
    }

    private static string StartFailed(string id, int rc) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="{id}_last_0" operation_key="{id}_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:{rc};1:1:0:x" on_node="node1" call-id="1" rc-code="{rc}" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>
        """;

    [Fact]
    public void GroupLocation_GoesToTheFirstMemberOnly_SoLaterMembersFollowABlockedFirstMember()
    {
        // G = A, B on node1, banned from node1; A's stop failed and cannot be fenced: A stays,
        // blocked, and B, colocated with it, is still assigned node1 but cannot start after A.
        var text = Simulate(Cib($"""<group id="G">{P("A")}{P("B")}</group>""", """<rsc_location id="l" rsc="G" node="node1" score="-INFINITY"/>""",
            node1History: StopFailed("A", 1) + Started("B")));
        Assert.Equal(["  * Stop       B       ( node1 )  due to unrunnable A start"],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t FAILED node1 (blocked)", Revised(text, "A"));
    }

    [Fact]
    public void HardErrorOfALaterGroupMember_BansThatMemberOnly()
    {
        // G = A, B may not run on node2; B's start failed hard (rc 2) on node1: B is banned
        // there, A is not, so A stays and only B stops.
        var text = Simulate(Cib($"""<group id="G">{P("A")}{P("B")}</group>""", """<rsc_location id="l" rsc="G" node="node2" score="-INFINITY"/>""",
            node1History: Started("A") + StartFailed("B", 2)));
        Assert.Equal(["  * Stop       B       ( node1 )  due to node availability"],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started node1", Revised(text, "A"));
    }

    /// <summary>A probe of <paramref name="id"/> on <paramref name="node"/> that returned <paramref name="rc"/>.</summary>
    private static string Probed(string id, string node, int rc, int call) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="{id}_last_0" operation_key="{id}_monitor_0" operation="monitor" crm_feature_set="3.16.1" transition-key="{call}:1:7:x" transition-magic="0:{rc};{call}:1:7:x" on_node="{node}" call-id="{call}" rc-code="{rc}" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>
        """;

    [Fact]
    public void MaskedProbes_TheStatusShowsTheFirstNodesResult_BeforeAndAfterTheTransition()
    {
        // Probes found A's parameters invalid on node1 (rc 2) and the agent missing on node2 (rc 5).
        var text = Simulate(Cib(P("A"), node1History: Probed("A", "node1", 2, 1), node2History: Probed("A", "node2", 5, 2)));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped (invalid parameter)", Current(text, "A"));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Stopped (invalid parameter)", Revised(text, "A"));
    }

    private static string WithParameter(string primitive, string id) =>
        primitive.Replace($"<meta_attributes id=\"{id}-m\">", $"<instance_attributes id=\"{id}-i\"><nvpair id=\"{id}-i-fake\" name=\"fake\" value=\"v2\"/></instance_attributes><meta_attributes id=\"{id}-m\">", StringComparison.Ordinal);

    [Theory]
    [InlineData("stop", "  * Restart    A       ( node1 )  due to resource definition change")]
    // Without fencing, no-quorum-policy=ignore makes a resource require nothing; placing its
    // start then clears the reason the definition change gave it.
    [InlineData("ignore", "  * Restart    A       ( node1 )")]
    public void DefinitionChangeRestart_HasNoReason_WhenTheResourceRequiresNothing(string noQuorumPolicy, string line)
    {
        var text = Simulate(Cib(WithParameter(P("A"), "A"), node1History: Started("A"),
            props: NoStonith + $"""<nvpair id="o2" name="no-quorum-policy" value="{noQuorumPolicy}"/>"""));
        Assert.Equal([line], Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }

    [Fact]
    public void ExpiredMonitorFailure_IsNotRescheduledOnAStandbyNode()
    {
        // As ExpiredMonitorFailure_IsRescheduledWhereItFailed_WhenTheResourceStaysOrMoves, but
        // node1 is in standby: Pacemaker checks no history there, so A just moves.
        var text = Simulate(Cib(P("A", Meta("A", "failure-timeout", "10s")), node1History: StartedThenMonitorFailed("A"),
            node1Attributes: FailCount("A") + """<nvpair id="sb" name="standby" value="on"/>"""));
        Assert.DoesNotContain("monitor=10000 on node1", text, StringComparison.Ordinal);
        Assert.Contains("  * Cluster action:  clear_failcount for A on node1", text, StringComparison.Ordinal);
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started node2", Revised(text, "A"));
    }

    [Fact]
    public void FencingFromHistory_IsCreatedInStatusOrder_OfflineNodesIncluded_AndListedNewestFirst()
    {
        // node1 went down cleanly with A still thought active there; B's monitor failed on node2
        // with on-fail=fence. With fencing enabled Pacemaker unpacks every node's history in
        // status order (node1 first), so node2's fencing is the newer and listed first.
        const string b = """<primitive id="B" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="B-mon" name="monitor" interval="10s" on-fail="fence"/></operations></primitive>""";
        const string bFailed = """<lrm_resource id="B" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="B_last_0" operation_key="B_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node2" call-id="1" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/><lrm_rsc_op id="B_monitor_10000" operation_key="B_monitor_10000" operation="monitor" crm_feature_set="3.16.1" transition-key="2:1:0:x" transition-magic="0:1;2:1:0:x" on_node="node2" call-id="2" rc-code="1" op-status="0" interval="10000" last-rc-change="1700000000" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/></lrm_resource>""";
        var text = Simulate(Cib($"""<primitive id="fence1" class="stonith" type="fence_dummy"/>{P("A")}{b}""", node1History: Started("A"),
            props: """<nvpair id="o1" name="stonith-enabled" value="true"/>""",
            node1State: "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"down\"", node2History: bFailed));
        Assert.Equal(
            [
                "  * Fence (reboot) node2 'B failed there'",
                "  * Fence (reboot) node1 'A is thought to be active there'",
                "  * Stop       A       ( node1 )  due to node availability",
                "  * Stop       B       ( node2 )  due to node availability",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }

    [Fact]
    public void FatalStopFailureOfAGroupMember_BansThatMemberOnly_TheNextOneFollowsItWhereItIsBlocked()
    {
        // A's stop failed with rc 6 (not configured) and fencing is off: A is blocked on node1
        // and banned everywhere, but B is not banned: it stays assigned with A and cannot start.
        var text = Simulate(Cib($"""<group id="G">{P("A")}{P("B")}</group>""", node1History: StopFailed("A", 6) + Started("B")));
        Assert.Equal(["  * Stop       B       ( node1 )  due to unrunnable A start"],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t FAILED node1 (blocked)", Revised(text, "A"));
    }

    [Fact]
    public void NegativeColocationWithAGroup_FollowsItsFirstMember_EvenWhenTheLastOneIsStopped()
    {
        // G = A (on node1), B (disabled); C, also on node1, must not run with G: a non-mandatory
        // colocation with a group counts where its first member runs, so C moves away.
        var text = Simulate(Cib($"""<group id="G">{P("A")}{P("B", Meta("B", "target-role", "Stopped"))}</group>{P("C")}""",
            """<rsc_colocation id="c" rsc="C" with-rsc="G" score="-INFINITY"/>""", node1History: Started("A") + Started("C")));
        Assert.Equal(["  * Move       C       ( node1 -> node2 )"],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }

    [Fact]
    public void ResourceActiveAlsoOnANodeToBeFenced_IsMultiplyActive_AndRestartsWhereItStays()
    {
        // A runs on node1 and, as far as the cluster knows, on node2, which left uncleanly and
        // is fenced: Pacemaker counts node2 too, so A is multiply active and restarted on node1.
        var text = Simulate(Cib($"""<primitive id="fence1" class="stonith" type="fence_dummy"/>{P("A")}""", node1History: Started("A"),
            props: """<nvpair id="o1" name="stonith-enabled" value="true"/>""",
            node2History: Started("A").Replace("on_node=\"node1\"", "on_node=\"node2\"", StringComparison.Ordinal),
            node2State: "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\""));
        Assert.Equal(
            [
                "  * Fence (reboot) node2 'peer is no longer part of the cluster'",
                "  * Start      fence1     ( node1 )",
                "  * Restart    A          ( node1 )",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }
    [Fact]
    public void StartBlockedFromTheOutset_ReachesTheNextMemberAsUnrunnable_WhileAStoppingMembersStartReachesItAsRequired()
    {
        // Without quorum (freeze) A cannot start; B and C run. B's start is reached by A's
        // start, required and unrunnable from the outset: Pacemaker names it "unrunnable". C's
        // start is reached by B's, which was made required the moment it became unrunnable
        // (B is running and must stop): "required".
        var text = Simulate(Cib($"""<group id="g">{P("A")}{P("B")}{P("C")}</group>""", node1History: Started("B") + Started("C"), quorum: false,
            props: NoStonith + """<nvpair id="o2" name="no-quorum-policy" value="freeze"/>"""));
        Assert.Equal(
            [
                "  * Start      A       ( node1 )  due to quorum freeze (blocked)",
                "  * Stop       B       ( node1 )  due to unrunnable A start",
                "  * Stop       C       ( node1 )  due to required B start",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }
    /// <summary>Without quorum, with fencing enabled: node2 left uncleanly and cannot be fenced, so
    /// B's stop there can never run.</summary>
    private static string StopStuckOnUnfenceableNode(string resources, string constraints) =>
        Simulate(Cib($"""<primitive id="fence1" class="stonith" type="fence_dummy"/>{resources}""", constraints, node1History: Started("A"), quorum: false,
            props: """<nvpair id="o1" name="stonith-enabled" value="true"/>""",
            node2History: Started("B").Replace("on_node=\"node1\"", "on_node=\"node2\"", StringComparison.Ordinal),
            node2State: "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\""));

    [Fact]
    public void StuckStop_DoesNotBlockTheStopOrderedAfterIt_ByAConstraint_ButTheTransitionCanNeverFinish()
    {
        // "A then B": A's stop waits for B's. Pacemaker's inverse ordering only makes B's stop
        // required; A's stop stays runnable and in the graph, waiting on an action the graph
        // lacks, so the transition ends "terminated" (exit 1) and A keeps running.
        var text = StopStuckOnUnfenceableNode(P("A") + P("B"), """<rsc_order id="ord" first="A" then="B" kind="Mandatory"/>""");
        var output = Cluster.TestSupport.Cib.SimulateOutput.Parse(text);
        Assert.Equal(
            [
                "  * Start      fence1     ( node1 )  due to no quorum (blocked)",
                "  * Stop       A          ( node1 )  due to no quorum",
                "  * Stop       B          ( node2 )  due to no quorum (blocked)",
            ],
            output.TransitionSummary.Split('\n'));
        Assert.Contains("Transition failed: terminated\nAn invalid transition was produced", text, StringComparison.Ordinal);
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started node1", Revised(text, "A"));
    }

    [Fact]
    public void StuckStop_BlocksTheEarlierGroupMembersStop()
    {
        // Within a group the member before B cannot stop until B has: blocked, with B's stop as the reason.
        var text = StopStuckOnUnfenceableNode($"""<group id="g">{P("A")}{P("B")}</group>""", "");
        Assert.Equal(
            [
                "  * Start      fence1     ( node1 )  due to no quorum (blocked)",
                "  * Stop       A          ( node1 )  due to unrunnable B stop (blocked)",
                "  * Stop       B          ( node2 )  due to no quorum (blocked)",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        Assert.DoesNotContain("Transition failed", text, StringComparison.Ordinal);
    }
    [Fact]
    public void UnmanagedGroupMembersRequiredStart_IsNeverRun_SoTheGroupsRunningNeverCompletes()
    {
        // B (unmanaged) failed its probe on node1 and stays there; A starts before it, which makes
        // B's start required. Pacemaker leaves an unmanaged resource's start out of the graph but
        // keeps it as an input of g's running: the transition ends "terminated" and B stays FAILED.
        var probeFailed = """
            <lrm_resource id="B" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="B_last_0" operation_key="B_monitor_0" operation="monitor" crm_feature_set="3.16.1" transition-key="1:1:7:x" transition-magic="0:1;1:1:7:x" on_node="node1" call-id="1" rc-code="1" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
              <lrm_rsc_op id="B_last_failure_0" operation_key="B_monitor_0" operation="monitor" crm_feature_set="3.16.1" transition-key="1:1:7:x" transition-magic="0:1;1:1:7:x" on_node="node1" call-id="1" rc-code="1" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            </lrm_resource>
            """;
        var text = Simulate(Cib($"""<group id="g">{P("A")}{P("B", Meta("B", "is-managed", "false"))}</group>""", node1History: probeFailed));
        Assert.Equal("  * Start      A       ( node1 )", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
        Assert.DoesNotContain("B               start", text, StringComparison.Ordinal);
        Assert.DoesNotContain("g_running_0", text, StringComparison.Ordinal);
        Assert.Contains("Transition failed: terminated\nAn invalid transition was produced", text, StringComparison.Ordinal);
        Assert.Equal("* B\t(ocf:pacemaker:Dummy):\t FAILED node1 (unmanaged)", Revised(text, "B"));
    }

    /// <summary>Three online nodes, no fencing; <paramref name="node3History"/> and
    /// <paramref name="node2History"/> are lrm_resource elements.</summary>
    private static string ThreeNodes(string resources, string constraints, string node2History, string node3History, string defaults = "") => $"""
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o">{NoStonith}</cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/><node id="3" uname="node3"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
            {defaults}
          </configuration>
          <status>
            <node_state id="1" uname="node1" {Node1Online}/>
            <node_state id="2" uname="node2" {Node1Online}><lrm id="2"><lrm_resources>{node2History}</lrm_resources></lrm></node_state>
            <node_state id="3" uname="node3" {Node1Online}><lrm id="3"><lrm_resources>{node3History}</lrm_resources></lrm></node_state>
          </status>
        </cib>
        """;

    private static string StartedOn(string id, string node, int call) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker">
          <lrm_rsc_op id="{id}_last_0" operation_key="{id}_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="{node}" call-id="{call}" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
        </lrm_resource>
        """;

    private const string Bare = """<primitive id="{0}" class="ocf" provider="pacemaker" type="Dummy"/>""";

    [Fact]
    public void MultiplyActiveResource_BreaksATieOfScoresForItsFirstActiveNode()
    {
        // Active on node2 and node3, every score 0: Pacemaker's pe__current_node (the first node
        // in its history) wins the tie, not the lowest name (node1).
        var text = Simulate(ThreeNodes(string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A"), "",
            StartedOn("A", "node2", 1), StartedOn("A", "node3", 1)));
        Assert.Equal("  * Restart    A       ( node2 )", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
    }

    [Fact]
    public void ColocationLoop_AddsTheAssignedResourcesOwnPreferencesOnceMore()
    {
        // A with B -1000 and B with A INFINITY, both on node3 with stickiness 1. Assigning A
        // assigns B first; B's colocation with A (still being assigned) is skipped, and B's score
        // on node3 is 1 (stickiness) - 1 (A's, through A with B) - 1 (B's own again, back through
        // the loop): B goes to node1, as in the real tool. (The real tool then also moves A to
        // node2, merging B although B is already assigned; ours does not merge assigned
        // dependents: doing so made cluster-sim admin seed 1378 never settle.)
        var resources = string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A") + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B");
        var constraints = """
            <rsc_colocation id="c1" rsc="A" with-rsc="B" score="-1000"/>
            <rsc_colocation id="c2" rsc="B" with-rsc="A" score="INFINITY"/>
            """;
        var defaults = """<rsc_defaults><meta_attributes id="d"><nvpair id="d1" name="resource-stickiness" value="1"/></meta_attributes></rsc_defaults>""";
        var text = Simulate(ThreeNodes(resources, constraints, "", StartedOn("A", "node3", 1) + StartedOn("B", "node3", 2), defaults));
        Assert.Contains("  * Move       B       ( node3 -> node1 )", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }

    [Theory]
    [InlineData(5, "  * Recover    A       ( node1 -> node2 )")]
    [InlineData(3, "  * Recover    A       ( node1 )")]
    public void RecurringMonitorErrorStatus_IsJudgedByItsRc_NotInstalledBansTheNode(int rc, string expected)
    {
        // op-status 4 (error): Pacemaker re-derives the status from the rc. Not installed (5) is a
        // hard error that bans A from node1; unimplemented feature (3) on a recurring monitor is
        // merely "not supported", so A recovers in place.
        var history = $"""
            <lrm_resource id="A" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="A_last_0" operation_key="A_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node1" call-id="1" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
              <lrm_rsc_op id="A_monitor_10000" operation_key="A_monitor_10000" operation="monitor" crm_feature_set="3.16.1" transition-key="2:1:0:x" transition-magic="4:{rc};2:1:0:x" on_node="node1" call-id="2" rc-code="{rc}" op-status="4" interval="10000" last-rc-change="1700000000" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>
            </lrm_resource>
            """;
        var text = Simulate(Cib(P("A"), node1History: history));
        Assert.Equal(expected, Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
    }

    [Theory]
    [InlineData("stop", "( node1 )", "  * Stop       A          ( node2 )  due to node availability")]
    [InlineData("restart", "(          node1 )", "  * Move       A          ( node2 -> node1 )")]
    public void MonitorFailureOnANodeBeingFenced_StillStopsTheResource_WhenOnFailIsStop(string onFail, string fenceStartOn, string expected)
    {
        // node2 left the cluster uncleanly with A's monitor failed there: fencing settles the
        // failure (A is not FAILED), but on-fail=stop still keeps A stopped everywhere.
        var resources = $"""
            <primitive id="fence1" class="stonith" type="fence_dummy"/>
            <primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="A-mon" name="monitor" interval="10s" on-fail="{onFail}"/></operations></primitive>
            """;
        var history = """
            <lrm_resource id="A" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="A_last_0" operation_key="A_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node2" call-id="1" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
              <lrm_rsc_op id="A_monitor_10000" operation_key="A_monitor_10000" operation="monitor" crm_feature_set="3.16.1" transition-key="2:1:0:x" transition-magic="0:7;2:1:0:x" on_node="node2" call-id="2" rc-code="7" op-status="0" interval="10000" last-rc-change="1700000000" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>
            </lrm_resource>
            """;
        var text = Simulate(Cib(resources, props: """<nvpair id="o1" name="stonith-enabled" value="true"/>""",
            node2History: history, node2State: "in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\""));
        Assert.Equal(
            [
                "  * Fence (reboot) node2 'peer is no longer part of the cluster'",
                "  * Start      fence1     " + fenceStartOn,
                expected,
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        Assert.Equal("* A\t(ocf:pacemaker:Dummy):\t Started node2 (UNCLEAN)", Current(text, "A"));
    }

    [Fact]
    public void UnmanagedMultiplyActiveResource_IsAssignedToItsFirstActiveNode_SoItsDependentsFollowIt()
    {
        // U (unmanaged) is active on node2 and node3; C is colocated with it. Pacemaker assigns an
        // unmanaged resource to its pe__current_node even when it is multiply active, so C can start.
        var resources = """
            <primitive id="U" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="U-m"><nvpair id="U-m-1" name="is-managed" value="false"/></meta_attributes></primitive>
            """ + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "C");
        var text = Simulate(ThreeNodes(resources, """<rsc_colocation id="c1" rsc="C" with-rsc="U" score="INFINITY"/>""",
            StartedOn("U", "node2", 1), StartedOn("U", "node3", 1)));
        Assert.Equal("  * Start      C       ( node2 )", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
    }
    /// <summary>node1 and node3 online, node2 online in maintenance; no fencing. The histories
    /// are lrm_resource elements.</summary>
    private static string Node2InMaintenance(string resources, string node1History, string node2History, string node3History) => $"""
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o">{NoStonith}</cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/><node id="3" uname="node3"/></nodes>
            <resources>{resources}</resources>
            <constraints/>
          </configuration>
          <status>
            <node_state id="1" uname="node1" {Node1Online}><lrm id="1"><lrm_resources>{node1History}</lrm_resources></lrm></node_state>
            <node_state id="2" uname="node2" {Node1Online}>
              <transient_attributes id="2"><instance_attributes id="s2"><nvpair id="s2-m" name="maintenance" value="true"/></instance_attributes></transient_attributes>
              <lrm id="2"><lrm_resources>{node2History}</lrm_resources></lrm>
            </node_state>
            <node_state id="3" uname="node3" {Node1Online}><lrm id="3"><lrm_resources>{node3History}</lrm_resources></lrm></node_state>
          </status>
        </cib>
        """;

    [Fact]
    public void UnmanagedMultiplyActiveMember_AssignedToAMaintenanceNode_KeepsItsStartRequired_SoTheGroupsRunningNeverCompletes()
    {
        // B is active on node2 (in maintenance, so B is unmanaged from there on) and node3, and is
        // assigned to node2, its first node. Being multiply active makes its start required;
        // Pacemaker makes an unmanaged resource's start optional again only when it creates the
        // recurring monitors, which it skips on a maintenance node. So g's start and running are
        // required, running waits for B's start, which the graph leaves out: terminated.
        var resources = $"""<group id="g">{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B")}</group>""";
        var text = Simulate(Node2InMaintenance(resources, "", StartedOn("B", "node2", 1), StartedOn("A", "node3", 1) + StartedOn("B", "node3", 2)));
        Assert.Equal("", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
        Assert.Contains("  * Pseudo action:   g_start_0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("B               start", text, StringComparison.Ordinal);
        Assert.Contains("Transition failed: terminated\nAn invalid transition was produced", text, StringComparison.Ordinal);
    }

    [Fact]
    public void UnmanagedMultiplyActiveResource_AssignedToANormalNode_IsMonitoredThere_AndItsStartStaysOptional()
    {
        // U is active on node1 and node2 (in maintenance): assigned to node1, its first node, it
        // gets its recurring monitor there (none ran there yet), which makes its start optional
        // again: the transition completes.
        var resources = $"""<primitive id="U" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="U-mon" name="monitor" interval="10s"/></operations></primitive>""";
        var text = Simulate(Node2InMaintenance(resources, StartedOn("U", "node1", 1), StartedOn("U", "node2", 2), ""));
        Assert.Contains("  * Resource action: U               monitor=10000 on node1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Transition failed", text, StringComparison.Ordinal);
        Assert.Equal("* U\t(ocf:pacemaker:Dummy):\t Started (unmanaged) [ node1 node2 ]", Revised(text, "U"));
    }
    [Fact]
    public void GroupThatCannotStart_DoesNotBlockWhatIsColocatedWithIt()
    {
        // X can run nowhere and G's first member A is ordered after it, so neither A nor B can
        // start; D (INFINITY with G) is still started where G was placed: Pacemaker 2.1.5 blocks
        // the dependents of a primary that cannot start only outside groups.
        var x = string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "X");
        var g = $"""<group id="G">{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B")}</group>""";
        var d = string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "D");
        var constraints = """
            <rsc_location id="lx1" rsc="X" node="node1" score="-INFINITY"/><rsc_location id="lx2" rsc="X" node="node2" score="-INFINITY"/><rsc_location id="lx3" rsc="X" node="node3" score="-INFINITY"/>
            <rsc_order id="ord" first="X" then="A"/>
            <rsc_colocation id="c" rsc="D" with-rsc="G" score="INFINITY"/>
            """;
        var text = Simulate(ThreeNodes(x + g + d, constraints, "", ""));
        Assert.Equal(
            [
                "  * Start      A       ( node1 )  due to unrunnable X start (blocked)",
                "  * Start      B       ( node1 )  due to unrunnable A start (blocked)",
                "  * Start      D       ( node1 )",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        // Outside a group the same ordering blocks the dependent.
        var alone = Simulate(ThreeNodes(x + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A") + d,
            constraints.Replace("with-rsc=\"G\"", "with-rsc=\"A\"", StringComparison.Ordinal), "", ""));
        Assert.Contains("  * Start      D       ( node1 )  due to colocation with A (blocked)", Cluster.TestSupport.Cib.SimulateOutput.Parse(alone).TransitionSummary.Split('\n'));
    }

    [Fact]
    public void BlockedResource_HasNoStart_SoWhatIsColocatedWithItStillStarts()
    {
        // A's stop failed (no fencing): A is blocked on node1 and Pacemaker schedules no start
        // for it at all, so nothing blocks D (INFINITY with A).
        var history = """
            <lrm_resource id="A" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="A_last_0" operation_key="A_stop_0" operation="stop" crm_feature_set="3.16.1" transition-key="2:1:0:x" transition-magic="0:1;2:1:0:x" on_node="node1" call-id="2" rc-code="1" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            </lrm_resource>
            """;
        var resources = string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A") + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "D");
        var text = Simulate(Cib(resources, """<rsc_colocation id="c" rsc="D" with-rsc="A" score="INFINITY"/>""", history));
        Assert.Equal("  * Start      D       ( node1 )", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
    }
    [Fact]
    public void AntiColocatedStart_WaitsForAGroupsStoppedThatCannotComplete()
    {
        // A's stop failed on node1 (blocked), so B stops and G's stopped is required but cannot
        // run. R (-INFINITY with G) starts on node2 only after G has stopped: Pacemaker keeps that
        // input though the graph lacks it, R never starts and the transition is terminated.
        var history = """
            <lrm_resource id="A" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="A_last_0" operation_key="A_stop_0" operation="stop" crm_feature_set="3.16.1" transition-key="2:1:0:x" transition-magic="0:1;2:1:0:x" on_node="node1" call-id="2" rc-code="1" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            </lrm_resource>
            <lrm_resource id="B" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="B_last_0" operation_key="B_start_0" operation="start" crm_feature_set="3.16.1" transition-key="3:1:0:x" transition-magic="0:0;3:1:0:x" on_node="node1" call-id="3" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            </lrm_resource>
            """;
        var resources = $"""<group id="G">{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B")}</group>"""
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "R");
        var text = Simulate(Cib(resources, """<rsc_colocation id="c" rsc="R" with-rsc="G" score="-INFINITY"/>""", history));
        Assert.Equal(
            [
                "  * Stop       B       ( node1 )  due to unrunnable A start",
                "  * Start      R       ( node2 )",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
        Assert.DoesNotContain("R               start", text, StringComparison.Ordinal);
        Assert.Contains("Transition failed: terminated\nAn invalid transition was produced", text, StringComparison.Ordinal);
        Assert.Equal("* R\t(ocf:pacemaker:Dummy):\t Stopped", Revised(text, "R"));
    }
    [Fact]
    public void GroupRunningRequiredAndUnrunnableFromTheOutset_ReachesWhatFollowsAsRequired()
    {
        // A starts, B can run nowhere: G's running is required and cannot run from the outset.
        // R (running on node2, ordered after G) must stop, and Pacemaker names the required
        // running, as it applies implies-then before runnable-left.
        var resources = $"""<group id="G">{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B")}</group>"""
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "R");
        var constraints = """
            <rsc_location id="lb1" rsc="B" node="node1" score="-INFINITY"/><rsc_location id="lb2" rsc="B" node="node2" score="-INFINITY"/>
            <rsc_order id="ord" first="G" then="R"/>
            """;
        var history = """
            <lrm_resource id="R" type="Dummy" class="ocf" provider="pacemaker">
              <lrm_rsc_op id="R_last_0" operation_key="R_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node2" call-id="1" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
            </lrm_resource>
            """;
        var text = Simulate(Cib(resources, constraints, node2History: history));
        Assert.Equal(
            [
                "  * Start      A       ( node1 )",
                "  * Stop       R       ( node2 )  due to required G running",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }

    [Fact]
    public void UnmanagedResource_PrefersEachNodeItIsActiveOn_SoAnAntiColocatedPrimaryAvoidsThemAll()
    {
        // U (unmanaged) is active on node2 and node3 and must avoid R. Pacemaker gives U INFINITY
        // on each node it is active on ("not_managed_default"), and R, merging U's -INFINITY
        // preferences, leaves node2 for node1 (wide seed 65).
        var u = """<primitive id="U" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="U-m"><nvpair id="U-m-im" name="is-managed" value="false"/></meta_attributes></primitive>""";
        var text = Simulate(ThreeNodes(u + string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "R"),
            """<rsc_colocation id="c" rsc="U" with-rsc="R" score="-INFINITY"/>""",
            StartedOn("U", "node2", 1) + StartedOn("R", "node2", 2), StartedOn("U", "node3", 3)));
        Assert.Equal("  * Move       R       ( node2 -> node1 )", Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary);
    }

    [Fact]
    public void GroupMemberRestart_BlockedByAnUnmanagedMembersStop_NamesThatStop()
    {
        // A's monitor failed, so A, B and C restart in G; C is unmanaged, so its stop can never
        // run and blocks B's stop, which blocks A's. Pacemaker names the blocked stop after each
        // member (C's is unrunnable from the outset), not "required A start" (wide seeds 117, 835).
        var c = """<primitive id="C" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="C-m"><nvpair id="C-m-im" name="is-managed" value="false"/></meta_attributes></primitive>""";
        var resources = $"""<group id="G">{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B")}{c}</group>""";
        var history = StartedThenMonitorFailed("A")
            + StartedOn("B", "node1", 3)
            + StartedOn("C", "node1", 4);
        var text = Simulate(Cib(resources, "", history));
        Assert.Equal(
            [
                "  * Stop       A       ( node1 )  due to unrunnable B stop (blocked)",
                "  * Stop       B       ( node1 )  due to unrunnable C stop (blocked)",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }

    [Fact]
    public void GroupColocatedWithAStartThatCannotRun_BlocksItsFirstMember_TheOthersFollowByOrdering()
    {
        // R cannot start (no quorum, freeze) and G (A, B, C, all started) is INFINITY with R.
        // Only A's start is blocked "colocation with R"; an active resource's start is required
        // the moment it becomes unrunnable, so B stops for "required A start" and C for B's stop
        // (wide seed 239), not all three "colocation with R".
        var resources = string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "R")
            + $"""<group id="G">{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "A")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "B")}{string.Format(System.Globalization.CultureInfo.InvariantCulture, Bare, "C")}</group>""";
        var text = Simulate(Cib(resources, """<rsc_colocation id="c" rsc="G" with-rsc="R" score="INFINITY"/>""",
            StartedOn("A", "node1", 1) + StartedOn("B", "node1", 2) + StartedOn("C", "node1", 3), quorum: false,
            props: NoStonith + """<nvpair id="o2" name="no-quorum-policy" value="freeze"/>"""));
        Assert.Equal(
            [
                "  * Start      R       ( node1 )  due to quorum freeze (blocked)",
                "  * Stop       A       ( node1 )  due to colocation with R",
                "  * Stop       B       ( node1 )  due to required A start",
                "  * Stop       C       ( node1 )  due to required B stop",
            ],
            Cluster.TestSupport.Cib.SimulateOutput.Parse(text).TransitionSummary.Split('\n'));
    }
}
