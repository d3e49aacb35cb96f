using Cluster.Crm.Cib;

namespace Cluster.Crm.Tests.Cib;

public class CibParseTests
{
    private const string Valid = """
        <cib admin_epoch="1" epoch="5" num_updates="12" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>
            <resources>
              <primitive id="A" class="ocf" provider="pacemaker" type="Dummy">
                <operations><op id="A-mon" name="monitor" interval="10s"/></operations>
              </primitive>
              <group id="G"><primitive id="G1" class="lsb" type="foo"/></group>
            </resources>
            <constraints><rsc_location id="l1" rsc="A" node="node2" score="50"/></constraints>
          </configuration>
          <status/>
        </cib>
        """;

    [Fact]
    public void Parses_versions_resources_and_constraints()
    {
        var cib = Cluster.Crm.Cib.CibDocument.Parse(Valid);
        Assert.Equal(new CibVersion(1, 5, 12), cib.Version);
        Assert.Equal(["A", "G"], cib.Resources.Select(r => r.Id));
        var a = Assert.IsType<CibPrimitive>(cib.Resources[0]);
        Assert.Equal("ocf:pacemaker:Dummy", a.Agent);
        Assert.Equal(10_000, a.Operations[0].IntervalMs);
        var loc = Assert.IsType<LocationConstraint>(Assert.Single(cib.Constraints));
        Assert.Equal("node2", loc.Node);
        Assert.Empty(CibVerifier.Validate(cib));
    }

    [Fact]
    public void Malformed_xml_is_a_parse_error_naming_the_line()
    {
        var e = Assert.Throws<CibParseException>(() => Cluster.Crm.Cib.CibDocument.Parse("<cib>\n<configuration>\n</cib>"));
        Assert.Contains("malformed XML", e.Message);
        Assert.Contains("Line 3", e.Message);
    }

    [Fact]
    public void A_document_that_is_not_a_cib_is_rejected()
    {
        var e = Assert.Throws<CibParseException>(() => Cluster.Crm.Cib.CibDocument.Parse("<config/>"));
        Assert.Contains("<cib>", e.Message);
    }

    [Fact]
    public void Duplicate_ids_name_both_elements()
    {
        var cib = Cluster.Crm.Cib.CibDocument.Parse(Valid.Replace("id=\"l1\"", "id=\"A\""));
        var err = Assert.Single(CibVerifier.Validate(cib));
        Assert.Equal("rsc_location", err.Element);
        Assert.Equal("A", err.Id);
        Assert.Contains("duplicate id", err.Message);
    }

    [Fact]
    public void Reference_to_a_missing_resource_names_the_constraint()
    {
        var cib = Cluster.Crm.Cib.CibDocument.Parse(Valid.Replace("rsc=\"A\"", "rsc=\"Z\""));
        var err = Assert.Single(CibVerifier.Validate(cib));
        Assert.Equal("l1", err.Id);
        Assert.Contains("unknown resource \"Z\"", err.Message);
    }

    [Theory]
    [InlineData("infinity")]
    [InlineData("12abc")]
    public void Bad_scores_are_reported(string score)
    {
        var cib = Cluster.Crm.Cib.CibDocument.Parse(Valid.Replace("score=\"50\"", $"score=\"{score}\""));
        var err = Assert.Single(CibVerifier.Validate(cib));
        Assert.Contains($"invalid score '{score}'", err.Message);
    }

    [Fact]
    public void Ocf_without_provider_is_reported()
    {
        var cib = Cluster.Crm.Cib.CibDocument.Parse(Valid.Replace(" provider=\"pacemaker\"", ""));
        var err = Assert.Single(CibVerifier.Validate(cib));
        Assert.Equal("A", err.Id);
        Assert.Contains("requires a provider", err.Message);
    }

    [Fact]
    public void Versions_compare_admin_epoch_first()
    {
        Assert.True(new CibVersion(1, 0, 0) > new CibVersion(0, 99, 99));
        Assert.True(new CibVersion(0, 2, 0) > new CibVersion(0, 1, 50));
        Assert.Equal(new CibVersion(0, 3, 0), new CibVersion(0, 2, 7).BumpEpoch());
    }

    [Fact]
    public void Stonith_enabled_without_devices_gives_the_three_crm_verify_errors()
    {
        var cib = Cluster.Crm.Cib.CibDocument.Parse(Valid.Replace("value=\"false\"", "value=\"true\""));
        var report = CibVerifier.Verify(cib);
        Assert.Equal(
            [
                "Resource start-up disabled since no STONITH resources have been defined",
                "Either configure some or disable STONITH with the stonith-enabled option",
                "NOTE: Clusters with shared data need STONITH to ensure data integrity",
            ],
            report.Errors.Select(e => e.Message));
        Assert.All(report.Errors, e => Assert.Equal("unpack_resources", e.Function));
    }
}
