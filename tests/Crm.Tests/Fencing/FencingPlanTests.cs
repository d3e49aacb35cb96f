using System.Xml.Linq;
using Cluster.Crm.Fencing;

namespace Cluster.Crm.Tests.Fencing;

public class FencingPlanTests
{
    private static XElement Cib(string resources, string topology = "") => XElement.Parse($"""
        <cib><configuration><crm_config/><nodes/><resources>{resources}</resources><constraints/>{topology}</configuration><status/></cib>
        """);

    private static string Device(string id, string type, params (string Name, string Value)[] parameters) =>
        $"<primitive id=\"{id}\" class=\"stonith\" type=\"{type}\"><instance_attributes id=\"{id}-ia\">"
        + string.Concat(parameters.Select(p => $"<nvpair id=\"{id}-{p.Name}\" name=\"{p.Name}\" value=\"{p.Value}\"/>"))
        + "</instance_attributes></primitive>";

    [Fact]
    public void Host_lists_and_maps_decide_statically_and_the_map_names_the_port()
    {
        var cib = Cib(Device("ipmi1", "fence_ipmilan", ("pcmk_host_list", "node1,node2"))
            + Device("pdu", "fence_apc", ("pcmk_host_map", "node1:4;node3:7"))
            + Device("any", "fence_netns")
            + "<primitive id=\"D1\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>");
        var devices = FencingPlan.Devices(cib, []);
        Assert.Equal(["ipmi1", "pdu", "any"], devices.Select(d => d.Id));
        Assert.Equal([true, true, null], devices.Select(d => d.CanFence("node1")));
        Assert.Equal([false, true, null], devices.Select(d => d.CanFence("node3")));
        Assert.Equal(HostCheck.DynamicList, devices[2].Check);
        var request = FencingPlan.Request(devices[1], "reboot", "node3", TimeSpan.FromSeconds(60));
        Assert.Equal("7", request.Parameters["port"]);
        Assert.Equal("node3", request.Parameters["nodename"]);
        Assert.Equal(["pdu", "any"], FencingPlan.Levels(cib, "node3", devices).Select(l => Assert.Single(l).Id));
    }

    [Fact]
    public void Topology_levels_come_in_index_order_with_every_device_of_a_level()
    {
        var cib = Cib(Device("a", "fence_dummy") + Device("b", "fence_dummy") + Device("c", "fence_dummy"),
            """
            <fencing-topology>
              <fencing-level id="l2" target="node1" index="2" devices="c"/>
              <fencing-level id="l1" target="node1" index="1" devices="a,b"/>
              <fencing-level id="l3" target="node2" index="1" devices="c"/>
              <fencing-level id="l4" target-pattern="node[0-9]" index="3" devices="b,missing"/>
            </fencing-topology>
            """);
        var levels = FencingPlan.Levels(cib, "node1", FencingPlan.Devices(cib, []));
        Assert.Equal(["a,b", "c", "b"], levels.Select(l => string.Join(',', l.Select(d => d.Id))));
    }

    [Fact]
    public void Disabled_devices_are_skipped_and_the_list_output_gives_node_names()
    {
        var cib = Cib(Device("off", "fence_dummy").Replace("</primitive>", "<meta_attributes id=\"m\"><nvpair id=\"m1\" name=\"target-role\" value=\"Stopped\"/></meta_attributes></primitive>"));
        Assert.Empty(FencingPlan.Devices(cib, []));
        Assert.Equal(["node1", "node2", "node3"], FencingPlan.ParseList("node1\nnode2 some alias\n\n  node3,extra\n"));
    }

    [Fact]
    public void A_device_with_an_unusable_agent_name_is_named_as_a_problem()
    {
        var problems = new List<string>();
        Assert.Empty(FencingPlan.Devices(Cib(Device("bad", "../../bin/sh")), problems));
        Assert.Contains("fencing device bad", Assert.Single(problems), StringComparison.Ordinal);
    }
}
