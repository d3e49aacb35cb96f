using Cluster.Agents.Invocation;
using Cluster.Agents.Tests.Support;

namespace Cluster.Agents.Tests.Invocation;

public sealed class AgentInvokerTests : IDisposable
{
    private readonly string _root = TestAgents.TempRoot();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly AgentId Dummy = AgentId.Ocf("pacemaker", "Dummy");

    /// <summary>An OCF provider directory of this test's own agents, written as shell scripts.</summary>
    private string TestAgent(string type, string body)
    {
        var dir = Path.Combine(_root, "resource.d", "test");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, type);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private AgentInvoker TestInvoker() => TestAgents.Invoker([Path.Combine(_root, "resource.d")], _root);

    [Fact]
    public async Task DummyFollowsTheOcfCodes()
    {
        var invoker = TestAgents.Ours(_root);
        async Task<int> Run(string action) => (await invoker.InvokeAsync(new AgentRequest(Dummy, action, "D1"))).Rc;

        Assert.Equal(7, await Run("monitor"));
        Assert.Equal(0, await Run("start"));
        Assert.Equal(0, await Run("start"));
        Assert.Equal(0, await Run("monitor"));
        Assert.Equal(0, await Run("stop"));
        Assert.Equal(7, await Run("monitor"));
        Assert.Equal(0, await Run("stop"));
        Assert.Equal(3, await Run("promote"));
    }

