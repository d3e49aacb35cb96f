using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// CIBs and arguments that used to crash crm_simulate, crm_verify and crm_resource (rc 134 and
/// a stack trace, or running out of memory): each now gives the real tool's answer or a clear
/// error. Run in-process, so a crash fails the test with the exception.
/// </summary>
public sealed class CrmHostileInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crm-hostile-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Cib = """
        <cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0" have-quorum="1">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
            <resources>
              <primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>
              <primitive id="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" class="ocf" provider="pacemaker" type="Dummy"/>
            </resources>
            <constraints>CONSTRAINTS</constraints>
          </configuration>
          <status>STATUS</status>
        </cib>
        """;

    private string Write(string name, string constraints = "", string status = "")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, Cib.Replace("CONSTRAINTS", constraints, StringComparison.Ordinal).Replace("STATUS", status, StringComparison.Ordinal));
        return path;
    }

    private static (int Code, string Out, string Err) Run(string tool, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Dispatch(tool, args, new ToolContext(TextReader.Null, stdout, stderr, _ => null)).GetAwaiter().GetResult();
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_duration_of_minus_99999999999_years_is_far_in_the_past_not_an_overflow()
    {
        var file = Write("duration.xml", """
            <rsc_location id="l1" rsc="d1"><rule id="r1" score="100"><date_expression id="de1" operation="in_range" start="2020-01-01">
              <duration id="du1" years="-99999999999"/></date_expression></rule></rsc_location>
            <rsc_location id="l2" rsc="d1"><rule id="r2" score="100"><date_expression id="de2" operation="in_range" start="2020-01-01">
              <duration id="du2" years="99999999999"/></date_expression></rule></rsc_location>
            """);

        Assert.Equal(0, Run("crm_verify", "-x", file).Code);
        var (code, stdout, _) = Run("crm_simulate", "-x", file, "-S");
        Assert.Equal(0, code);
        Assert.Contains("Transition Summary:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_backtracking_rsc_pattern_is_matched_in_linear_time_as_the_real_tool_does()
    {
        var file = Write("pattern.xml", """<rsc_location id="l1" rsc-pattern="^(a+)+$" node="n1" score="100"/>""");

        Assert.Equal(0, Run("crm_verify", "-x", file).Code);
        Assert.Equal(0, Run("crm_simulate", "-x", file, "-S").Code);
    }

    [Fact]
    public void An_invalid_rsc_pattern_is_a_configuration_error_with_the_real_message()
    {
        var file = Write("badpattern.xml", """<rsc_location id="l1" rsc-pattern="([" node="n1" score="100"/>""");

        var (code, _, stderr) = Run("crm_verify", "-V", "-x", file);

        Assert.Equal(78, code);
        Assert.Contains("(unpack_simple_location) \terror: Ignoring constraint 'l1' because rsc-pattern has invalid value '(['", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Elements_nested_100000_deep_are_refused_with_the_line_not_a_stack_overflow()
    {
        var deep = """<node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">"""
            + string.Concat(Enumerable.Repeat("<x>", 100_000)) + string.Concat(Enumerable.Repeat("</x>", 100_000)) + "</node_state>";
        var file = Write("nested.xml", status: deep);

        var (verify, _, verifyErr) = Run("crm_verify", "-x", file);
        var (simulate, _, simulateErr) = Run("crm_simulate", "-x", file, "-S");

        Assert.Equal(78, verify);
        Assert.Contains("nested more than 256 deep", verifyErr, StringComparison.Ordinal);
        Assert.Equal(65, simulate);
        Assert.Contains("nested more than 256 deep", simulateErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("crm_verify", 78)]
    [InlineData("crm_simulate", 65)]
    public void Dev_zero_and_dev_urandom_stop_at_the_first_byte_that_cannot_be_xml(string tool, int exit)
    {
        foreach (var device in new[] { "/dev/zero", "/dev/urandom" })
        {
            var (code, _, stderr) = tool == "crm_simulate" ? Run(tool, "-x", device, "-S") : Run(tool, "-x", device);
            Assert.Equal(exit, code);
            Assert.Contains($"{device}: not an XML document: byte ", stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_directory_given_as_the_cib_file_says_so()
    {
        var (code, _, stderr) = Run("crm_verify", "-x", _dir);
        Assert.Equal(78, code);
        Assert.Contains($"cannot read {_dir}: Is a directory", stderr, StringComparison.Ordinal);
    }
}
