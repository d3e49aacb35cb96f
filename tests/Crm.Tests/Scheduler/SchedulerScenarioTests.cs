using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>Scenarios from crm-spec §11.3, observed with Pacemaker 2.1.5.</summary>
public class SchedulerScenarioTests
{
    private static string Cib(string resources, string constraints = "", string status = "", string props = "", string rscDefaults = "") => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/>{props}</cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
            {rscDefaults}
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">{status}</node_state>
            <node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/>
          </status>
        </cib>
        """;

    private static string P(string id) => $"""<primitive id="{id}" class="ocf" provider="pacemaker" type="Dummy"/>""";

    private static IReadOnlyList<string> Summary(string xml)
    {
        var result = Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml));
        return SummaryFormatter.Lines(result.Summary);
    }

    [Fact]
    public void One_resource_starts_on_the_first_node_by_name() =>
        Assert.Equal(["  * Start      A       ( node1 )"], Summary(Cib(P("A"))));

    [Fact]
    public void Unconstrained_resources_are_balanced_by_assigned_count() =>
        Assert.Equal(
            ["  * Start      A       ( node1 )", "  * Start      B       ( node2 )", "  * Start      C       ( node1 )"],
            Summary(Cib(P("A") + P("B") + P("C"))));

    [Fact]
    public void Location_score_picks_the_node() =>
        Assert.Equal(["  * Start      A       ( node2 )"],
            Summary(Cib(P("A"), """<rsc_location id="l" rsc="A" node="node2" score="50"/>""")));

    [Fact]
    public void Minus_infinity_location_bans_the_node() =>
        Assert.Equal(["  * Start      A       ( node2 )"],
            Summary(Cib(P("A"), """<rsc_location id="l" rsc="A" node="node1" score="-INFINITY"/>""")));

    [Fact]
    public void Asymmetric_cluster_without_location_keeps_resource_stopped() =>
        Assert.Empty(Summary(Cib(P("A"), props: """<nvpair id="o2" name="symmetric-cluster" value="false"/>""")));

    [Fact]
    public void Anti_colocated_primary_gets_the_dependents_preference_negatively() =>
        Assert.Equal(["  * Start      A       ( node2 )", "  * Start      B       ( node1 )"],
            Summary(Cib(P("A") + P("B"),
                """<rsc_colocation id="c" rsc="B" with-rsc="A" score="-INFINITY"/><rsc_location id="l" rsc="B" node="node1" score="100"/>""")));

    [Fact]
    public void Group_members_start_together_in_order() =>
        Assert.Equal(
            ["  * Start      G1      ( node1 )", "  * Start      G2      ( node1 )", "  * Start      G3      ( node1 )"],
            Summary(Cib($"""<group id="G">{P("G1")}{P("G2")}{P("G3")}</group>""")));

    private const string Running = """
        <lrm id="1"><lrm_resources><lrm_resource id="A" class="ocf" provider="pacemaker" type="Dummy">
          <lrm_rsc_op id="A_last_0" operation_key="A_start_0" operation="start" transition-key="1:1:0:x" call-id="2" rc-code="0" op-status="0" interval="0" op-digest="f2317cad3d54cec5d7d7aa7d0bf35cf8"/>
        </lrm_resource></lrm_resources></lrm>
        """;

    [Fact]
    public void Disabled_running_resource_is_stopped_due_to_node_availability() =>
        Assert.Equal(["  * Stop       A       ( node1 )  due to node availability"],
            Summary(Cib("""<primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="m"><nvpair id="m1" name="target-role" value="Stopped"/></meta_attributes></primitive>""", status: Running)));

    [Fact]
    public void Running_resource_stays_put_without_changes() =>
        Assert.Empty(Summary(Cib(P("A"), status: Running)));

    [Fact]
    public void Changed_parameters_restart_due_to_definition_change() =>
        Assert.Equal(["  * Restart    A       ( node1 )  due to resource definition change"],
            Summary(Cib("""<primitive id="A" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="i"><nvpair id="i1" name="fake" value="2"/></instance_attributes></primitive>""", status: Running)));

    [Fact]
    public void No_quorum_with_policy_stop_stops_running_and_blocks_new_starts()
    {
        var xml = Cib(P("A") + P("B"), status: Running).Replace("have-quorum=\"1\"", "have-quorum=\"0\"");
        Assert.Equal(
            ["  * Stop       A       ( node1 )  due to no quorum", "  * Start      B       ( node2 )  due to no quorum (blocked)"],
            Summary(xml));
    }
}
