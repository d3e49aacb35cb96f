using Cluster.Agents.Discovery;
using Cluster.Agents.Tests.Support;

namespace Cluster.Agents.Tests.Discovery;

public sealed class AgentCatalogTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    private static string Agent(string root, string provider, string type, bool executable = true)
    {
        var dir = Directory.CreateDirectory(Path.Combine(root, provider)).FullName;
        var path = Path.Combine(dir, type);
        File.WriteAllText(path, "#!/bin/sh\nexit 0\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, executable ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
        return path;
    }

    [Fact]
    public void FirstDirectoryOfTheSearchPathWinsAndListsAreMergedCaseInsensitively()
    {
        var first = Path.Combine(_dirs.New(), "resource.d");
        var second = Path.Combine(_dirs.New(), "resource.d");
        var ours = Agent(first, "heartbeat", "IPaddr2");
        Agent(second, "heartbeat", "IPaddr2");
        Agent(second, "heartbeat", "apache");
        Agent(second, "heartbeat", "Zeta");
        Agent(second, "heartbeat", "README", executable: false);
        Agent(second, "acme", "thing");
        var catalog = new AgentCatalog(new AgentSearchPaths([first, second], [], []));

        Assert.Equal(ours, catalog.Locate(AgentId.Ocf("heartbeat", "IPaddr2")));
        Assert.Equal(["acme", "heartbeat"], catalog.OcfProviders());
        Assert.Equal(["apache", "IPaddr2", "Zeta"], catalog.OcfAgents("heartbeat").Select(a => a.Type));
        Assert.Null(catalog.Locate(AgentId.Ocf("heartbeat", "README")));
        Assert.Equal(Path.GetDirectoryName(first), AgentCatalog.OcfRootOf(ours));
    }

    [Fact]
    public void DanglingAndLoopingSymlinksInEveryAgentDirectoryAreSkipped()
    {
        var ocf = Path.Combine(_dirs.New(), "resource.d");
        var lsb = _dirs.New();
        var fence = _dirs.New();
        Agent(ocf, "heartbeat", "Good");
        File.CreateSymbolicLink(Path.Combine(ocf, "heartbeat", "Dangling"), "/nonexistent/agent");
        File.CreateSymbolicLink(Path.Combine(ocf, "heartbeat", "Loop"), Path.Combine(ocf, "heartbeat", "Loop"));
        // A provider entry that is itself a loop or points nowhere.
        Directory.CreateSymbolicLink(Path.Combine(ocf, "loopprov"), Path.Combine(ocf, "loopprov"));
        Directory.CreateSymbolicLink(Path.Combine(ocf, "goneprov"), "/nonexistent/provider");
        foreach (var dir in new[] { lsb, fence })
        {
            File.CreateSymbolicLink(Path.Combine(dir, "fence_dangling"), "/nonexistent/x");
            File.CreateSymbolicLink(Path.Combine(dir, "fence_loop"), Path.Combine(dir, "fence_loop"));
            File.CreateSymbolicLink(Path.Combine(dir, "fence_a"), Path.Combine(dir, "fence_b"));
            File.CreateSymbolicLink(Path.Combine(dir, "fence_b"), Path.Combine(dir, "fence_a"));
        }
        Agent(fence, ".", "fence_ok");
        var catalog = new AgentCatalog(new AgentSearchPaths([ocf], [lsb], [fence]));

        Assert.Equal(["heartbeat"], catalog.OcfProviders());
        Assert.Equal(["Good"], catalog.OcfAgents().Select(a => a.Type));
        Assert.Empty(catalog.LsbAgents());
        Assert.Equal(["fence_ok"], catalog.FenceAgents().Select(a => a.Type));
        Assert.Null(catalog.Locate(AgentId.Ocf("heartbeat", "Loop")));
        Assert.Null(catalog.Locate(new AgentId(AgentStandard.Stonith, null, "fence_loop")));
    }

    [Fact]
    public void OcfRaPathReplacesTheDefaultSearchPath()
    {
        var env = new Dictionary<string, string> { ["OCF_RA_PATH"] = "/a/resource.d:/b/resource.d", ["HA_AGENTS_DIR"] = "/x/agents" };

        var paths = AgentSearchPaths.FromEnvironment(n => env.GetValueOrDefault(n));

        Assert.Equal(["/a/resource.d", "/b/resource.d"], paths.OcfResourceDirs);
        Assert.Equal("/x/agents/fence", paths.FenceDirs[0]);
    }

    [Fact]
    public void ByDefaultOurAgentsComeBeforeTheSystemOnes()
    {
        var env = new Dictionary<string, string> { ["HA_AGENTS_DIR"] = "/x/agents" };

        var paths = AgentSearchPaths.FromEnvironment(n => env.GetValueOrDefault(n));

        Assert.Equal(["/x/agents/ocf/resource.d", "/usr/lib/ocf/resource.d"], paths.OcfResourceDirs);
        Assert.Equal(["/etc/init.d", "/x/agents/lsb"], paths.LsbDirs);
    }

    [Theory]
    [InlineData("ocf:heartbeat:IPaddr2", "ocf:heartbeat:IPaddr2")]
    [InlineData("lsb:demo-daemon", "lsb:demo-daemon")]
    [InlineData("stonith:fence_dummy", "stonith:fence_dummy")]
    [InlineData("service:apache2", "service:apache2")]
    public void FullNamesRoundTrip(string text, string expected)
    {
        Assert.True(AgentId.TryParse(text, out var id, out _));
        Assert.Equal(expected, id!.ToString());
    }

    [Theory]
    [InlineData("ocf:IPaddr2", "an ocf agent needs 'ocf:PROVIDER:TYPE'")]
    [InlineData("ocf:heartbeat:../x", "an ocf agent needs")]
    [InlineData("systemd:x", "Unknown agent standard 'systemd'")]
    [InlineData("lsb:a:b", "expected 'lsb:TYPE'")]
    public void BadNamesSayWhatIsWrong(string text, string message)
    {
        Assert.False(AgentId.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
