using System.Text;
using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// Rules found on the tier3 corpus cases whose summaries differed, each checked against Pacemaker
/// 2.1.5's crm_simulate on hand-made variants.
/// </summary>
public class Tier3SummaryFindingsTests
{
    private static Cluster.Crm.Scheduler.ScheduleResult Run(string xml) =>
        Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml));

    private static IReadOnlyList<string> Summary(string xml) => SummaryFormatter.Lines(Run(xml).Summary);

    private static string Status(string xml)
    {
        var sb = new StringBuilder();
        StatusFormatter.Format(Run(xml), sb);
        return sb.ToString();
    }

    private const string Options = """<crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>""";

    private static string Node(int id, string history) => $"""
        <node_state id="{id}" uname="node{id}" in_ccm="true" crmd="online" join="member" expected="member">
          <lrm id="{id}"><lrm_resources>{history}</lrm_resources></lrm>
        </node_state>
        """;

    private static string Running(string rsc, int call) =>
        $"""<lrm_rsc_op id="{rsc}_last_0" operation_key="{rsc}_start_0" operation="start" interval="0" call-id="{call}" rc-code="0" op-status="0" transition-key="0:0:0:x" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>""";

    // --- A failed probe is shown ("Stopped (not installed)") only when its entry names its node.

    private static string ProbeCib(string onNode) => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>{Options}
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources><primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/></resources>
            <constraints/>
          </configuration>
          <status>
            {Node(1, $"""<lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="A_last_failure_0" operation_key="A_monitor_0" operation="monitor" interval="0" call-id="1" rc-code="5" op-status="0" transition-key="0:0:7:x"{onNode}/></lrm_resource>""")}
            {Node(2, $"""<lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="A_last_failure_0" operation_key="A_monitor_0" operation="monitor" interval="0" call-id="1" rc-code="5" op-status="0" transition-key="0:0:7:x"{onNode.Replace("node1", "node2")}/></lrm_resource>""")}
          </status>
        </cib>
        """;

    [Fact]
    public void A_failed_probe_that_names_its_node_shows_the_stopped_resource_as_not_installed() =>
        Assert.Contains("A\t(ocf:pacemaker:Dummy):\t Stopped (not installed) ", Status(ProbeCib(" on_node=\"node1\"")));

    [Fact]
    public void A_failed_probe_without_on_node_leaves_the_stopped_resource_plainly_stopped()
    {
        var status = Status(ProbeCib(""));
        Assert.Contains("A\t(ocf:pacemaker:Dummy):\t Stopped", status);
        Assert.DoesNotContain("not installed", status);
    }

    // --- A resource ordered before a clone restarts only when an instance on its own node stops.

    private static string CloneCib(string order) => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>{Options}
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>
              <primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/>
              <clone id="C-clone"><primitive id="C" class="ocf" provider="pacemaker" type="Dummy"/></clone>
            </resources>
            <constraints>
              <rsc_location id="ban" rsc="C-clone" node="node1" score="-INFINITY"/>
              {order}
            </constraints>
          </configuration>
          <status>
            {Node(1, $"""<lrm_resource id="C" class="ocf" provider="pacemaker" type="Dummy">{Running("C", 2)}</lrm_resource>""")}
            {Node(2, $"""<lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy">{Running("A", 3)}</lrm_resource><lrm_resource id="C" class="ocf" provider="pacemaker" type="Dummy">{Running("C", 2)}</lrm_resource>""")}
          </status>
        </cib>
        """;

    [Fact]
    public void A_resource_ordered_after_a_clone_stays_when_an_instance_on_another_node_stops() =>
        Assert.Equal(["  * Stop       C:0     ( node1 )  due to node availability"],
            Summary(CloneCib("""<rsc_order id="ord" first="C-clone" then="A"/>""")));

    [Fact]
    public void A_resource_ordered_after_a_clone_set_stays_when_an_instance_on_another_node_stops() =>
        Assert.Equal(["  * Stop       C:0     ( node1 )  due to node availability"],
            Summary(CloneCib("""<rsc_order id="ord"><resource_set id="o-0"><resource_ref id="C-clone"/></resource_set><resource_set id="o-1" sequential="false"><resource_ref id="A"/></resource_set></rsc_order>""")));

    // --- Interleaved clones: an instance with nothing of its first clone beside it stays inactive,
    // and so, in turn, do the instances ordered after it, whatever order the constraints come in.

    [Fact]
    public void Instances_ordered_after_an_inhibited_instance_stay_inactive_whatever_the_constraint_order()
    {
        var xml = $"""
            <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
              <configuration>{Options}
                <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
                <resources>
                  <clone id="A-clone"><meta_attributes id="A-m"><nvpair id="A-m1" name="target-role" value="Stopped"/><nvpair id="A-m2" name="interleave" value="true"/></meta_attributes><primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/></clone>
                  <clone id="B-clone"><meta_attributes id="B-m"><nvpair id="B-m1" name="interleave" value="true"/></meta_attributes><primitive id="B" class="ocf" provider="pacemaker" type="Dummy"/></clone>
                  <clone id="C-clone"><meta_attributes id="C-m"><nvpair id="C-m1" name="interleave" value="true"/></meta_attributes><primitive id="C" class="ocf" provider="pacemaker" type="Dummy"/></clone>
                </resources>
                <constraints>
                  <rsc_order id="ord2" first="B-clone" then="C-clone"/>
                  <rsc_order id="ord1" first="A-clone" then="B-clone"/>
                </constraints>
              </configuration>
              <status>{Node(1, "")}{Node(2, "")}</status>
            </cib>
            """;
        Assert.Empty(Summary(xml));
    }

    // --- A start still pending (call id -1) is placed by its transition against a completed entry:
    // a stop from a later transition supersedes it, one from an earlier transition does not.

    private static string PendingStartCib(int startTransition, int stopTransition) => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>{Options}
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources><primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/></resources>
            <constraints><rsc_location id="pref" rsc="A" node="node2" score="10"/></constraints>
          </configuration>
          <status>
            {Node(1, $"""<lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="A_start_0" operation="start" interval="0" call-id="-1" rc-code="-1" op-status="-1" transition-key="-1:{startTransition}:0:x" transition-magic="-1:-1;-1:{startTransition}:0:x"/><lrm_rsc_op id="A_stop_0" operation="stop" interval="0" call-id="8" rc-code="0" op-status="0" transition-key="0:{stopTransition}:0:x" transition-magic="0:0;0:{stopTransition}:0:x"/></lrm_resource>""")}
            {Node(2, "")}
          </status>
        </cib>
        """;

    [Fact]
    public void A_pending_start_superseded_by_a_later_transitions_stop_leaves_the_resource_inactive() =>
        Assert.Equal(["  * Start      A       ( node2 )"], Summary(PendingStartCib(8, 9)));

    [Fact]
    public void A_pending_start_from_a_later_transition_than_the_stop_keeps_the_resource_active() =>
        Assert.Equal(["  * Move       A       ( node1 -> node2 )"], Summary(PendingStartCib(9, 8)));

    // --- A resource ordered after a clone restarts only when an instance on its own node starts.

    [Fact]
    public void A_resource_ordered_after_a_clone_stays_when_an_instance_starts_on_another_node()
    {
        var xml = $"""
            <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
              <configuration>{Options}
                <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
                <resources>
                  <primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/>
                  <clone id="C-clone"><primitive id="C" class="ocf" provider="pacemaker" type="Dummy"/></clone>
                </resources>
                <constraints><rsc_order id="ord" first="C-clone" then="A"/></constraints>
              </configuration>
              <status>
                {Node(1, $"""<lrm_resource id="C" class="ocf" provider="pacemaker" type="Dummy">{Running("C", 2)}</lrm_resource><lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy">{Running("A", 3)}</lrm_resource>""")}
                {Node(2, "")}
              </status>
            </cib>
            """;
        Assert.Equal(["  * Start      C:1     ( node2 )"], Summary(xml));
    }
}
