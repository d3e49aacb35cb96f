using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// An ordered set with require-all="false" lets the next set start once any one of its members
/// can (observed with Pacemaker 2.1.5; corpus one-or-more-1..5).
/// </summary>
public class RelaxedSetOrderingTests
{
    private const string Sets = """
        <rsc_order id="ord">
          <resource_set id="s1" sequential="false" require-all="false"><resource_ref id="B"/><resource_ref id="C"/></resource_set>
          <resource_set id="s2"><resource_ref id="D"/></resource_set>
        </rsc_order>
        """;

    private static string Cib(string resources, string constraints) => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/></nodes>
            <resources>{resources}</resources>
            <constraints>{constraints}</constraints>
          </configuration>
          <status><node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/></status>
        </cib>
        """;

    private static string P(string id, bool stopped = false) =>
        $"""<primitive id="{id}" class="ocf" provider="pacemaker" type="Dummy">{(stopped ? $"""<meta_attributes id="{id}-m"><nvpair id="{id}-tr" name="target-role" value="Stopped"/></meta_attributes>""" : "")}</primitive>""";

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    [Fact]
    public void One_startable_member_of_a_relaxed_set_is_enough_for_the_next_set() =>
        Assert.Equal(["  * Start      C       ( node1 )", "  * Start      D       ( node1 )"],
            Summary(Cib(P("B", stopped: true) + P("C") + P("D"), Sets)));

    [Fact]
    public void A_relaxed_set_with_no_startable_member_blocks_the_next_set_naming_its_pseudo_action() =>
        Assert.Equal(["  * Start      D       ( node1 )  due to unrunnable one-or-more:s1 (blocked)"],
            Summary(Cib(P("B", stopped: true) + P("C", stopped: true) + P("D"), Sets)));

    [Fact]
    public void A_set_requiring_all_members_is_blocked_by_any_one() =>
        Assert.Equal(["  * Start      C       ( node1 )", "  * Start      D       ( node1 )  due to unrunnable B start (blocked)"],
            Summary(Cib(P("B", stopped: true) + P("C") + P("D"), Sets.Replace(" require-all=\"false\"", "", StringComparison.Ordinal))));
}
