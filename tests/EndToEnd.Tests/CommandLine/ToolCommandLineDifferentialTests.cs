using Cluster.Common.Processes;
using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.CommandLine;

/// <summary>
/// The command lines that end before any work (help, usage, option errors) give the same stdout,
/// stderr and exit code as the installed Pacemaker 2.1.5 / pcs 0.11.5 tool, byte for byte. Each
/// case returns early where the real tool is not installed. --version differs on purpose in its
/// attribution ("Pacemaker 2.1.5 (hacluster)"), so only its release is compared.
/// </summary>
public class ToolCommandLineDifferentialTests
{
    public static TheoryData<string, string[]> Cases() => new()
    {
        { "crm_mon", ["--help"] },
        { "crm_mon", ["--help-all"] },
        { "crm_mon", ["--help-display"] },
        { "crm_mon", ["-?"] },
        { "crm_mon", ["-h"] },
        { "crm_mon", ["--bogus"] },
        { "crm_mon", ["-1Z"] },
        { "crm_mon", ["-i"] },
        { "crm_attribute", ["--help"] },
        { "crm_attribute", ["--help-all"] },
        { "crm_attribute", ["--help-selections"] },
        { "crm_attribute", ["--help-deprecated"] },
        { "crm_attribute", ["-h"] },
        { "crm_attribute", ["--bogus"] },
        { "crm_attribute", ["--scope=crm_config"] },
        { "crm_attribute", ["-n"] },
        { "crm_attribute", ["-GZ"] },
        { "crm_node", ["--help"] },
        { "crm_node", ["--help-all"] },
        { "crm_node", ["--help-commands"] },
        { "crm_node", ["-?"] },
        { "crm_node", ["--bogus"] },
        { "crm_node", ["-N"] },
        { "crm_node", [] },
        { "crm_node", ["-C"] },
        { "pacemakerd", ["--help"] },
        { "pacemakerd", ["--help-all"] },
        { "pacemakerd", ["-h"] },
        { "pacemakerd", ["--bogus"] },
        { "pacemakerd", ["-Z"] },
        { "pacemakerd", ["-p"] },
        { "crm_verify", ["--help"] },
        { "crm_verify", ["--help-all"] },
        { "crm_verify", ["-X"] },
        { "cibadmin", ["--help"] },
        { "cibadmin", ["-?"] },
        { "cibadmin", [] },
        { "cibadmin", ["-V"] },
        { "cibadmin", ["-Q", "--bogus"] },
        { "cibadmin", ["-Z", "--help"] },
        { "cibadmin", ["--help", "-Z"] },
        { "cibadmin", ["-x"] },
        { "cibadmin", ["--xml-file"] },
        { "attrd_updater", ["--help"] },
        { "attrd_updater", ["--help-all"] },
        { "attrd_updater", ["-?"] },
        { "attrd_updater", ["--bogus"] },
        { "attrd_updater", ["-n"] },
        { "stonith_admin", ["--help"] },
        { "stonith_admin", ["--help-all"] },
        { "stonith_admin", ["--help-fence"] },
        { "stonith_admin", ["-?"] },
        { "stonith_admin", ["--bogus"] },
        { "stonith_admin", ["-l"] },
        { "stonith_admin", ["-h"] },
        { "stonith_admin", [] },
        { "cibadmin", ["--query=x"] },
        { "cibadmin", ["--x"] },
        { "cibadmin", ["--md5"] },
        { "cibadmin", ["-h"] },
        { "cibadmin", ["-Q", "x", "y"] },
        { "cibadmin", ["-Q", "--", "foo"] },
        { "cibadmin", ["-a", "-Z"] },
        { "cibadmin", ["-E"] },
        { "cibadmin", ["-5"] },
        { "pcs", ["--version"] },
        { "pcs", [] },
        { "pcs", ["-h"] },
        { "pcs", ["help"] },
        { "pcs", ["bogus"] },
        { "pcs", ["--bogus"] },
        { "pcs", ["-Z"] },
        { "pcs", ["-f"] },
        { "pcs", ["--ful"] },
        { "pcs", ["--full=1", "status"] },
        { "pcs", ["--vers"] },
        { "pcs", ["-Z", "-100", "-f", "-5"] },
        { "pcs", ["-Z", "--", "-100"] },
    };

    /// <summary>Where the real tool lives, or null when it is not installed.</summary>
    private static string? RealTool(string tool) =>
        new[] { "/usr/sbin", "/usr/bin" }.Select(dir => Path.Combine(dir, tool)).FirstOrDefault(File.Exists);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Parse_time_output_is_the_installed_tools(string tool, string[] args)
    {
        if (RealTool(tool) is null)
            return;
        // Through the shell so that argv[0] is the bare name, which getopt's messages print.
        var theirs = await ProcessRunner.Default.RunAsync(new ProcessSpec("/bin/sh", ["-c", "exec \"$0\" \"$@\"", tool, .. args])
        {
            // GLib writes "[OPTION?]" under the C locale; the tools fail at once on these lines.
            Environment = new Dictionary<string, string>
            {
                ["LC_ALL"] = "C", ["CIB_file"] = "/nonexistent/cib.xml", ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin",
            },
            StandardInput = "",
            Timeout = TimeSpan.FromSeconds(30),
        });
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.Dispatch(tool, args, new ToolContext(TextReader.Null, stdout, stderr, _ => null));

        Assert.Equal(theirs.ExitCode, code);
        Assert.Equal(theirs.StandardError, stderr.ToString());
        Assert.Equal(theirs.StandardOutput, stdout.ToString());
    }

    [Theory]
    [InlineData("crm_mon")]
    [InlineData("crm_attribute")]
    [InlineData("crm_node")]
    [InlineData("attrd_updater")]
    [InlineData("stonith_admin")]
    [InlineData("pacemakerd")]
    [InlineData("cibadmin")]
    public async Task Version_names_the_same_release(string tool)
    {
        if (RealTool(tool) is not { } real)
            return;
        var theirs = await ProcessRunner.Default.RunAsync(new ProcessSpec(real, ["--version"]) { Timeout = TimeSpan.FromSeconds(30) });
        var stdout = new StringWriter();
        var code = await Program.Dispatch(tool, ["--version"], new ToolContext(TextReader.Null, stdout, TextWriter.Null, _ => null));

        Assert.Equal((0, 0), (theirs.ExitCode, code));
        var release = theirs.StandardOutput.Split('\n')[0];
        Assert.Equal("Pacemaker 2.1.5", release);
        Assert.StartsWith(release + " ", stdout.ToString(), StringComparison.Ordinal);
    }
}
