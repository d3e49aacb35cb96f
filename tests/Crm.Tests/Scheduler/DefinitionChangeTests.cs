using Cluster.Crm.Simulation;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>
/// What a running resource's changed definition leads to (observed with Pacemaker 2.1.5 on the
/// corpus cases params-2..5 and bug-5025-1): reload, restart with or without a reason.
/// </summary>
public class DefinitionChangeTests
{
    // Digest of no parameters at all (shared/docs/op-digest.md vector 1).
    private const string EmptyDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8";

    private static string Cib(string history, string lrmClass = "ocf", string lrmProvider = "heartbeat") => $"""
        <cib admin_epoch="0" epoch="1" num_updates="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/></nodes>
            <resources>
              <primitive id="A" class="ocf" provider="heartbeat" type="IPaddr">
                <instance_attributes id="A-ia"><nvpair id="A-ip" name="ip" value="127.0.0.20"/></instance_attributes>
              </primitive>
            </resources>
            <constraints/>
          </configuration>
          <status>
            <node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources>
                <lrm_resource id="A" class="{lrmClass}" provider="{lrmProvider}" type="IPaddr">{history}</lrm_resource>
              </lrm_resources></lrm>
            </node_state>
          </status>
        </cib>
        """;

    private static string Op(string task, int callId, int rc, string digest, string extra = "", int status = 0, int target = 0) =>
        $"""<lrm_rsc_op id="A_{task}_0" operation="{task}" interval="0" call-id="{callId}" rc-code="{rc}" op-status="{status}" transition-key="0:0:{target}:x" op-digest="{digest}" {extra}/>""";

    private static IReadOnlyList<string> Summary(string xml) =>
        SummaryFormatter.Lines(Cluster.Crm.Scheduler.Scheduler.Schedule(Cluster.Crm.Cib.CibDocument.Parse(xml)).Summary);

    private const string Reloadable = $"""op-force-restart=" dummy " op-restart-digest="{EmptyDigest}" """;

    [Fact]
    public void Changed_reloadable_parameters_reload_the_agent() =>
        Assert.Equal(["  * Reload     A       ( node1 )"], Summary(Cib(Op("start", 2, 0, EmptyDigest, Reloadable))));

    [Fact]
    public void Changed_parameters_of_an_agent_without_reload_restart_it_with_the_reason() =>
        Assert.Equal(["  * Restart    A       ( node1 )  due to resource definition change"],
            Summary(Cib(Op("start", 2, 0, EmptyDigest))));

    [Fact]
    public void Reload_over_a_pending_start_becomes_a_restart_without_reason() =>
        Assert.Equal(["  * Restart    A       ( node1 )"],
            Summary(Cib(Op("start", -1, -1, EmptyDigest, Reloadable, status: -1))));

    [Fact]
    public void Changed_agent_class_forces_a_restart_without_reason() =>
        Assert.Equal(["  * Restart    A       ( node1 )"],
            Summary(Cib(Op("start", 2, 0, "c85a9e95c9e9147a613b270c79b58db6"), lrmClass: "lsb", lrmProvider: "")));

    [Fact]
    public void A_probe_that_found_it_running_is_checked_like_a_start() =>
        // The restart digest covers "ip" (force-restart list), which changed: restart.
        Assert.Equal(["  * Restart    A       ( node1 )  due to resource definition change"],
            Summary(Cib(Op("monitor", 3, 0, EmptyDigest, $"""op-force-restart=" ip " op-restart-digest="{EmptyDigest}" """, target: 7))));

    [Fact]
    public void Unchanged_parameters_do_nothing() =>
        Assert.Empty(Summary(Cib(Op("start", 2, 0, "c85a9e95c9e9147a613b270c79b58db6", Reloadable))));
}
