using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>Promotable clones end to end through the scheduler (behaviour observed with Pacemaker 2.1.5).</summary>
public class PromotionScenarioTests
{
    private const string Stateful = """
        <clone id="S-clone"><primitive id="S" class="ocf" provider="pacemaker" type="Stateful"/>
          <meta_attributes id="m"><nvpair id="m1" name="promotable" value="true"/></meta_attributes></clone>
        """;

    private static string Cib(string node1Status, string node2Status, string constraints = "", string attrs2 = "") => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>{Stateful}</resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources><lrm_resource id="S" class="ocf" provider="pacemaker" type="Stateful">{node1Status}</lrm_resource></lrm_resources></lrm>
            </node_state>
            <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member">
              <transient_attributes id="2"><instance_attributes id="t2">{attrs2}</instance_attributes></transient_attributes>
              <lrm id="2"><lrm_resources><lrm_resource id="S" class="ocf" provider="pacemaker" type="Stateful">{node2Status}</lrm_resource></lrm_resources></lrm>
            </node_state>
          </status>
        </cib>
        """;

    private static string Op(string task, int rc, int call) =>
        $"""<lrm_rsc_op id="S_last_{call}" operation="{task}" call-id="{call}" rc-code="{rc}" op-status="0" interval="0" transition-key="1:1:{(task == "monitor" ? 7 : 0)}:x"/>""";

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml), new Cluster.Crm.Scheduler.SchedulerOptions { CheckDigests = false }).Summary);

    private static readonly string Running = Op("start", 0, 2);

    [Fact]
    public void Both_unpromoted_and_a_promotion_score_on_node2_promotes_the_instance_there() =>
        Assert.Equal(["  * Promote    S:1     ( Unpromoted -> Promoted node2 )"],
            Summary(Cib(Running, Running, attrs2: """<nvpair id="a" name="master-S" value="50"/>""")));

    [Fact]
    public void Without_any_promotion_score_nothing_is_promoted() =>
        Assert.Empty(Summary(Cib(Running, Running)));

    [Fact]
    public void A_promoted_location_constraint_alone_is_enough_to_promote() =>
        Assert.Equal(["  * Promote    S:0     ( Unpromoted -> Promoted node1 )"],
            Summary(Cib(Running, Running, """<rsc_location id="l" rsc="S-clone" node="node1" score="10" role="Promoted"/>""")));

    [Fact]
    public void A_higher_promoted_location_score_elsewhere_moves_the_promoted_role_there()
    {
        // The current role only breaks ties; node2 scores higher, so node1 is demoted and node2 promoted.
        var lines = Summary(Cib(Running + Op("promote", 0, 3), Running,
            """<rsc_location id="l" rsc="S-clone" node="node2" score="100" role="Promoted"/>"""));
        Assert.Equal(["  * Demote     S:0     ( Promoted -> Unpromoted node1 )", "  * Promote    S:1     ( Unpromoted -> Promoted node2 )"], lines);
    }

    [Fact]
    public void Target_role_unpromoted_demotes_a_promoted_instance()
    {
        var xml = Cib(Running + Op("promote", 0, 3), Running, attrs2: "")
            .Replace("""<nvpair id="m1" name="promotable" value="true"/>""",
                """<nvpair id="m1" name="promotable" value="true"/><nvpair id="m2" name="target-role" value="Unpromoted"/>""");
        Assert.Equal(["  * Demote     S:0     ( Promoted -> Unpromoted node1 )"], Summary(xml));
    }

    [Fact]
    public void A_failed_demote_counts_as_unpromoted_and_the_instance_is_recovered()
    {
        var lines = Summary(Cib(Running + Op("promote", 0, 3) + """<lrm_rsc_op id="S_last_failure_0" operation="demote" call-id="4" rc-code="1" op-status="0" interval="0" transition-key="1:1:0:x"/>""", Running));
        Assert.Equal(["  * Recover    S:0     ( Unpromoted node1 )"], lines);
    }
}