    [Fact]
    public async Task TraceRaTracesIntoAFileWhileLogsAndExitReasonStillReachTheExecutor()
    {
        var trace = Path.Combine(_root, "dummy.trace");
        var request = new AgentRequest(Dummy, "start", "D1")
        {
            Parameters = new Dictionary<string, string> { ["trace_ra"] = "1", ["trace_file"] = trace, ["op_sleep"] = "bad" },
        };

        var result = await TestAgents.Ours(_root).InvokeAsync(request);

        Assert.Equal((int)OcfExitCode.ErrConfigured, result.Rc);
        Assert.Equal("op_sleep must be a number of seconds, not 'bad'", result.ExitReason);
        Assert.Contains("+ dummy_validate", await File.ReadAllTextAsync(trace), StringComparison.Ordinal);
        Assert.DoesNotContain("+ dummy_validate", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DummyKeepsItsStateUnderHaRoot()
    {
        var invoker = TestAgents.Ours(_root);
        await invoker.InvokeAsync(new AgentRequest(Dummy, "start", "D1"));

        Assert.True(File.Exists(Path.Combine(_root, "run", "resource-agents", "Dummy-D1.state")));
    }

    [Fact]
    public async Task OcfAgentGetsTheFullEnvironment()
    {
        var envFile = Path.Combine(_root, "env.txt");
        var request = new AgentRequest(Dummy, "monitor", "D1:2")
        {
            Parameters = new Dictionary<string, string> { ["envfile"] = envFile, ["fake"] = "x y", ["OCF_CHECK_LEVEL"] = "10" },
            Meta = new Dictionary<string, string> { ["clone-max"] = "3", ["on_node"] = "node1" },
            Timeout = TimeSpan.FromSeconds(25),
            Interval = TimeSpan.FromSeconds(10),
        };

        await TestAgents.Ours(_root).InvokeAsync(request);

        var env = File.ReadAllLines(envFile).Where(l => l.Contains('=')).ToDictionary(l => l[..l.IndexOf('=')], l => l[(l.IndexOf('=') + 1)..]);
        Assert.Equal(Path.Combine(TestAgents.Shipped, "ocf"), env["OCF_ROOT"]);
        Assert.Equal(("1", "1"), (env["OCF_RA_VERSION_MAJOR"], env["OCF_RA_VERSION_MINOR"]));
        Assert.Equal(("D1:2", "Dummy", "pacemaker"), (env["OCF_RESOURCE_INSTANCE"], env["OCF_RESOURCE_TYPE"], env["OCF_RESOURCE_PROVIDER"]));
        Assert.Equal("x y", env["OCF_RESKEY_fake"]);
        Assert.Equal("10", env["OCF_CHECK_LEVEL"]);
        Assert.Equal(("25000", "10000", "monitor"), (env["OCF_RESKEY_CRM_meta_timeout"], env["OCF_RESKEY_CRM_meta_interval"], env["OCF_RESKEY_CRM_meta_name"]));
        Assert.Equal(("3", "node1"), (env["OCF_RESKEY_CRM_meta_clone_max"], env["OCF_RESKEY_CRM_meta_on_node"]));
        Assert.Equal(_root, env["HA_ROOT"]);
    }

    [Fact]
    public async Task RealAgentsGetTheSystemOcfRoot()
    {
        var result = await TestAgents.Real(_root).InvokeAsync(new AgentRequest(Dummy, "meta-data", "D1"));

        Assert.Equal(0, result.Rc);
        Assert.Contains("<resource-agent name=\"Dummy\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HangingAgentIsKilledAtItsTimeoutWithItsChildrenAndReportedAsTimeout()
    {
        var pidFile = Path.Combine(_root, "child.pid");
        TestAgent("Hang", $"sleep 300 & echo $! > {pidFile}\nwait");

        var result = await TestInvoker().InvokeAsync(new AgentRequest(AgentId.Ocf("test", "Hang"), "start", "H1")
        {
            Timeout = TimeSpan.FromMilliseconds(800),
        });

        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.NotEqual(FailureSeverity.None, result.Severity);
        var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await ProcessGoneAsync(child), $"the agent's child {child} survived the timeout");
    }

    [Fact]
    public async Task ParameterValueWithShellSyntaxReachesTheAgentLiterallyAndRunsNothing()
    {
        var marker = Path.Combine(_root, "injected");
        var seen = Path.Combine(_root, "seen");
        TestAgent("Echo", $"printf '%s' \"$OCF_RESKEY_ip\" > {seen}\nexit 0");
        var value = $"1.2.3.4; touch {marker}";

        var echo = await TestInvoker().InvokeAsync(new AgentRequest(AgentId.Ocf("test", "Echo"), "start", "E1")
        {
            Parameters = new Dictionary<string, string> { ["ip"] = value },
        });
        var ours = await TestAgents.Ours(_root).InvokeAsync(new AgentRequest(AgentId.Ocf("heartbeat", "IPaddr2"), "start", "ip1")
        {
            Parameters = new Dictionary<string, string> { ["ip"] = value, ["cidr_netmask"] = $"24$(touch {marker})" },
        });

        Assert.Equal(0, echo.Rc);
        Assert.Equal(value, File.ReadAllText(seen));
        Assert.Equal((int)OcfExitCode.ErrConfigured, ours.Rc);
        Assert.Equal($"IP address [{value}] not valid.", ours.ExitReason);
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("ours")]
    [InlineData("real")]
    public async Task MissingRequiredParameterGivesNotConfiguredWithTheAgentsMessage(string which)
    {
        var invoker = which == "ours" ? TestAgents.Ours(_root) : TestAgents.Real(_root);

        var result = await invoker.InvokeAsync(new AgentRequest(AgentId.Ocf("heartbeat", "IPaddr2"), "validate-all", "ip1"));

        Assert.Equal(ExecutionStatus.Done, result.Status);
        Assert.Equal((int)OcfExitCode.ErrConfigured, result.Rc);
        Assert.Equal(FailureSeverity.Fatal, result.Severity);
        Assert.Equal("IP address (the ip parameter) is mandatory", result.ExitReason);
    }

    [Fact]
    public async Task UnknownAgentIsNotInstalled()
    {
        var result = await TestAgents.Ours(_root).InvokeAsync(new AgentRequest(AgentId.Ocf("heartbeat", "NoSuchAgent"), "start", "x"));

        Assert.Equal(ExecutionStatus.NotInstalled, result.Status);
        Assert.Equal((int)OcfExitCode.ErrInstalled, result.Rc);
        Assert.Equal(FailureSeverity.Hard, result.Severity);
    }

    [Fact]
    public async Task AgentNameCannotEscapeTheAgentDirectories()
    {
        var result = await TestAgents.Ours(_root).InvokeAsync(new AgentRequest(AgentId.Ocf("..", "bin"), "start", "x"));

        Assert.Equal(ExecutionStatus.NotInstalled, result.Status);
    }

    [Fact]
    public async Task LsbScriptFollowsTheLsbStatusCodes()
    {
        var invoker = TestAgents.Ours(_root);
        var lsb = new AgentId(AgentStandard.Lsb, null, "demo-daemon");
        async Task<AgentResult> Run(string action) => await invoker.InvokeAsync(new AgentRequest(lsb, action, "svc"));

        Assert.Equal((7, 3), await RcRaw(Run("monitor")));
        Assert.Equal((0, 0), await RcRaw(Run("start")));
        Assert.Equal((0, 0), await RcRaw(Run("monitor")));
        // The daemon dies behind our back: status says 1 (dead, pid file left), which is "not running".
        var pid = int.Parse(File.ReadAllText(Path.Combine(_root, "run", "lsb", "demo-daemon.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var daemon = System.Diagnostics.Process.GetProcessById(pid))
            daemon.Kill();
        Assert.True(await ProcessGoneAsync(pid));
        Assert.Equal((7, 1), await RcRaw(Run("status")));
        Assert.Equal((0, 0), await RcRaw(Run("stop")));
        Assert.Equal((0, 0), await RcRaw(Run("stop")));
        Assert.Equal((7, 3), await RcRaw(Run("status")));
        Assert.Equal((2, 2), await RcRaw(Run("frobnicate")));

        static async Task<(int, int)> RcRaw(Task<AgentResult> run)
        {
            var r = await run;
            return (r.Rc, r.RawExitCode);
        }
    }

    [Fact]
    public async Task FenceAgentGetsItsParametersOnStdinWithoutPacemakerOnes()
    {
        var log = Path.Combine(_root, "fence.log");
        var request = new AgentRequest(new AgentId(AgentStandard.Stonith, null, "fence_dummy"), "off", "fd")
        {
            Parameters = new Dictionary<string, string>
            {
                ["port"] = "node2",
                ["logfile"] = log,
                ["pcmk_host_list"] = "node1 node2",
            },
        };

        var ok = await TestAgents.Ours(_root).InvokeAsync(request);
        var failing = await TestAgents.Ours(_root).InvokeAsync(request with
        {
            Parameters = new Dictionary<string, string>(request.Parameters) { ["mode"] = "fail" },
        });

        Assert.Equal(0, ok.Rc);
        Assert.Equal(1, failing.Rc);
        var lines = File.ReadAllLines(log);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("action=off port=node2", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void FenceStdinRefusesValuesThatWouldInjectLines()
    {
        var invoker = TestAgents.Ours(_root);
        var request = new AgentRequest(new AgentId(AgentStandard.Stonith, null, "fence_dummy"), "off", "fd")
        {
            Parameters = new Dictionary<string, string> { ["port"] = "node2\naction=reboot" },
        };

        Assert.Throws<ArgumentException>(() => invoker.BuildSpec(request, "/bin/true"));
    }

    private static async Task<bool> ProcessGoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    return true;
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
