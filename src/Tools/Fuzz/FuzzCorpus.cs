using System.Text;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// Seed inputs: the shared reference data beside the clone (corosync.conf fixtures, the
/// scheduler conformance CIBs) when found, plus a few built-in entries so a run never starts empty.
/// </summary>
public static class FuzzCorpus
{
    private const string SampleConf = """
        totem {
            version: 2
            cluster_name: fuzz
            transport: knet
            crypto_cipher: none
            crypto_hash: none
            token: 3000
            interface {
                linknumber: 0
                knet_link_priority: 1
            }
        }
        nodelist {
            node {
                ring0_addr: 10.0.0.1
                name: node1
                nodeid: 1
            }
            node {
                ring0_addr: 10.0.0.2
                name: node2
                nodeid: 2
            }
        }
        quorum {
            provider: corosync_votequorum
            two_node: 1
        }
        logging {
            to_logfile: yes
            logfile: /var/log/cluster/corosync.log
            to_syslog: yes
            timestamp: on
            logger_subsys {
                subsys: QUORUM
                debug: off
            }
        }
        uidgid {
            uid: 0
            gid: 0
        }
        """;

    private const string SampleCib = """
        <cib validate-with="pacemaker-3.9" epoch="5" num_updates="2" admin_epoch="0" have-quorum="1" dc-uuid="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="n1"><instance_attributes id="n1-a"><nvpair id="n1-a1" name="site" value="a"/></instance_attributes></node><node id="2" uname="n2"/></nodes>
            <resources>
              <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"><operations><op id="ip-mon" name="monitor" interval="10s" timeout="20s"/></operations></primitive>
              <group id="g"><primitive id="g1" class="lsb" type="foo"/><primitive id="g2" class="service" type="bar"/></group>
              <clone id="c"><meta_attributes id="c-m"><nvpair id="c-m1" name="clone-max" value="2"/></meta_attributes><primitive id="d" class="ocf" provider="pacemaker" type="Dummy"/></clone>
            </resources>
            <constraints>
              <rsc_location id="l1" rsc="ip" node="n1" score="100"/>
              <rsc_location id="l2" rsc-pattern="^g" node="n2" score="-INFINITY"/>
              <rsc_location id="l3" rsc="g"><rule id="r1" score="50" boolean-op="or"><expression id="e1" attribute="site" operation="eq" value="a"/>
                <date_expression id="de1" operation="in_range" start="2020-001"><duration id="du1" years="1" hours="3"/></date_expression></rule></rsc_location>
              <rsc_colocation id="co1" rsc="g" with-rsc="ip" score="INFINITY"/>
              <rsc_order id="o1" first="ip" then="g" kind="Mandatory"/>
              <rsc_order id="o2"><resource_set id="s1" sequential="false"><resource_ref id="ip"/><resource_ref id="c"/></resource_set></rsc_order>
            </constraints>
            <op_defaults><meta_attributes id="od"><nvpair id="od1" name="timeout" value="30s"/></meta_attributes></op_defaults>
          </configuration>
          <status>
            <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
              <transient_attributes id="1"><instance_attributes id="status-1"><nvpair id="status-1-f" name="fail-count-ip#monitor_10000" value="1"/></instance_attributes></transient_attributes>
              <lrm id="1"><lrm_resources><lrm_resource id="ip" class="ocf" provider="heartbeat" type="IPaddr2">
                <lrm_rsc_op id="ip_last_0" operation_key="ip_start_0" operation="start" crm-debug-origin="do_update_resource" crm_feature_set="3.16.2" transition-key="1:1:0:x" transition-magic="0:0;1:1:0:x" exit-reason="" on_node="n1" call-id="5" rc-code="0" op-status="0" interval="0" last-rc-change="1700000000" exec-time="20" queue-time="0" op-digest="abc"/>
              </lrm_resource></lrm_resources></lrm>
            </node_state>
            <node_state id="2" uname="n2" in_ccm="false" crmd="offline" join="down" expected="down"/>
          </status>
        </cib>
        """;

    /// <summary>The shared reference directory: <paramref name="given"/>, else <c>../shared</c> of a directory above the working or program directory.</summary>
    public static string? FindShared(string? given)
    {
        if (given is not null) return Directory.Exists(given) ? given : null;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared");
                if (Directory.Exists(Path.Combine(candidate, "conformance")))
                    return Path.GetFullPath(candidate);
            }
        }
        return null;
    }

    public static IReadOnlyList<byte[]> Config(string? shared) =>
        [Encoding.UTF8.GetBytes(SampleConf), .. Files(shared, Path.Combine("fixtures", "corosync-conf"), "*.conf")];

    public static IReadOnlyList<byte[]> Cib(string? shared) =>
        [Encoding.UTF8.GetBytes(SampleCib), .. Files(shared, Path.Combine("conformance", "scheduler"), "*.xml")];

    /// <summary>One frame per kind of message the daemon and its clients exchange.</summary>
    public static IReadOnlyList<byte[]> Ipc() =>
    [
        IpcFuzzTarget.Frame("""{"op":"cmap.get","seq":1,"key":"totem.token"}"""),
        IpcFuzzTarget.Frame("""{"op":"cmap.set","seq":2,"key":"a.b","type":"u32","value":"4294967295"}"""),
        IpcFuzzTarget.Frame("""{"op":"reply.cmap.items","seq":3,"error":"CS_OK","items":[{"key":"totem.token","type":"u32","value":"3000"}]}"""),
        IpcFuzzTarget.Frame("""{"op":"cpg.join","seq":4,"group":"crmd","pid":1234}"""),
        IpcFuzzTarget.Frame("""{"op":"cpg.mcast","seq":5,"group":"crmd","data":"aGVsbG8gd29ybGQ="}"""),
        IpcFuzzTarget.Frame("""{"op":"cpg.confchg","seq":6,"group":"crmd","members":[{"nodeId":1,"pid":2,"reason":1}],"left":[],"joined":[{"nodeId":2,"pid":3,"reason":1}],"ringId":"1.8"}"""),
        IpcFuzzTarget.Frame("""{"op":"cmap.track","seq":7,"key":"nodelist.","prefix":true,"trackId":9}"""),
        IpcFuzzTarget.Frame("""{"op":"reply.quorum.status","seq":8,"quorum":{"localNode":1,"ringId":"1.8","quorate":true,"expectedVotes":2,"highestExpected":2,"totalVotes":2,"quorum":1,"twoNode":true,"waitForAll":true,"waitForAllStatus":false,"lastManStanding":false,"autoTieBreaker":false,"allowDownscale":false,"members":[{"nodeId":1,"votes":1,"name":"n1","address":"10.0.0.1"}]}}"""),
        [.. IpcFuzzTarget.Frame("""{"op":"quorum.getinfo","seq":9}"""), .. IpcFuzzTarget.Frame("""{"op":"cpg.leave","seq":10,"group":"crmd"}""")],
    ];

    private static IEnumerable<byte[]> Files(string? shared, string relative, string pattern)
    {
        if (shared is null) return [];
        var dir = Path.Combine(shared, relative);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)
            : [];
    }
}
