using Cluster.Agents.Invocation;
using Cluster.Agents.Tests.Support;
using Cluster.Common.Processes;

namespace Cluster.Agents.Tests.Shipped;

/// <summary>fence_netns really fences a namespace "node": its processes die and its link goes down.</summary>
public sealed class FenceNetnsTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    private static AgentRequest Fence(string action, string node, string? prefix = null)
    {
        var p = new Dictionary<string, string> { ["port"] = node, ["interface"] = "v0" };
        if (prefix is not null)
            p["netns_prefix"] = prefix;
        return new AgentRequest(new AgentId(AgentStandard.Stonith, null, "fence_netns"), action, "fence-ns") { Parameters = p };
    }

    [Fact]
    public async Task OffKillsEveryProcessOfTheNamespaceAndCutsItsLink()
    {
        await using var ns = await Netns.CreateAsync();
        var invoker = TestAgents.Ours(_dirs.New());
        // A stand-in for the node's daemons: started by us inside the namespace.
        using var cts = new CancellationTokenSource();
        var daemon = ProcessRunner.Default.RunAsync(new ProcessSpec("ip", ["netns", "exec", ns.Name, "sleep", "300"]), cts.Token);
        try
        {
            Assert.True(await WaitForAsync(async () => (await invoker.InvokeAsync(Fence("status", ns.Name))).Rc == 0));

            var off = await invoker.InvokeAsync(Fence("off", ns.Name));

            Assert.True(off.Rc == 0, off.StandardError);
            var result = await daemon.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(ProcessOutcome.Exited, result.Outcome);
            Assert.Equal(128 + 9, result.ExitCode); // SIGKILL
            var link = await Netns.MustAsync("ip", "-n", ns.Name, "-o", "link", "show", "v0");
            Assert.DoesNotMatch("[<,]UP[,>]", link.StandardOutput);
            Assert.Equal(7, (await invoker.InvokeAsync(Fence("status", ns.Name))).Rc);
        }
        finally
        {
            await cts.CancelAsync();
            await daemon;
        }
    }

    [Fact]
    public async Task PlugNameWithPrefixNamesTheNamespaceAndOnBringsTheLinkBack()
    {
        await using var ns = await Netns.CreateAsync();
        var invoker = TestAgents.Ours(_dirs.New());
        var prefix = ns.Name[..4];
        var node = ns.Name[4..];

        Assert.Equal(0, (await invoker.InvokeAsync(Fence("off", node, prefix))).Rc);
        Assert.Equal(0, (await invoker.InvokeAsync(Fence("on", node, prefix))).Rc);

        var link = await Netns.MustAsync("ip", "-n", ns.Name, "-o", "link", "show", "v0");
        Assert.Matches("[<,]UP[,>]", link.StandardOutput);
    }

    [Fact]
    public async Task UnknownNamespaceFails()
    {
        var result = await TestAgents.Ours(_dirs.New()).InvokeAsync(Fence("off", "hat-no-such-namespace"));

        Assert.Equal(1, result.Rc);
        Assert.Contains("does not exist", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition())
                return true;
            await Task.Delay(100);
        }
        return false;
    }
}
