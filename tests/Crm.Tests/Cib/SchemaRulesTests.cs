using Cluster.Crm.Cib;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Cib;

/// <summary>The schema rules crm_verify and crm_simulate apply must not refuse what Pacemaker accepts.</summary>
public class SchemaRulesTests
{
    [Fact]
    public void Every_conformance_cib_passes_the_schema_rules()
    {
        var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
        var files = Directory.EnumerateFiles(corpus, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 100, $"conformance corpus not found at {corpus}");

        var refused = files
            .Select(f => (File: Path.GetFileName(f), Errors: CibVerifier.SchemaMessages(CibDocument.Load(f))))
            .Where(x => x.Errors.Count > 0)
            .Select(x => $"{x.File}: {string.Join("; ", x.Errors)}")
            .ToList();

        Assert.True(refused.Count == 0, string.Join("\n", refused));
    }

    private static IReadOnlyList<string> Errors(string schema, string constraints, string ops = "") =>
        CibVerifier.SchemaMessages(CibDocument.Parse(
            $"""<cib validate-with="{schema}" epoch="1" num_updates="0" admin_epoch="0"><configuration><crm_config/><nodes/>""" +
            $"""<resources><primitive id="A" class="ocf" provider="heartbeat" type="Dummy"><operations>{ops}</operations></primitive>""" +
            """<primitive id="B" class="ocf" provider="heartbeat" type="Dummy"/></resources>""" +
            $"""<constraints>{constraints}</constraints></configuration><status/></cib>"""));

    [Theory]
    [InlineData("""<rsc_order id="o" first="A" then="B" kind="bogus"/>""", "kind")]
    [InlineData("""<rsc_order id="o" first="A" then="B" first-action="begin"/>""", "first-action")]
    [InlineData("""<rsc_order id="o" first="A" then="B" symmetrical="yes"/>""", "symmetrical")]
    [InlineData("""<rsc_order id="o" first="A" then="B" kind="Optional" score="5"/>""", "score and kind")]
    [InlineData("""<rsc_order id="o" first="A" then="B" foo="bar"/>""", "invalid attribute foo")]
    [InlineData("""<rsc_colocation id="c" rsc="A" with-rsc="B" score="5" rsc-role="Leader"/>""", "rsc-role")]
    [InlineData("""<rsc_location id="l" rsc="A" node="n1" score="5" resource-discovery="sometimes"/>""", "resource-discovery")]
    public void Pacemaker_3_schemas_refuse_constraint_attributes_and_values_outside_their_lists(string constraint, string named)
    {
        Assert.Contains(Errors("pacemaker-3.9", constraint), e => e.Contains(named, StringComparison.Ordinal));
        // Older schemas are not checked this closely: no false refusals of old CIBs.
        Assert.Empty(Errors("pacemaker-2.10", constraint));
    }

    [Fact]
    public void Promoted_and_Unpromoted_roles_are_valid_from_pacemaker_3_7_on()
    {
        const string constraint = """<rsc_colocation id="c" rsc="A" with-rsc="B" score="5" rsc-role="Promoted" with-rsc-role="Started"/>""";
        Assert.Empty(Errors("pacemaker-3.7", constraint));
        Assert.NotEmpty(Errors("pacemaker-3.6", constraint));
        Assert.Empty(Errors("pacemaker-3.6", constraint.Replace("Promoted", "Master", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""<op id="m" name="monitor" interval="10s" enabled="yes"/>""", "enabled")]
    [InlineData("""<op id="m" name="monitor" interval="10s" start-delay="1s" interval-origin="2"/>""", "start-delay and interval-origin")]
    [InlineData("""<op id="m" name="monitor" interval="10s" on-fail="reboot"/>""", "on-fail")]
    [InlineData("""<op id="m" name="monitor"/>""", "missing attribute interval")]
    public void Pacemaker_3_schemas_refuse_operation_attributes_outside_their_lists(string op, string named)
    {
        Assert.Contains(Errors("pacemaker-3.9", "", op), e => e.Contains(named, StringComparison.Ordinal));
        Assert.Empty(Errors("pacemaker-3.9", "", """<op id="m" name="monitor" interval="10s" enabled="true" on-fail="demote" role="Unpromoted" start-delay="1s"/>"""));
    }
}
