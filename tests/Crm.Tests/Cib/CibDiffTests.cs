using Cluster.Crm.Cib;

namespace Cluster.Crm.Tests.Cib;

public class CibDiffTests
{
    private const string Base = """
        <cib admin_epoch="0" epoch="5" num_updates="2">
          <configuration><crm_config/><nodes><node id="1" uname="node1"/></nodes><resources/><constraints/></configuration>
          <status><node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/></status>
        </cib>
        """;

    [Fact]
    public void Diff_then_patch_reproduces_the_new_cib_through_the_wire_form()
    {
        var from = Cluster.Crm.Cib.CibDocument.Parse(Base);
        var to = Cluster.Crm.Cib.CibDocument.Parse(Base
            .Replace("epoch=\"5\" num_updates=\"2\"", "epoch=\"6\" num_updates=\"0\"")
            .Replace("<resources/>", "<resources><primitive id=\"A\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/></resources>")
            .Replace("crmd=\"online\"", "crmd=\"offline\""));
        var diff = CibDiff.FromXml(CibDiff.Create(from, to).ToXml());
        Assert.Equal(2, diff.Changes.Count);
        var patched = diff.Apply(from);
        Assert.Equal(to.Version, patched.Version);
        Assert.True(System.Xml.Linq.XNode.DeepEquals(to.Source, patched.Source));
    }

    [Fact]
    public void Patch_refuses_a_base_of_another_version()
    {
        var from = Cluster.Crm.Cib.CibDocument.Parse(Base);
        var to = Cluster.Crm.Cib.CibDocument.Parse(Base.Replace("epoch=\"5\"", "epoch=\"6\""));
        var diff = CibDiff.Create(from, to);
        var e = Assert.Throws<CibParseException>(() => diff.Apply(to));
        Assert.Contains("applies to version 0.5.2", e.Message);
    }
}
