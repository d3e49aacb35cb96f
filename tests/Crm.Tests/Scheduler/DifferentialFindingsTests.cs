using Cluster.Crm.Simulation;
using Cluster.TestSupport.Cib;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// Behaviours found by the differential test (generated CIBs against the real crm_simulate
/// 2.1.5), each reduced to a small CIB whose expected output was taken from the real tool.
/// </summary>
public class DifferentialFindingsTests
{
    private const string Stonith = """<nvpair id="o1" name="stonith-enabled" value="true"/>""";
    private const string NoStonith = """<nvpair id="o1" name="stonith-enabled" value="false"/>""";
    private const string Freeze = NoStonith + """<nvpair id="o2" name="no-quorum-policy" value="freeze"/>""";
    private const string CurrentDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8";

    /// <summary>Two online nodes; <paramref name="runningOnNode1"/> holds lrm_resource entries of node1.</summary>
    private static string Cib(bool quorum, string props, string resources, string constraints = "", string runningOnNode1 = "", bool node1Standby = false) => $"""
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="{(quorum ? 1 : 0)}" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o">{props}</cluster_property_set></crm_config>
            <nodes>{(node1Standby ? Node1Standby : "<node id=\"1\" uname=\"node1\"/>")}<node id="2" uname="node2"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>{runningOnNode1}</lrm_resources></lrm></node_state>
            <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
          </status>
        </cib>
        """;

    private const string Node1Standby =
        """<node id="1" uname="node1"><instance_attributes id="n1"><nvpair id="n1s" name="standby" value="on"/></instance_attributes></node>""";

    private const string StaleDigest = "0123456789abcdef0123456789abcdef";

    private static string P(string id, string inner = "") =>
        $"""<primitive id="{id}" class="ocf" provider="pacemaker" type="Dummy">{inner}</primitive>""";

    private static string Disabled(string id) =>
        $"""<meta_attributes id="{id}-m"><nvpair id="{id}-m-t" name="target-role" value="Stopped"/></meta_attributes>""";

    /// <summary>A successful start on node1 recorded with the given parameter digest.</summary>
    private static string Running(string id, string digest = CurrentDigest) => $"""
        <lrm_resource id="{id}" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="{id}_last_0" operation_key="{id}_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="node1" call-id="1" rc-code="0" op-status="0" interval="0" op-digest="{digest}"/></lrm_resource>
        """;

    private static SimulateOutput Simulate(string xml) =>
        SimulateOutput.Parse(CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Parse(xml), new SimulationRequest { Simulate = true }).Text);

    private static string[] Lines(string section) => section.Length == 0 ? [] : section.Split('\n');

    [Fact]
    public void StonithEnabledWithoutDevice_SchedulesNothing_YetShowsResourcesAsManaged()
    {
        var output = Simulate(Cib(true, Stonith, P("A", Disabled("A")) + P("B"), runningOnNode1: Running("A")));
        Assert.Empty(Lines(output.TransitionSummary));
        Assert.Equal(
            ["    * A\t(ocf:pacemaker:Dummy):\t Started node1 (disabled)", "    * B\t(ocf:pacemaker:Dummy):\t Stopped"],
            Lines(output.RevisedStatus).Where(l => l.StartsWith("    * ", StringComparison.Ordinal) && !l.Contains("Online", StringComparison.Ordinal)));
    }

    [Fact]
    public void QuorumFreeze_DefinitionChangeRestart_CannotStartAgain_SoOnlyStops() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to resource definition change"],
            Lines(Simulate(Cib(false, Freeze, P("A"), runningOnNode1: Running("A", StaleDigest))).TransitionSummary));

    [Fact]
    public void UnrunnableStart_StopsMandatorilyColocatedDependents_Transitively() =>
        Assert.Equal(
            [
                "  * Start      B       ( node1 )  due to quorum freeze (blocked)",
                "  * Stop       A       ( node1 )  due to colocation with B",
                "  * Stop       C       ( node1 )  due to colocation with A",
            ],
            Lines(Simulate(Cib(false, Freeze, P("B") + P("A") + P("C"),
                """<rsc_colocation id="c1" rsc="A" with-rsc="B" score="INFINITY"/><rsc_colocation id="c2" rsc="C" with-rsc="A" score="INFINITY"/>""",
                Running("A") + Running("C"))).TransitionSummary));

    [Fact]
    public void PrimaryPlacedNowhere_HasNoStartToBlock_SoALoopedDependentStillStarts() =>
        Assert.Equal(["  * Start      A       ( node1 )"],
            Lines(Simulate(Cib(true, NoStonith, P("B") + P("A"),
                """
                <rsc_colocation id="c1" rsc="A" with-rsc="B" score="INFINITY"/>
                <rsc_location id="l1" rsc="B" node="node1" score="-INFINITY"/><rsc_location id="l2" rsc="B" node="node2" score="-INFINITY"/>
                <rsc_colocation id="c2" rsc="B" with-rsc="A" score="INFINITY"/>
                """)).TransitionSummary));

    [Fact]
    public void QuorumFreeze_DefinitionChangeOfAResourceThatMustMove_StopsItWithTheReason() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to resource definition change"],
            Lines(Simulate(Cib(false, Freeze, P("A"), """<rsc_location id="l1" rsc="A" node="node1" score="-INFINITY"/>""",
                Running("A", StaleDigest))).TransitionSummary));

    [Fact]
    public void HistoryOnAStandbyNode_IsNotCheckedForDefinitionChanges() =>
        Assert.Equal(["  * Move       A       ( node1 -> node2 )"],
            Lines(Simulate(Cib(false, Freeze, P("A"), runningOnNode1: Running("A", StaleDigest), node1Standby: true)).TransitionSummary));

    [Fact]
    public void PrimariesAreAssignedInColocationListOrder_ById_NotConstraintOrder() =>
        // A's primaries sorted by id: B is assigned before Z, so B takes node1 and Z node2; A
        // follows Z (100) away from B (-INFINITY). In constraint order Z would take node1.
        Assert.Equal(["  * Start      A       ( node2 )", "  * Start      Z       ( node2 )", "  * Start      B       ( node1 )"],
            Lines(Simulate(Cib(true, NoStonith, P("A") + P("Z") + P("B"),
                """<rsc_colocation id="c1" rsc="A" with-rsc="Z" score="100"/><rsc_colocation id="c2" rsc="A" with-rsc="B" score="-INFINITY"/>""")).TransitionSummary));

    private const string StickyB = """<meta_attributes id="bm"><nvpair id="bm1" name="resource-stickiness" value="100"/></meta_attributes>""";

    [Fact]
    public void MandatoryOrder_RestartsARunningThen_WhenItsFirstStarts() =>
        Assert.Equal(["  * Start      A       ( node1 )", "  * Restart    B       ( node1 )  due to required A start"],
            Lines(Simulate(Cib(true, NoStonith, P("A") + P("B", StickyB),
                """<rsc_order id="r2" first="A" then="B" kind="Mandatory"/>""", Running("B"))).TransitionSummary));

    [Fact]
    public void SecondOrderBetweenTheSameActions_IsDropped_SoAnEarlierOptionalOneWins() =>
        Assert.Equal(["  * Start      A       ( node1 )"],
            Lines(Simulate(Cib(true, NoStonith, P("A") + P("B", StickyB),
                """<rsc_order id="r1" first="A" then="B" kind="Optional"/><rsc_order id="r2" first="A" then="B" kind="Mandatory"/>""",
                Running("B"))).TransitionSummary));
}
