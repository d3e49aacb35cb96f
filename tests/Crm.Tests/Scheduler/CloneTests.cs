using Cluster.Crm.Simulation;
using Cluster.TestSupport.Cib;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// Clones: instances, history mapping, placement and display. Every expected output here was
/// taken from the real crm_simulate 2.1.5 on the same CIB.
/// </summary>
public class CloneTests
{
    private const string Rsc = """<primitive id="rsc" class="ocf" provider="pacemaker" type="Dummy"/>""";

    /// <summary>Two online nodes, no fencing; lrm_resource entries per node.</summary>
    private static string Cib(string resources, string constraints = "", string onNode1 = "", string onNode2 = "") => $"""
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources>{onNode1}</lrm_resources></lrm></node_state>
            <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="2"><lrm_resources>{onNode2}</lrm_resources></lrm></node_state>
          </status>
        </cib>
        """;

    /// <summary>A successful start recorded under the given lrm_resource id.</summary>
    private static string Running(string lrmId, string node) => $"""
        <lrm_resource id="{lrmId}" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="{lrmId}_last_0" operation_key="{lrmId}_start_0" operation="start" crm_feature_set="3.16.1" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" on_node="{node}" call-id="1" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>
        """;

    private static string Clone(string meta = "") =>
        $"""<clone id="c">{Rsc}{(meta.Length == 0 ? "" : $"<meta_attributes id=\"m\">{meta}</meta_attributes>")}</clone>""";

    private static SimulateOutput Simulate(string xml) =>
        SimulateOutput.Parse(CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Parse(xml), new SimulationRequest { Simulate = true }).Text);

    private static string[] Summary(SimulateOutput o) =>
        o.TransitionSummary.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Collapse).ToArray();

    /// <summary>Resource lines of the revised status, whitespace runs collapsed.</summary>
    private static string[] Resources(SimulateOutput o) =>
        o.RevisedStatus.Split('\n').SkipWhile(l => !l.Contains("Full List of Resources", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.Trim().Length > 0).Select(Collapse).ToArray();

    private static string Collapse(string s) => string.Join(' ', s.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void AnonymousClone_StartsOneInstancePerNode_AndListsThemAsStarted()
    {
        var o = Simulate(Cib(Clone()));
        Assert.Equal(["* Start rsc:0 ( node1 )", "* Start rsc:1 ( node2 )"], Summary(o));
        Assert.Equal(["* Clone Set: c [rsc]:", "* Started: [ node1 node2 ]"], Resources(o));
    }

    [Fact]
    public void AnonymousHistory_IgnoresTheRecordedInstanceNumber_AndTakesTheFirstFreeInstance()
    {
        // "rsc:5" on node2 is instance rsc:0, so the missing copy is rsc:1.
        var o = Simulate(Cib(Clone(), onNode2: Running("rsc:5", "node2")));
        Assert.Equal(["* Start rsc:1 ( node1 )"], Summary(o));
        Assert.Equal(["* Clone Set: c [rsc]:", "* Started: [ node1 node2 ]"], Resources(o));
    }

    [Fact]
    public void UniqueClone_KeepsExactInstanceIds_AndPrintsEveryInstance()
    {
        var meta = """<nvpair id="m1" name="globally-unique" value="true"/><nvpair id="m2" name="clone-max" value="3"/>""";
        var o = Simulate(Cib(Clone(meta), onNode1: Running("rsc:1", "node1")));
        Assert.Equal(["* Start rsc:0 ( node2 )"], Summary(o));
        Assert.Equal(
            ["* Clone Set: c [rsc] (unique):", "* rsc:0 (ocf:pacemaker:Dummy): Started node2",
             "* rsc:1 (ocf:pacemaker:Dummy): Started node1", "* rsc:2 (ocf:pacemaker:Dummy): Stopped"],
            Resources(o));
    }

    [Fact]
    public void PrimitiveColocatedWithClone_GoesWhereAnInstanceRuns()
    {
        var resources = Clone("""<nvpair id="m2" name="clone-max" value="1"/>""")
            + """<primitive id="p" class="ocf" provider="pacemaker" type="Dummy"/>""";
        var o = Simulate(Cib(resources, """<rsc_colocation id="col" rsc="p" with-rsc="c" score="INFINITY"/>""",
            onNode2: Running("rsc", "node2")));
        Assert.Equal(["* Start p ( node2 )"], Summary(o));
        Assert.Equal(["* Clone Set: c [rsc]:", "* Started: [ node2 ]", "* p (ocf:pacemaker:Dummy): Started node2"], Resources(o));
    }
}
