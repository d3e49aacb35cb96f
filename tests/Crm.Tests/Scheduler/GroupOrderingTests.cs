using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// Orderings that name a group attach to the group's pseudo-actions: "G then X" waits for
/// G's "running", so reasons name it (observed with Pacemaker 2.1.5, corpus 994-2 and
/// bug-5014-GROUP-A-stopped-B-stopped).
/// </summary>
public class GroupOrderingTests
{
    private static string Cib(string resources, string constraints, string history = "") => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources>{history}</lrm_resources></lrm>
            </node_state>
          </status>
        </cib>
        """;

    private static string P(string id, bool stopped = false) =>
        $"""<primitive id="{id}" class="ocf" provider="pacemaker" type="Dummy">{(stopped ? $"""<meta_attributes id="{id}-m"><nvpair id="{id}-tr" name="target-role" value="Stopped"/></meta_attributes>""" : "")}</primitive>""";

    private static string Running(string id, int? monitorRc = null) =>
        $"""<lrm_resource id="{id}" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="{id}_last_0" operation="start" interval="0" call-id="2" rc-code="0" op-status="0" transition-key="0:0:0:x" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>"""
        + (monitorRc is { } rc ? $"""<lrm_rsc_op id="{id}_monitor_10000" operation="monitor" interval="10000" call-id="3" rc-code="{rc}" op-status="0" transition-key="0:0:0:x" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>""" : "")
        + "</lrm_resource>";

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    [Fact]
    public void A_member_recovery_restarts_what_follows_the_group_because_the_group_runs_again() =>
        Assert.Equal(["  * Recover    B       ( node1 )", "  * Restart    D       ( node1 )  due to required G running"],
            Summary(Cib($"""<group id="G">{P("A")}{P("B")}</group>{P("D")}""", """<rsc_order id="ord" first="G" then="D"/>""",
                Running("A") + Running("B", monitorRc: 1) + Running("D"))));

    [Fact]
    public void A_group_with_a_member_that_cannot_start_blocks_what_follows_it() =>
        Assert.Equal(["  * Start      D       ( node1 )  due to unrunnable G running (blocked)"],
            Summary(Cib($"""<group id="G">{P("A")}{P("B", stopped: true)}</group>{P("D")}""", """<rsc_order id="ord" first="G" then="D"/>""",
                Running("A"))));

    [Fact]
    public void An_asymmetric_order_on_a_stopped_group_blocks_the_then_group() =>
        Assert.Equal(["  * Start      C       ( node1 )  due to unrunnable G running (blocked)"],
            Summary(Cib($"""<group id="G">{P("A", stopped: true)}</group><group id="H">{P("C")}</group>""",
                """<rsc_order id="ord" first="G" then="H" symmetrical="false"/>""")));
}
