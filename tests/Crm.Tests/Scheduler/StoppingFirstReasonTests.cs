using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// A running resource ordered after one that is stopping cannot start again, so it stops; its
/// Stop line names the first resource's start ("required C start"), which Pacemaker makes
/// required while the first resource stops. A first resource that is already stopped only makes
/// the start unrunnable (observed with Pacemaker 2.1.5's crm_simulate; corpus bug-5014-ordered-
/// set-symmetrical-true and bug-1718).
/// </summary>
public class StoppingFirstReasonTests
{
    private static string Cib(string resources, string constraints, string history) => $"""
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

    private static string Running(string id) =>
        $"""<lrm_resource id="{id}" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="{id}_last_0" operation="start" interval="0" call-id="2" rc-code="0" op-status="0" transition-key="0:0:0:x" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>""";

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    private const string CThenA = """<rsc_order id="ord1" first="C" then="A"/>""";

    [Fact]
    public void A_resource_ordered_after_a_stopping_one_stops_because_that_start_is_required() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to required C start", "  * Stop       C       ( node1 )  due to node availability"],
            Summary(Cib(P("A") + P("C", stopped: true), CThenA, Running("A") + Running("C"))));

    [Fact]
    public void A_resource_ordered_after_a_stopped_one_stops_because_that_start_is_unrunnable() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to unrunnable C start"],
            Summary(Cib(P("A") + P("C", stopped: true), CThenA, Running("A"))));

    [Fact]
    public void A_later_group_member_names_the_earlier_members_stop() =>
        Assert.Equal(["  * Stop       C       ( node1 )  due to required X start", "  * Stop       A       ( node1 )  due to required C stop",
                      "  * Stop       X       ( node1 )  due to node availability"],
            Summary(Cib($"""<group id="G">{P("C")}{P("A")}</group>{P("X", stopped: true)}""", """<rsc_order id="ord1" first="X" then="G"/>""",
                Running("A") + Running("C") + Running("X"))));
}
