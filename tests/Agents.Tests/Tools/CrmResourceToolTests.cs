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
        var (exit, output, _) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--validate", "--class", "ocf", "--provider", "heartbeat", "--agent", "IPaddr2");

        Assert.Equal(6, exit);
        Assert.Equal("Operation validate (ocf:heartbeat:IPaddr2) returned: 'not configured' (6)\n"
                     + " >  stderr: ocf-exit-reason:IP address (the ip parameter) is mandatory\n", output);
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
        Assert.StartsWith("Operation force-start (ocf:heartbeat:NoSuchAgent) returned: 'not installed' (5)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutIsReportedAndExits124()
    {
        var (exit, output, _) = await ToolRun.RunAsync(CrmResourceTool.Entry, Env,
            "--force-start", "--class", "ocf", "--provider", "pacemaker", "--agent", "Dummy", "--timeout", "500ms",
            "--option", "op_sleep=30");

        Assert.Equal(124, exit);
        Assert.Contains("Timed Out", output, StringComparison.Ordinal);
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
