using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// crm_simulate and crm_verify refuse broken CIBs with a message that names the file, line and
/// element, exit 78 (CRM_EX_CONFIG) or 65 (malformed XML), print nothing on stdout and never a
/// stack trace.
/// </summary>
public sealed class CrmBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crm-bad-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Valid = """
        <cib crm_feature_set="3.16.1" validate-with="pacemaker-3.7" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1">
          <configuration>
            <crm_config/>
            <nodes>
              <node id="1" uname="node1"/>
              <node id="2" uname="node2"/>
            </nodes>
            <resources>
              <primitive id="ip" class="ocf" provider="heartbeat" type="IPaddr2"/>
              <!--EXTRA-RESOURCES-->
            </resources>
            <constraints>
              <!--EXTRA-CONSTRAINTS-->
            </constraints>
          </configuration>
          <status/>
        </cib>
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(string tool, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Dispatch(tool, args, new ToolContext(TextReader.Null, stdout, stderr, _ => null)).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "duplicate-id", "<!--EXTRA-RESOURCES-->", """<primitive id="ip" class="ocf" provider="heartbeat" type="apache"/>""", "<primitive id=\"ip\">: duplicate id" },
        { "unknown-reference", "<!--EXTRA-CONSTRAINTS-->", """<rsc_location id="loc" rsc="nosuch" node="node1" score="100"/>""", "<rsc_location id=\"loc\">: rsc references an unknown resource \"nosuch\"" },
        { "bad-score", "<!--EXTRA-CONSTRAINTS-->", """<rsc_location id="loc" rsc="ip" node="node1" score="lots"/>""", "<rsc_location id=\"loc\">: invalid score 'lots'" },
        { "bad-class", "<!--EXTRA-RESOURCES-->", """<primitive id="web" class="weird" type="apache"/>""", "<primitive id=\"web\">: unknown resource class 'weird'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Crm_simulate_refuses_an_invalid_cib_naming_file_line_and_element(string name, string marker, string insert, string expected)
    {
        var file = Write(name + ".xml", Valid.Replace(marker, insert, StringComparison.Ordinal));
        var (code, stdout, stderr) = Run("crm_simulate", "-x", file, "-S");
        Assert.Equal(78, code);
        Assert.Equal("", stdout);
        Assert.Contains($"{file}:", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Crm_verify_reports_an_invalid_cib_naming_file_line_and_element(string name, string marker, string insert, string expected)
    {
        var file = Write(name + ".xml", Valid.Replace(marker, insert, StringComparison.Ordinal));
        var (code, _, stderr) = Run("crm_verify", "-x", file);
        Assert.Equal(78, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains("crm_verify: Errors found during check: config not valid", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_xml_is_reported_with_its_position_not_a_stack_trace()
    {
        var file = Write("truncated.xml", Valid[..200]);
        var (code, stdout, stderr) = Run("crm_simulate", "-x", file, "-S");
        Assert.Equal(65, code);
        Assert.Equal("", stdout);
        Assert.Contains("malformed XML", stderr, StringComparison.Ordinal);
        Assert.Contains("Line ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_cib_still_schedules()
    {
        var file = Write("valid.xml", Valid);
        var (code, stdout, _) = Run("crm_simulate", "-x", file, "-S");
        Assert.Equal(0, code);
        Assert.Contains("Transition Summary:", stdout, StringComparison.Ordinal);
    }
}
