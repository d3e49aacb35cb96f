using Cluster.Agents.Invocation;
using Cluster.Agents.Tests.Support;
using Cluster.Common.Processes;
using Cluster.TestSupport;

namespace Cluster.Agents.Tests.Shipped;

/// <summary>
/// Our IPaddr/IPaddr2 and Debian's real IPaddr2 manage an address inside a namespace this
/// test created: start, the address shows in `ip addr`, monitor 0, stop, gone, monitor 7.
/// </summary>
public sealed class IpAddressAgentTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Theory]
    [InlineData("ours")]
    [InlineData("real")]
    public async Task IPaddr2ThroughTheLibraryAddsMonitorsAndRemovesTheAddress(string which)
    {
        await using var ns = await Netns.CreateAsync();
        var root = _dirs.New();
        var invoker = which == "ours" ? TestAgents.Ours(root) : TestAgents.Real(root);
        var ip = $"{ns.Prefix}.77";
        AgentRequest Op(string action) => new(AgentId.Ocf("heartbeat", "IPaddr2"), action, "vip")
        {
            Parameters = new Dictionary<string, string>
            {
                ["ip"] = ip,
                ["cidr_netmask"] = "24",
                ["network_namespace"] = ns.Name,
            },
        };

        try
        {
            var start = await invoker.InvokeAsync(Op("start"));
            Assert.True(start.Rc == 0, $"start: {start.Rc} {start.ExitReason} {start.StandardError}");
            Assert.Contains($"v0 {ip}/24", await ns.AddressesAsync());
            Assert.Equal(0, (await invoker.InvokeAsync(Op("monitor"))).Rc);
            Assert.Equal(0, (await invoker.InvokeAsync(Op("stop"))).Rc);
            Assert.DoesNotContain($"v0 {ip}/24", await ns.AddressesAsync());
            Assert.Equal(7, (await invoker.InvokeAsync(Op("monitor"))).Rc);
            Assert.Equal(0, (await invoker.InvokeAsync(Op("stop"))).Rc);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("ours", "IPaddr2")]
    [InlineData("real", "IPaddr2")]
    [InlineData("ours", "IPaddr")]
    public async Task CrmResourceForceActionsFromArtifactsManageTheAddress(string which, string agent)
    {
        await using var ns = await Netns.CreateAsync();
        var ip = $"{ns.Prefix}.88";
        var env = new Dictionary<string, string>();
        if (which == "real")
            env["OCF_RA_PATH"] = TestAgents.SystemOcf;
        var crmResource = RepoPaths.Tool("crm_resource");
        Assert.True(File.Exists(crmResource), $"{crmResource} missing: run ./build.sh first");

        async Task<ProcessResult> Force(string what) => await ns.ExecAsync(
            [crmResource, $"--force-{what}", "--class", "ocf", "--provider", "heartbeat", "--agent", agent,
             "--option", $"ip={ip}", "--option", "cidr_netmask=24"], env);

        var start = await Force("start");
        Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
        Assert.StartsWith($"Operation force-start (ocf:heartbeat:{agent}) returned 0 (ok)", start.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"v0 {ip}/24", await ns.AddressesAsync());
        Assert.Equal(0, (await Force("check")).ExitCode);
        Assert.Equal(0, (await Force("stop")).ExitCode);
        Assert.DoesNotContain($"v0 {ip}/24", await ns.AddressesAsync());
        var check = await Force("check");
        Assert.Equal(7, check.ExitCode);
        Assert.StartsWith($"Operation force-check (ocf:heartbeat:{agent}) returned 7 (not running)", check.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OurIPaddr2FindsTheInterfaceFromTheRoutingTableAndChecksIt()
    {
        await using var ns = await Netns.CreateAsync();
        var invoker = TestAgents.Ours(_dirs.New());
        var ip = $"{ns.Prefix}.99";
        AgentRequest Op(string action, string? nic = null)
        {
            var p = new Dictionary<string, string> { ["ip"] = ip, ["network_namespace"] = ns.Name, ["iflabel"] = "vip" };
            if (nic is not null)
                p["nic"] = nic;
            return new(AgentId.Ocf("heartbeat", "IPaddr2"), action, "vip") { Parameters = p };
        }

        Assert.Equal(0, (await invoker.InvokeAsync(Op("start"))).Rc);
        Assert.Equal(0, (await invoker.InvokeAsync(Op("start"))).Rc); // idempotent

        Assert.Contains($"v0 {ip}/24", await ns.AddressesAsync());
        Assert.Equal(0, (await invoker.InvokeAsync(Op("monitor", "v0"))).Rc);
        var wrongNic = await invoker.InvokeAsync(Op("monitor", "v1"));
        Assert.Equal(1, wrongNic.Rc);
        Assert.Contains("instead of v1", wrongNic.ExitReason, StringComparison.Ordinal);
        Assert.Equal(0, (await invoker.InvokeAsync(Op("stop"))).Rc);
    }

    /// <summary>
    /// Debian's arping spaces packets by whole seconds; below a second (IPaddr2's default is
    /// 200 ms) each packet is its own arping, so neighbours that ignored the first one (their
    /// one-second locktime) take the next one 200 ms later instead of a second later.
    /// </summary>
    [Theory]
    [InlineData(null, "-q -U -c 1 -w 1 -I v0 {0}\n-q -U -c 1 -w 1 -I v0 {0}\n-q -U -c 1 -w 1 -I v0 {0}\n")]
    [InlineData("1000", "-q -U -c 3 -i 1 -I v0 {0}\n")]
    public async Task StartAnnouncesTheAddressWithGratuitousArpThroughArping(string? intervalMs, string expected)
    {
        await using var ns = await Netns.CreateAsync();
        var root = _dirs.New();
        // A stand-in arping first on PATH records how it was called.
        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        var calls = Path.Combine(root, "arping.calls");
        var fake = Path.Combine(bin, "arping");
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\necho \"$*\" >> {calls}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var ip = $"{ns.Prefix}.66";
        var agent = Path.Combine(TestAgents.Shipped, "ocf", "resource.d", "heartbeat", "IPaddr2");

        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec(agent, ["start"])
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string>
            {
                ["PATH"] = bin + ":" + ProgramLocator.DefaultPath,
                ["OCF_RESKEY_ip"] = ip,
                ["OCF_RESKEY_network_namespace"] = ns.Name,
                ["OCF_RESKEY_arp_count"] = "3",
                ["OCF_RESKEY_arp_bg"] = "false",
            }.Concat(intervalMs is null ? [] : [new KeyValuePair<string, string>("OCF_RESKEY_arp_interval", intervalMs)])
             .ToDictionary(),
            Timeout = TimeSpan.FromSeconds(30),
        });

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, ip), await File.ReadAllTextAsync(calls));
    }

    /// <summary>
    /// The ARP burst runs in the background after start returns; it must hold none of the
    /// agent's output pipes, or the executor waits for their end (up to its drain limit, 1 s)
    /// before it reports the start: a second added to every failover. Redirections on a shell
    /// function call kept the old descriptors open in the background job (dash saves them on
    /// fds 10 and up). Pipes this test process already had (inherited from whoever started the
    /// tests) are not the agent's and are left out.
    /// </summary>
    [Fact]
    public async Task TheBackgroundArpBurstHoldsNoneOfTheAgentsOutputPipes()
    {
        await using var ns = await Netns.CreateAsync();
        var root = _dirs.New();
        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        var fds = Path.Combine(root, "arping.fds");
        var fake = Path.Combine(bin, "arping");
        // The stand-in lists its open descriptors and its parent's (the background job that
        // runs the burst), once, atomically.
        await File.WriteAllTextAsync(fake, $"#!/bin/sh\nls -l /proc/$$/fd /proc/$PPID/fd > {fds}.tmp 2>&1; mv {fds}.tmp {fds}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var agent = Path.Combine(TestAgents.Shipped, "ocf", "resource.d", "heartbeat", "IPaddr2");
        static HashSet<string> Pipes(IEnumerable<string> targets) => [.. targets.Where(t => t.StartsWith("pipe:", StringComparison.Ordinal))];
        var ours = Pipes(Directory.EnumerateFileSystemEntries("/proc/self/fd").Select(f => new FileInfo(f).LinkTarget ?? ""));

        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec(agent, ["start"])
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string>
            {
                ["PATH"] = bin + ":" + ProgramLocator.DefaultPath,
                ["OCF_RESKEY_ip"] = $"{ns.Prefix}.67",
                ["OCF_RESKEY_network_namespace"] = ns.Name,
                ["OCF_RESKEY_arp_count"] = "1",
                ["OCF_RESKEY_arp_bg"] = "true",
            },
            Timeout = TimeSpan.FromSeconds(30),
        });
        Assert.True(result.ExitCode == 0, result.StandardError);
        for (int i = 0; i < 100 && !File.Exists(fds); i++)
            await Task.Delay(100);
        var held = Pipes((await File.ReadAllLinesAsync(fds)).Select(l => l.Contains(" -> ", StringComparison.Ordinal) ? l[(l.IndexOf(" -> ", StringComparison.Ordinal) + 4)..] : ""));
        held.ExceptWith(ours);
        Assert.Empty(held);
    }

    [Fact]
    public async Task AddressOutsideEveryRouteWithoutNicIsAnError()
    {
        await using var ns = await Netns.CreateAsync();
        var result = await TestAgents.Ours(_dirs.New()).InvokeAsync(new AgentRequest(AgentId.Ocf("heartbeat", "IPaddr2"), "start", "vip")
        {
            Parameters = new Dictionary<string, string> { ["ip"] = "192.0.2.10", ["network_namespace"] = ns.Name },
        });

        Assert.Equal(1, result.Rc);
        Assert.Contains("Unable to find nic", result.ExitReason, StringComparison.Ordinal);
    }
}
