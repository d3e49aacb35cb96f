using Cluster.Agents.Tests.Support;
using Cluster.Tools.CrmResource;

namespace Cluster.Agents.Tests.Tools;

public sealed class CrmResourceToolTests : IDisposable
{
    private readonly string _root = TestAgents.TempRoot();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Dictionary<string, string> Env => new() { ["HA_AGENTS_DIR"] = TestAgents.Shipped, ["HA_ROOT"] = _root };

    [Fact]
    public async Task ValidateWithoutRequiredParameterExitsNotConfiguredAndShowsTheAgentsMessage()
    {
        var (exit, output, error) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--validate", "--class", "ocf", "--provider", "heartbeat", "--agent", "IPaddr2");

        // Byte for byte what Pacemaker 2.1.5's crm_resource prints for the real IPaddr2.
        Assert.Equal(6, exit);
        Assert.Equal("Operation validate (ocf:heartbeat:IPaddr2) returned 6 (not configured: IP address (the ip parameter) is mandatory)\n"
                     + "ocf-exit-reason:IP address (the ip parameter) is mandatory\n\n", output);
        Assert.Equal("crm_resource: Error performing operation: Not configured\n", error);
    }

    [Fact]
    public async Task ForceActionsRunDummyAndExitWithItsCodes()
    {
        async Task<int> Force(string what) => (await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            $"--force-{what}", "--class", "ocf", "--provider", "pacemaker", "--agent", "Dummy", "-r", "D1", "--option=fake=1")).Exit;

