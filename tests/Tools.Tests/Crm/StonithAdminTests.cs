using System.Xml.Linq;
using Cluster.Agents.Invocation;
using Cluster.Crm.Daemon;
using Cluster.Tools.Crm;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Tests.Crm;

/// <summary>
/// stonith_admin and pcs stonith fence / history: the command line as 2.1.5 reads it, and the calls
/// on the fencer's socket, answered by the daemon's <see cref="FencerServer"/> over a CIB with two
/// devices and a scripted fence agent.
/// </summary>
public sealed class StonithAdminTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fencer-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly XElement Cib = XElement.Parse("""
        <cib><configuration><resources>
          <primitive id="fence-a" class="stonith" type="fence_dummy"><instance_attributes id="a"><nvpair id="a1" name="pcmk_host_list" value="node1 node2"/></instance_attributes></primitive>
          <primitive id="fence-b" class="stonith" type="fence_dummy"><instance_attributes id="b"><nvpair id="b1" name="pcmk_host_list" value="node3"/></instance_attributes></primitive>
        </resources></configuration><status/></cib>
        """);

    private static StonithAdminTool.Options? Parse(params string[] args) => StonithAdminTool.From(StonithAdminTool.Parser.Parse(args)).Options;

    [Fact]
    public void The_last_command_wins_and_the_timeout_is_whole_seconds()
    {
        var o = Parse("-L", "-B", "node2", "-t", "30")!;
        Assert.Equal((StonithAdminTool.Command.Reboot, "node2", TimeSpan.FromSeconds(30)), (o.Command, o.Target, o.Timeout));
        Assert.Equal("Cannot parse integer value “abc” for -t", StonithAdminTool.From(StonithAdminTool.Parser.Parse(["-F", "n", "-t", "abc"])).Error);
        Assert.Contains("not supported", StonithAdminTool.From(StonithAdminTool.Parser.Parse(["-R", "dev"])).Error, StringComparison.Ordinal);
        Assert.Equal((null, null), StonithAdminTool.From(StonithAdminTool.Parser.Parse(["-V"])));
    }

    [Fact]
    public async Task Without_a_fencer_each_command_fails_as_2_1_5_does()
    {
        Assert.Equal((102, "", "Could not connect to fencer: Transport endpoint is not connected\n"), await Run("stonith_admin", "-L"));
        Assert.Equal((102, "", "stonith_admin: Couldn't fence node1: Transport endpoint is not connected\n"), await Run("stonith_admin", "-B", "node1"));
        var none = await Run("stonith_admin");
        Assert.Equal(64, none.Exit);
        Assert.StartsWith("Usage:\n  stonith_admin [OPTION", none.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Devices_are_listed_fencing_runs_the_agent_and_the_history_records_it()
    {
        var runner = new ScriptedRunner(rc: 0);
        using var fencer = Start(runner);
        Assert.Equal((0, " fence-a\n fence-b\n2 fence devices found\n", ""), await Run("stonith_admin", "-L"));
        Assert.Equal((0, " fence-b\n1 fence device found\n", ""), await Run("stonith_admin", "-l", "node3"));
        Assert.Equal((0, "", ""), await Run("stonith_admin", "-F", "node2"));
        Assert.Equal(("fence-a", "off", "node2"), Assert.Single(runner.Calls));
        var history = await Run("stonith_admin", "-H", "*", "--verbose");
        Assert.Equal(0, history.Exit);
        Assert.Matches(@"^turning off of node2 successful: delegate=node1, client=stonith_admin\.\d+, origin=node1, completed='\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d'\n$", history.Out);
        Assert.Equal((0, "", ""), await Run("stonith_admin", "-H", "node3"));
    }

    [Fact]
    public async Task A_node_no_device_can_fence_and_a_failing_agent_give_the_reason_and_exit_code()
    {
        using var fencer = Start(new ScriptedRunner(rc: 1));
        Assert.Equal((105, "", "stonith_admin: Couldn't fence node9: No such device\n"), await Run("stonith_admin", "-B", "node9"));
        var failed = await Run("stonith_admin", "-B", "node1");
        Assert.Equal((1, "stonith_admin: Couldn't fence node1: Error occurred\n"), (failed.Exit, failed.Err));
    }

    [Fact]
    public async Task Pcs_stonith_fence_and_history_show_run_stonith_admin_as_pcs_does()
    {
        var runner = new ScriptedRunner(rc: 0);
        using var fencer = Start(runner);
        Assert.Equal((0, "", "Node: node1 fenced\n"), await Run("pcs", "stonith", "fence", "node1"));
        Assert.Equal((0, "", "Node: node2 fenced\n"), await Run("pcs", "stonith", "fence", "node2", "--off"));
        Assert.Equal([("fence-a", "reboot", "node1"), ("fence-a", "off", "node2")], runner.Calls);
        var history = await Run("pcs", "stonith", "history", "show", "node1");
        Assert.Equal(0, history.Exit);
        Assert.StartsWith("reboot of node1 successful: delegate=node1, client=stonith_admin.", history.Out, StringComparison.Ordinal);
        Assert.Single(history.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var unable = await Run("pcs", "stonith", "fence", "node9");
        Assert.Equal((1, "Error: unable to fence 'node9'\nstonith_admin: Couldn't fence node9: No such device\n\n"), (unable.Exit, unable.Err));
    }

    private FencerServer Start(IAgentRunner runner)
    {
        var fencer = new Fencer(runner, (_, _, _) => { });
        var server = new FencerServer(Path.Combine(_root, "run", "pacemaker", "stonith-ng.sock"), fencer, "node1", Cib, (_, _) => { }, CancellationToken.None);
        _ = server.RunAsync();
        return server;
    }

    private async Task<(int Exit, string Out, string Err)> Run(string tool, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var env = new Dictionary<string, string> { ["HA_ROOT"] = _root };
        var exit = await ToolRegistry.All[tool].Run(new ToolContext(TextReader.Null, output, error, name => env.GetValueOrDefault(name)), args);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>A fence agent that answers every action with <paramref name="rc"/> and remembers (device, action, target).</summary>
    private sealed class ScriptedRunner(int rc) : IAgentRunner
    {
        public List<(string Device, string Action, string? Target)> Calls { get; } = [];

        public Task<AgentResult> InvokeAsync(AgentRequest request, CancellationToken cancellationToken = default)
        {
            lock (Calls)
                Calls.Add((request.ResourceId, request.Action, request.Parameters.GetValueOrDefault("port") ?? request.Parameters.GetValueOrDefault("plug")));
            return Task.FromResult(new AgentResult(request, ExecutionStatus.Done, rc, rc == 0 ? null : "it broke", "", "", TimeSpan.Zero));
        }
    }
}
