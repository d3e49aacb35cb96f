using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// A resource whose stop failed (on-fail=block without fencing) is unmanaged and blocked: its
/// stop cannot run, and an action mandatorily ordered after that stop cannot run either; it keeps
/// its own reason (observed with Pacemaker 2.1.5's crm_simulate; corpus unmanaged-stop-2, order7).
/// </summary>
public class BlockedStopOrderingTests
{
    private static string Cib(string constraints) => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/></nodes>
            <resources>
              <primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="A-m"><nvpair id="A-tr" name="target-role" value="Stopped"/></meta_attributes></primitive>
              <primitive id="B" class="ocf" provider="pacemaker" type="Dummy"/>
            </resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources>
                <lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="A_last_0" operation="start" interval="0" call-id="2" rc-code="0" op-status="0" transition-key="0:0:0:x" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>
                <lrm_resource id="B" class="ocf" provider="pacemaker" type="Dummy"><lrm_rsc_op id="B_last_0" operation="stop" interval="0" call-id="2" rc-code="1" op-status="0" transition-key="0:0:0:x" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/></lrm_resource>
              </lrm_resources></lrm>
            </node_state>
          </status>
        </cib>
        """;

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    [Fact]
    public void A_stop_ordered_after_a_blocked_stop_is_blocked_with_its_own_reason() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to node availability (blocked)"],
            Summary(Cib("""<rsc_order id="ord1" first="B" first-action="stop" then="A" then-action="stop"/>""")));

    [Fact]
    public void A_stop_not_ordered_after_a_blocked_stop_runs() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to node availability"], Summary(Cib("")));
}