        Assert.Equal(7, await Force("check"));
        Assert.Equal(0, await Force("start"));
        Assert.Equal(0, await Force("check"));
        Assert.Equal(0, await Force("stop"));
        Assert.Equal(7, await Force("check"));
    }

    [Fact]
    public async Task UnknownAgentIsNotInstalled()
    {
        var (exit, output, _) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--force-start", "--class", "ocf", "--provider", "heartbeat", "--agent", "NoSuchAgent");

        Assert.Equal(5, exit);
        Assert.StartsWith("Operation force-start (ocf:heartbeat:NoSuchAgent) returned 5 (not installed: ocf:heartbeat:NoSuchAgent is not installed)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("99999999999")]
    [InlineData("99999999999999999h")]
    public async Task AHugeTimeoutRunsTheAgentAsTheRealToolDoesInsteadOfAStackTrace(string timeout)
    {
        var (exit, output, error) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--force-check", "--class", "ocf", "--provider", "pacemaker", "--agent", "Dummy", "-r", "D1", "--timeout", timeout);

        Assert.Equal(7, exit);
        Assert.StartsWith("Operation force-check (ocf:pacemaker:Dummy) returned 7", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../..")]
    [InlineData("..")]
    [InlineData("a/b")]
    public async Task AResourceNameThatIsAPathIsRefusedBeforeTheAgentRuns(string name)
    {
        var (exit, output, error) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--force-start", "--class", "ocf", "--provider", "pacemaker", "--agent", "Dummy", "-r", name);

        Assert.Equal(64, exit);
        Assert.Equal("", output);
        Assert.Contains($"invalid resource name '{name}'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutIsReportedAndExits124()
    {
        var (exit, output, _) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--force-start", "--class", "ocf", "--provider", "pacemaker", "--agent", "Dummy", "--timeout", "500ms",
            "--option", "op_sleep=30");

        Assert.Equal(124, exit);
        Assert.StartsWith("Operation force-start (ocf:pacemaker:Dummy) returned 1 (Timed Out: start timed out after 500ms)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--force-start", "--class", "ocf", "--agent", "Dummy")]
    [InlineData("--force-start", "--class", "bogus", "--agent", "Dummy")]
    [InlineData("--force-start", "--class", "ocf", "--provider", "heartbeat", "--agent", "../../../bin/sh")]
    [InlineData("--force-start", "--option", "novalue")]
    [InlineData("--frobnicate")]
    [InlineData()]
    public async Task BadCommandLinesExitWithUsageError(params string[] args)
    {
        var (exit, _, error) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env, args);

        Assert.Equal(64, exit);
        Assert.StartsWith("crm_resource: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowMetadataPrintsTheAgentsXml()
    {
        var (exit, output, _) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env, "--show-metadata", "ocf:pacemaker:Dummy");

        Assert.Equal(0, exit);
        Assert.Contains("<resource-agent name=\"Dummy\"", output, StringComparison.Ordinal);
    }
}

/// <summary>Our crm_resource against Pacemaker's own, running the same (Debian) agents.</summary>
public sealed class CrmResourceDifferentialTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Theory]
    [InlineData("--validate", "ocf", "heartbeat", "IPaddr2")]
    [InlineData("--validate", "ocf", "pacemaker", "Dummy")]
    [InlineData("--validate", "ocf", "heartbeat", "apache", "--option", "configfile=/nonexistent/httpd.conf")]
    [InlineData("--force-check", "ocf", "pacemaker", "Dummy", "--option", "state=/nonexistent/hat-diff/Dummy.state")]
    [InlineData("--force-stop", "ocf", "pacemaker", "Dummy", "--option", "state=/nonexistent/hat-diff/Dummy.state")]
    public async Task SameAgentSameOutputAndExitCodeAsPacemakers(string command, string cls, string provider, string agent, params string[] extra)
    {
        const string real = "/usr/sbin/crm_resource";
        Assert.True(File.Exists(real), "pacemaker-cli-utils is not installed (scripts/install-deps.sh)");
        string[] args = [command, "--class", cls, "--provider", provider, "--agent", agent, .. extra];
        var root = _dirs.New();

        var theirs = await Common.Processes.ProcessRunner.Default.RunAsync(new Common.Processes.ProcessSpec(real, args)
        {
            Environment = new Dictionary<string, string> { ["HA_ROOT"] = root },
            Timeout = TimeSpan.FromSeconds(60),
        });
        var ours = await ToolRun.RunAsync(Cluster.Tools.CrmResource.CrmResourceTool.Entry,
            new Dictionary<string, string> { ["OCF_RA_PATH"] = TestAgents.SystemOcf, ["HA_ROOT"] = root }, args);

        Assert.Equal(theirs.ExitCode, ours.Exit);
        Assert.Equal(theirs.StandardOutput, ours.Out);
        Assert.Equal(theirs.StandardError, ours.Err);
    }

    [Theory]
    [InlineData("--list-standards")]
    [InlineData("--list-ocf-providers")]
    [InlineData("--list-agents", "ocf:pacemaker")]
    [InlineData("--list-agents", "ocf")]
    [InlineData("--list-agents", "lsb")]
    [InlineData("--list-agents", "ocf:nope")]
    [InlineData("--list-agents", "heartbeat")]
    [InlineData("--show-metadata", "ocf:pacemaker:Dummy")]
    [InlineData("--show-metadata", "ocf:heartbeat:Nope")]
    public async Task ListingsAndMetadataAreTheSameAsPacemakers(params string[] args)
    {
        var theirs = await Common.Processes.ProcessRunner.Default.RunAsync(
            new Common.Processes.ProcessSpec("/usr/sbin/crm_resource", args) { Timeout = TimeSpan.FromSeconds(60) });
        // Only the system's agents, as Pacemaker sees them.
        var ours = await ToolRun.RunAsync(Cluster.Tools.CrmResource.CrmResourceTool.Entry,
            new Dictionary<string, string> { ["OCF_RA_PATH"] = TestAgents.SystemOcf, ["HA_AGENTS_DIR"] = "/nonexistent" }, args);

        Assert.Equal(theirs.ExitCode, ours.Exit);
        Assert.Equal(theirs.StandardOutput, ours.Out);
        Assert.Equal(theirs.StandardError, ours.Err);
    }
}
