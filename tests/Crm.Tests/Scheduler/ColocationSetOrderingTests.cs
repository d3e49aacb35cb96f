using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// In a sequential colocation set each member is placed with the previous one, unless the set
/// says ordering="listed": then each is placed with the next one (observed with Pacemaker
/// 2.1.5; corpus ordered-set-natural).
/// </summary>
public class ColocationSetOrderingTests
{
    private static string Cib(string setAttributes) => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/></nodes>
            <resources>
              <primitive id="A" class="ocf" provider="pacemaker" type="Dummy"/>
              <primitive id="B" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="B-m"><nvpair id="B-tr" name="target-role" value="Stopped"/></meta_attributes></primitive>
              <primitive id="C" class="ocf" provider="pacemaker" type="Dummy"/>
            </resources>
            <constraints>
              <rsc_colocation id="col" score="INFINITY"><resource_set id="s1"{setAttributes}><resource_ref id="A"/><resource_ref id="B"/><resource_ref id="C"/></resource_set></rsc_colocation>
            </constraints>
          </configuration>
          <status><node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/></status>
        </cib>
        """;

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    [Fact]
    public void By_default_later_members_follow_earlier_ones_so_a_stopped_member_stops_the_rest() =>
        Assert.Equal(["  * Start      A       ( node1 )"], Summary(Cib("")));

    [Fact]
    public void Listed_ordering_makes_earlier_members_follow_later_ones() =>
        Assert.Equal(["  * Start      C       ( node1 )"], Summary(Cib(" ordering=\"listed\"")));
}
