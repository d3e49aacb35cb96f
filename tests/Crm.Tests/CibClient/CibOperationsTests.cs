using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.CibClient;

/// <summary>
/// The request semantics, each case as the real 2.1.5 cibadmin behaved on the same file
/// (CIB_file=golden cibadmin-query): result code, version after, what changed.
/// </summary>
public class CibOperationsTests
{
    private static XElement Golden()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", "cibadmin-query.txt"));
        return CibXmlText.Parse(string.Join('\n', lines.Where(l => !l.StartsWith('#') && !l.StartsWith('$'))));
    }

    private static CibOutcome Run(XElement cib, CibCommand command, string? data = null, string? scope = null, string? xpath = null,
        CibCallOptions options = CibCallOptions.None) =>
        CibOperations.Apply(cib, new CibRequest(command, scope, xpath, data is null ? null : CibXmlText.Parse(data), options));

    private static string V(XElement cib) => CibOperations.VersionOf(cib).ToString();

    [Fact]
    public void Query_with_scope_returns_the_section()
    {
        var r = Run(Golden(), CibCommand.Query, scope: "constraints");
        Assert.True(r.Reply.Ok);
        Assert.Equal("constraints", r.Reply.Output!.Name.LocalName);
        Assert.Equal(3, r.Reply.Output.Elements().Count());
        Assert.False(r.Changed);
    }

    [Fact]
    public void Query_of_a_missing_section_is_not_found_and_an_unknown_scope_gives_the_whole_cib()
    {
        var missing = Run(Golden(), CibCommand.Query, scope: "acls");
        Assert.Equal(CibResultCode.NotFound, missing.Reply.Code);
        Assert.Equal("No such device or address", missing.Reply.Error);
        Assert.Equal("cib", Run(Golden(), CibCommand.Query, scope: "nosuch").Reply.Output!.Name.LocalName);
    }

    [Fact]
    public void Xpath_query_one_match_is_the_element_several_are_wrapped_none_or_invalid_is_not_found()
    {
        Assert.Equal("nvpair", Run(Golden(), CibCommand.Query, xpath: "//nvpair[@name='ip']").Reply.Output!.Name.LocalName);
        var many = Run(Golden(), CibCommand.Query, xpath: "//op[@name='start']").Reply.Output!;
        Assert.Equal("xpath-query", many.Name.LocalName);
        Assert.Equal(2, many.Elements().Count());
        Assert.Equal(CibResultCode.NotFound, Run(Golden(), CibCommand.Query, xpath: "//primitive[@id='nope']").Reply.Code);
        Assert.Equal(CibResultCode.NotFound, Run(Golden(), CibCommand.Query, xpath: "///[").Reply.Code);
        Assert.Equal("primitive", Run(Golden(), CibCommand.Query, xpath: "/cib/configuration/resources/primitive[@id='WebIP']/@class").Reply.Output!.Name.LocalName);
    }

    [Fact]
    public void Modify_of_configuration_merges_attributes_and_bumps_epoch_resetting_num_updates()
    {
        var cib = Golden();
        var status = Run(cib, CibCommand.Modify, "<node_state id=\"1\" crmd=\"offline\"/>");
        Assert.Equal("0.16.1", V(status.Cib!));
        var config = Run(status.Cib!, CibCommand.Modify, "<primitive id=\"WebIP\" description=\"d\"/>");
        Assert.Equal("0.17.0", V(config.Cib!));
        var p = config.Cib!.Descendants("primitive").First(e => (string?)e.Attribute("id") == "WebIP");
        Assert.Equal("d", (string?)p.Attribute("description"));
        Assert.Equal("IPaddr2", (string?)p.Attribute("type"));
        Assert.Equal("0.16.0", V(cib)); // the input document is never modified
    }

    [Fact]
    public void Modify_of_an_unknown_object_is_not_found_unless_allow_create()
    {
        var cib = Golden();
        var r = Run(cib, CibCommand.Modify, "<primitive id=\"Nope\" class=\"ocf\"/>");
        Assert.Equal(CibResultCode.NotFound, r.Reply.Code);
        Assert.Null(r.Cib);
        var created = Run(cib, CibCommand.Modify, "<primitive id=\"D9\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>",
            scope: "resources", options: CibCallOptions.AllowCreate);
        Assert.True(created.Reply.Ok);
        Assert.Contains(created.Cib!.Descendants("primitive"), e => (string?)e.Attribute("id") == "D9");
    }

    [Fact]
    public void Create_of_an_existing_id_fails_with_file_exists_and_a_failed_report()
    {
        var r = Run(Golden(), CibCommand.Create, "<primitive id=\"WebIP\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>", scope: "resources");
        Assert.Equal(CibResultCode.Exists, r.Reply.Code);
        Assert.Equal(108, (int)r.Reply.Code);
        Assert.Equal("File exists", r.Reply.Error);
        Assert.Equal("failed_update", r.Reply.Output!.Elements().Single().Name.LocalName);
        Assert.Null(r.Cib);
    }

    [Fact]
    public void Create_in_a_section_adds_each_child_of_a_section_element_and_without_scope_acts_as_modify()
    {
        var r = Run(Golden(), CibCommand.Create, "<resources><primitive id=\"D3\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></resources>", scope: "resources");
        Assert.True(r.Reply.Ok);
        Assert.Equal("0.17.0", V(r.Cib!));
        Assert.Equal(CibResultCode.NotFound, Run(Golden(), CibCommand.Create, "<primitive id=\"D2\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>").Reply.Code);
    }

    [Fact]
    public void An_invalid_change_is_refused_with_code_78_naming_the_problem_and_nothing_applied()
    {
        var bad = Run(Golden(), CibCommand.Modify, "<primitive id=\"WebIP\" class=\"bogus\"/>");
        Assert.Equal(CibResultCode.ConfigInvalid, bad.Reply.Code);
        Assert.Equal("Update does not conform to the configured schema", bad.Reply.Error);
        Assert.Contains(bad.Reply.Details, d => d.Contains("WebIP") && d.Contains("bogus"));
        Assert.Null(bad.Cib);
        // Deleting a resource that constraints still reference leaves dangling references.
        var dangling = Run(Golden(), CibCommand.Delete, "<primitive id=\"WebIP\"/>", scope: "resources");
        Assert.Equal(CibResultCode.ConfigInvalid, dangling.Reply.Code);
    }

    [Fact]
    public void After_status_only_changes_a_config_change_is_still_validated_and_an_invalid_cib_stays_refused()
    {
        // Status-only changes to a CIB already validated skip validation; this pins that the
        // shortcut never lets a bad configuration through, nor accepts a CIB it never validated.
        var status = Run(Golden(), CibCommand.Modify, "<status><node_state id=\"1\" uname=\"node1\" crm-debug-origin=\"test-1\"/></status>");
        Assert.True(status.Reply.Ok);
        Assert.False(status.ConfigChanged);
        var again = Run(status.Cib!, CibCommand.Modify, "<status><node_state id=\"1\" uname=\"node1\" crm-debug-origin=\"test-2\"/></status>");
        Assert.True(again.Reply.Ok);
        var bad = Run(again.Cib!, CibCommand.Modify, "<primitive id=\"WebIP\" class=\"bogus\"/>");
        Assert.Equal(CibResultCode.ConfigInvalid, bad.Reply.Code);
        Assert.Null(bad.Cib);

        // A CIB that is invalid already (a hand-edited file): a status-only change is checked, and refused.
        var invalid = Golden();
        invalid.Descendants().First(e => e.Name.LocalName == "primitive").SetAttributeValue("class", "bogus");
        var onInvalid = Run(invalid, CibCommand.Modify, "<status><node_state id=\"1\" uname=\"node1\" crm-debug-origin=\"test-1\"/></status>");
        Assert.Equal(CibResultCode.ConfigInvalid, onInvalid.Reply.Code);
    }

    [Fact]
    public void Delete_of_something_absent_or_not_matching_every_attribute_succeeds_and_changes_nothing()
    {
        Assert.True(Run(Golden(), CibCommand.Delete, "<primitive id=\"Nope\"/>").Reply.Ok);
        var mismatch = Run(Golden(), CibCommand.Delete, "<rsc_location id=\"location-WebServer-node1-500\" score=\"1\"/>");
        Assert.True(mismatch.Reply.Ok);
        Assert.Null(mismatch.Cib);
        var gone = Run(Golden(), CibCommand.Delete, "<rsc_location id=\"location-WebServer-node1-500\"/>");
        Assert.Equal("0.17.0", V(gone.Cib!));
        Assert.DoesNotContain(gone.Cib!.Descendants("rsc_location"), _ => true);
    }

    [Fact]
    public void Xpath_delete_removes_the_first_match_only_unless_multiple()
    {
        var one = Run(Golden(), CibCommand.Delete, xpath: "//op[@name='start']");
        Assert.Single(one.Cib!.Descendants("op"), e => (string?)e.Attribute("name") == "start");
        var all = Run(Golden(), CibCommand.Delete, xpath: "//op[@name='start']", options: CibCallOptions.Multiple);
        Assert.DoesNotContain(all.Cib!.Descendants("op"), e => (string?)e.Attribute("name") == "start");
        Assert.True(Run(Golden(), CibCommand.Delete, xpath: "//primitive[@id='Nope']").Reply.Ok);
    }

    [Fact]
    public void Replace_of_the_whole_cib_refuses_an_older_version_and_takes_a_newer_one()
    {
        var older = Golden();
        older.SetAttributeValue("epoch", "15");
        older.SetAttributeValue("num_updates", "9");
        var r = Run(Golden(), CibCommand.Replace, older.ToString());
        Assert.Equal(CibResultCode.Old, r.Reply.Code);
        Assert.Equal("Update was older than existing configuration", r.Reply.Error);
        var newer = Golden();
        newer.SetAttributeValue("epoch", "30");
        newer.SetAttributeValue("num_updates", "5");
        Assert.Equal("0.30.6", V(Run(Golden(), CibCommand.Replace, newer.ToString()).Cib!)); // same config: only num_updates moves
    }

    [Fact]
    public void Replace_in_a_section_needs_an_existing_object()
    {
        var r = Run(Golden(), CibCommand.Replace, "<primitive id=\"WebServer\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>", scope: "resources");
        Assert.True(r.Reply.Ok);
        Assert.Empty(r.Cib!.Descendants("primitive").Single(e => (string?)e.Attribute("id") == "WebServer").Elements());
        Assert.Equal(CibResultCode.NotFound, Run(Golden(), CibCommand.Replace, "<primitive id=\"D9\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>", scope: "resources").Reply.Code);
    }

    [Fact]
    public void Erase_needs_force_and_then_empties_the_cib_raising_admin_epoch()
    {
        Assert.Equal(CibResultCode.Unsafe, Run(Golden(), CibCommand.Erase).Reply.Code);
        Assert.Equal(107, (int)CibResultCode.Unsafe);
        var r = Run(Golden(), CibCommand.Erase, options: CibCallOptions.Force);
        Assert.Equal("1.17.0", V(r.Cib!));
        Assert.Empty(r.Cib!.Element("configuration")!.Element("resources")!.Elements());
        Assert.Empty(r.Cib.Element("status")!.Elements());
        Assert.Equal("node1", (string?)r.Cib.Attribute("update-origin"));
    }

    [Fact]
    public void Bump_raises_epoch_and_num_updates_as_2_1_5_does()
    {
        Assert.Equal("0.17.1", V(Run(Golden(), CibCommand.Bump).Cib!));
    }

    [Fact]
    public void Upgrade_needs_force_and_is_a_no_op_on_the_latest_schema()
    {
        Assert.Equal(CibResultCode.Unsafe, Run(Golden(), CibCommand.Upgrade).Reply.Code);
        var r = Run(Golden(), CibCommand.Upgrade, options: CibCallOptions.Force);
        Assert.True(r.Reply.Ok);
        Assert.Null(r.Cib);
        var old = Golden();
        old.SetAttributeValue("validate-with", "pacemaker-3.1");
        Assert.Equal("pacemaker-3.9", (string?)Run(old, CibCommand.Upgrade, options: CibCallOptions.Force).Cib!.Attribute("validate-with"));
    }

    [Fact]
    public void A_change_without_data_is_invalid_argument()
    {
        var r = Run(Golden(), CibCommand.Modify);
        Assert.Equal(CibResultCode.SoftwareError, r.Reply.Code);
        Assert.Equal("Invalid argument", r.Reply.Error);
    }

    [Fact]
    public void Counter_expansion_increments_the_attribute()
    {
        var r = Run(Golden(), CibCommand.Modify, "<cib admin_epoch=\"admin_epoch++\"/>");
        Assert.Equal("1", (string?)r.Cib!.Attribute("admin_epoch"));
    }

    [Fact]
    public void Formatting_matches_pacemaker_text()
    {
        var text = string.Join('\n', File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", "cibadmin-query.txt")).Where(l => !l.StartsWith('#') && !l.StartsWith('$'))) + "\n";
        Assert.Equal(text, CibXmlText.Format(CibXmlText.Parse(text)));
    }
}
