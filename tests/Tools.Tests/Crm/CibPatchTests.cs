using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;

namespace Cluster.Tools.Tests.Crm;

public class CibPatchTests
{
    private static readonly XElement Original = XElement.Parse("""
        <cib epoch="3" num_updates="7" admin_epoch="0">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o-a" name="a" value="1"/></cluster_property_set></crm_config>
            <nodes/>
            <resources><primitive id="D1" class="ocf" provider="pacemaker" type="Dummy"/></resources>
            <constraints/>
          </configuration>
          <status>
            <node_state id="1" uname="node1"><transient_attributes id="1"><instance_attributes id="status-1">
              <nvpair id="status-1-x" name="x" value="1"/><nvpair id="status-1-y" name="y" value="2"/>
            </instance_attributes></transient_attributes><lrm id="1"/></node_state>
          </status>
        </cib>
        """);

    [Fact]
    public void Only_changed_sections_and_attributes_are_written_and_a_new_section_is_created()
    {
        var modified = new XElement(Original);
        modified.Element("configuration")!.Element("resources")!.Add(new XElement("primitive", new XAttribute("id", "D2")));
        modified.Element("configuration")!.Add(new XElement("rsc_defaults", new XElement("meta_attributes", new XAttribute("id", "d"))));
        var attrs = modified.Descendants("instance_attributes").Single();
        attrs.Elements("nvpair").Single(n => (string?)n.Attribute("name") == "x").SetAttributeValue("value", "5");
        attrs.Elements("nvpair").Single(n => (string?)n.Attribute("name") == "y").Remove();

        var requests = CibPatch.Requests(Original, modified);

        Assert.Collection(requests,
            r => Assert.Equal((CibCommand.Replace, "resources"), (r.Command, r.Scope)),
            r => Assert.Equal((CibCommand.Create, "configuration", "rsc_defaults"), (r.Command, r.Scope, r.Data!.Name.LocalName)),
            r =>
            {
                Assert.Equal((CibCommand.Modify, "status"), (r.Command, r.Scope));
                Assert.Equal("5", r.Data!.Descendants("nvpair").Single().Attribute("value")!.Value);
            },
            r => Assert.Equal("/cib/status/node_state[@id='1']/transient_attributes/instance_attributes/nvpair[@id='status-1-y']", r.XPath));
    }

    [Fact]
    public void An_unchanged_copy_writes_nothing_and_a_status_only_change_leaves_the_configuration_alone()
    {
        Assert.Empty(CibPatch.Requests(Original, new XElement(Original)));
        var modified = new XElement(Original);
        modified.Element("status")!.Element("node_state")!.SetAttributeValue("crmd", "offline"); // not an attribute: not ours to write
        Assert.Empty(CibPatch.Requests(Original, modified));
    }

    [Fact]
    public void A_section_removed_replaces_the_whole_configuration()
    {
        var modified = new XElement(Original);
        modified.Element("configuration")!.Element("constraints")!.Remove();
        var r = Assert.Single(CibPatch.Requests(Original, modified));
        Assert.Equal((CibCommand.Replace, "configuration"), (r.Command, r.Scope));
    }
}
