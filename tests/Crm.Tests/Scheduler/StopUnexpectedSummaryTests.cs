using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// multiple-active=stop_unexpected stops only the extra copies; when only an extra copy failed,
/// the Recover line of the copy that stays carries their reason, "being multiply active"; when
/// the copy that stays failed it stops too and the line carries none, nor does a Restart (observed with Pacemaker 2.1.5's crm_simulate; corpus
/// stop-unexpected).
/// </summary>
public class StopUnexpectedSummaryTests
{
    private static string Cib(string node1History, string node2History = "") => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources><primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="A-m"><nvpair id="A-ma" name="multiple-active" value="stop_unexpected"/></meta_attributes></primitive></resources>
            <constraints/>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources><lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy">{Start}{node1History}</lrm_resource></lrm_resources></lrm>
            </node_state>
            <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="2"><lrm_resources><lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy">{Start}{node2History}</lrm_resource></lrm_resources></lrm>
            </node_state>
          </status>
        </cib>
        """;

    private const string Start = """<lrm_rsc_op id="A_last_0" operation="start" interval="0" call-id="2" rc-code="0" op-status="0" transition-key="0:0:0:x" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>""";

    private const string FailedMonitor = """<lrm_rsc_op id="A_monitor_10000" operation="monitor" interval="10000" call-id="3" rc-code="1" op-status="0" transition-key="0:0:0:x" op-digest="4811cef7f7f94e3a35a70be7916cb2fd"/>""";

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    [Fact]
    public void A_copy_that_stays_recovers_due_to_being_multiply_active_when_an_extra_copy_failed() =>
        Assert.Equal(["  * Recover    A       ( node1 )  due to being multiply active"], Summary(Cib("", FailedMonitor)));

    [Fact]
    public void A_failed_copy_that_stays_stops_too_and_recovers_without_a_reason() =>
        Assert.Equal(["  * Recover    A       ( node1 )"], Summary(Cib(FailedMonitor)));

    [Fact]
    public void A_healthy_copy_that_stays_restarts_without_a_reason() =>
        Assert.Equal(["  * Restart    A       ( node1 )"], Summary(Cib("")));
}
