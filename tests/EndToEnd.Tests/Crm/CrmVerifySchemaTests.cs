using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// What crm_verify used to accept although Pacemaker 2.1.5's schema validation refuses it (exit
/// 78), and the problems it used to drop without a word; each compared with the real tool.
/// </summary>
public sealed class CrmVerifySchemaTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("crm-verify-schema-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Cib = """
        <cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
          <configuration>
            <crm_config><cluster_property_set id="o"><nvpair id="o1" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
            <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
            <resources><primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/></resources>
            <constraints/>
          </configuration>
          <status/>
        </cib>
        """;

    private (int Code, string Err) Verify(string from, string to)
    {
        var path = Path.Combine(_dir, "cib.xml");
        var text = Cib.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Cib, text);
        File.WriteAllText(path, text);
        var stderr = new StringWriter();
        var code = Program.Dispatch("crm_verify", ["-V", "-x", path], new ToolContext(TextReader.Null, TextWriter.Null, stderr, _ => null)).GetAwaiter().GetResult();
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        return (code, stderr.ToString());
    }

    private const string Primitive = """<primitive id="d1" class="ocf" provider="pacemaker" type="Dummy"/>""";

    [Theory]
    [InlineData(Primitive, """<clone id="c1"><clone id="c2">""" + Primitive + "</clone></clone>", "<clone id=\"c1\">: a clone may hold only a primitive or a group, not <clone>")]
    [InlineData(Primitive, """<group id="g"><clone id="c2">""" + Primitive + "</clone></group>", "<group id=\"g\">: a group may hold only primitives, not <clone>")]
    [InlineData("""<primitive id="d1" class""", """<primitive id="d1" bogus="x" class""", "<primitive id=\"d1\">: invalid attribute bogus")]
    [InlineData("""<node id="2" uname="n2"/>""", """<node id="2" uname="n2" colour="red"/>""", "<node id=\"2\">: invalid attribute colour")]
    [InlineData("<resources>", """<resources><bogus id="b1"/>""", "<bogus id=\"b1\">: element not allowed in <resources>")]
    [InlineData("pacemaker-3.9", "pacemaker-99.0", "validate-with=\"pacemaker-99.0\" names no schema")]
    public void What_the_schema_refuses_fails_validation_with_exit_78(string from, string to, string message)
    {
        var (code, stderr) = Verify(from, to);

        Assert.Equal(78, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("(main) \terror: CIB did not pass schema validation", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_nodes_with_one_uname_is_the_real_warning_and_exit_78()
    {
        var (code, stderr) = Verify("""<node id="2" uname="n2"/>""", """<node id="2" uname="n1"/>""");

        Assert.Equal(78, code);
        Assert.Contains("(pe_create_node) \twarning: More than one node entry has name 'n1'", stderr, StringComparison.Ordinal);
        Assert.Contains("crm_verify: Warnings found during check: config may not be valid", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_rule_date_is_logged_as_the_real_tool_does_and_the_check_passes()
    {
        var (code, stderr) = Verify("<constraints/>", """
            <constraints><rsc_location id="l1" rsc="d1"><rule id="r1" score="100">
              <date_expression id="de1" operation="gt" start="not-a-date"/></rule></rsc_location></constraints>
            """);

        Assert.Equal(0, code);
        Assert.Contains("(parse_date) \terror: 'not-a-date' is not a valid ISO 8601 date/time specification", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unchanged_cib_passes()
    {
        var (code, stderr) = Verify("<constraints/>", "<constraints></constraints>");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
    }
}
