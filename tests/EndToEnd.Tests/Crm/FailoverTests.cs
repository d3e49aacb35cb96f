using System.Diagnostics;
using System.Text.RegularExpressions;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// Three nodes on 127.0.0.1-3 with our corosync and pacemakerd: the cluster elects a DC, runs a
/// resource where the constraints say, recovers it in place when its monitor fails (with a fail
/// count that a cleanup clears), and moves it when its node dies — fenced first when stonith is
/// enabled. Every wait is bounded; a failure prints crm_mon and the DC's log.
/// </summary>
[Collection(ClusterCollection.Name)]
public partial class FailoverTests(ITestOutputHelper output)
{
    private static async Task<LocalCluster> StartAsync(ITestOutputHelper output, ClusterSpec? spec = null)
    {
        var c = new LocalCluster(spec ?? new ClusterSpec());
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes) await c.WaitForQuorumAsync(n, c.Spec.Nodes, true);
        var sw = Stopwatch.StartNew();
        foreach (var n in c.Nodes) c.StartPacemaker(n);
        var online = $"Online: [ {string.Join(' ', c.Nodes.Select(n => $"node{n}"))} ]";
        await WaitForMonAsync(c, 1, m => m.Contains(online, StringComparison.Ordinal) && m.Contains("Current DC: node", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        output.WriteLine($"pacemakerd start to {c.Spec.Nodes} nodes online with a DC: {sw.ElapsedMilliseconds} ms");
        return c;
    }

    private static async Task<string> WaitForMonAsync(TestCluster c, int node, Func<string, bool> check, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        for (int i = 0; i < 1000 && DateTime.UtcNow < deadline; i++)
        {
            var r = await c.RunAsync(node, "crm_mon", "-1", "--failcounts");
            last = r.Out + r.Err;
            if (r.ExitCode == 0 && check(r.Out)) return r.Out;
            await Task.Delay(200);
        }
        throw new TimeoutException($"crm_mon on node {node} never showed what was awaited; last answer:\n{last}\n"
            + string.Concat(c.Nodes.Select(n => $"--- log of node {n}:\n{Tail(c, n)}\n")));
    }

    private static string Tail(TestCluster c, int node)
    {
        var path = c.HostPath(node, "/var/log/pacemaker/pacemaker.log");
        return File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(60)) : "(no log)";
    }

    private static async Task RunOkAsync(TestCluster c, int node, string tool, params string[] args)
    {
        var r = await c.RunAsync(node, tool, args);
        Assert.True(r.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {r}");
    }

    [GeneratedRegex(@"D1\s+\(ocf:pacemaker:Dummy\):\s+Started (node\d)")]
    private static partial Regex StartedOn();

    private static string? Where(string mon) => StartedOn().Match(mon) is { Success: true } m ? m.Groups[1].Value : null;

    [Fact]
    public async Task A_resource_starts_where_preferred_recovers_in_place_and_moves_when_its_node_dies()
    {
        await using var c = await StartAsync(output);
        await RunOkAsync(c, 1, "pcs", "property", "set", "stonith-enabled=false");
        await RunOkAsync(c, 1, "pcs", "resource", "create", "D1", "ocf:pacemaker:Dummy", "op", "monitor", "interval=2s");
        await RunOkAsync(c, 2, "pcs", "constraint", "location", "D1", "prefers", "node1=500");
        await WaitForMonAsync(c, 3, m => Where(m) == "node1", TimeSpan.FromSeconds(30));

        // The agent's state vanishes: the monitor sees "not running", the DC recovers it in place.
        File.Delete(c.HostPath(1, "/run/resource-agents/Dummy-D1.state"));
        var mon = await WaitForMonAsync(c, 2, m => m.Contains("fail-count=1", StringComparison.Ordinal) && Where(m) == "node1", TimeSpan.FromSeconds(30));
        Assert.Contains("returned 'not running'", mon, StringComparison.Ordinal);
        await RunOkAsync(c, 2, "crm_resource", "--cleanup", "--resource", "D1");
        await WaitForMonAsync(c, 2, m => !m.Contains("fail-count", StringComparison.Ordinal) && Where(m) == "node1", TimeSpan.FromSeconds(30));

        // node1 dies: the survivors elect a DC and start D1 on one of them.
        var sw = Stopwatch.StartNew();
        c.CrashPacemaker(1);
        c.Crash(1);
        mon = await WaitForMonAsync(c, 2, m => Where(m) is "node2" or "node3", TimeSpan.FromSeconds(30));
        output.WriteLine($"crash to D1 started elsewhere (seen by crm_mon polling): {sw.ElapsedMilliseconds} ms");
        Assert.Contains("OFFLINE: [ node1 ]", mon, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_stonith_enabled_a_dead_node_is_fenced_before_its_resource_starts_elsewhere()
    {
        await using var c = await StartAsync(output);
        await RunOkAsync(c, 1, "pcs", "stonith", "create", "fd", "fence_dummy", "pcmk_host_list=node1 node2 node3");
        await RunOkAsync(c, 1, "pcs", "resource", "create", "D1", "ocf:pacemaker:Dummy", "op", "monitor", "interval=2s");
        await RunOkAsync(c, 1, "pcs", "constraint", "location", "D1", "prefers", "node1=500");
        await WaitForMonAsync(c, 2, m => Where(m) == "node1", TimeSpan.FromSeconds(30));

        c.CrashPacemaker(1);
        c.Crash(1);
        await WaitForMonAsync(c, 2, m => Where(m) is "node2" or "node3", TimeSpan.FromSeconds(30));
        // The DC's log: the fencing succeeded before the start was initiated.
        var dcLog = c.Nodes.Skip(1).Select(n => c.HostPath(n, "/var/log/pacemaker/pacemaker.log")).Where(File.Exists)
            .Select(File.ReadAllLines).First(lines => lines.Any(l => l.Contains("Fence operation for node1 succeeded", StringComparison.Ordinal)));
        var fenced = Array.FindIndex(dcLog, l => l.Contains("Fence operation for node1 succeeded", StringComparison.Ordinal));
        var started = Array.FindLastIndex(dcLog, l => l.Contains("Initiating start operation D1_start_0", StringComparison.Ordinal));
        Assert.True(fenced >= 0 && started > fenced, string.Join('\n', dcLog.TakeLast(60)));
    }

    [Fact]
    public async Task With_stonith_enabled_and_no_device_nothing_starts()
    {
        await using var c = await StartAsync(output);
        int Idles() => c.Nodes.Sum(n => File.Exists(c.HostPath(n, "/var/log/pacemaker/pacemaker.log"))
            ? File.ReadLines(c.HostPath(n, "/var/log/pacemaker/pacemaker.log")).Count(l => l.Contains("-> S_IDLE", StringComparison.Ordinal)) : 0);
        var before = Idles();
        await RunOkAsync(c, 1, "pcs", "resource", "create", "D1", "ocf:pacemaker:Dummy", "op", "monitor", "interval=2s");
        // The DC has scheduled since the resource came (and gone idle again).
        for (int i = 0; i < 150 && Idles() == before; i++) await Task.Delay(200);
        Assert.True(Idles() > before, "the DC never went idle after the resource was created");
        for (int i = 0; i < 10; i++)
        {
            var r = await c.RunAsync(2, "crm_mon", "-1");
            Assert.True(Where(r.Out) is null, r.Out);
            await Task.Delay(300);
        }
        var verify = await c.RunAsync(1, "crm_verify", "-L", "-V");
        Assert.Contains("Resource start-up disabled since no STONITH resources have been defined", verify.Err + verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("D1_start_0", string.Concat(c.Nodes.Select(n => Tail(c, n))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_nodes_with_two_node_keep_quorum_and_serve_when_one_dies()
    {
        await using var c = await StartAsync(output, new ClusterSpec { Nodes = 2, TwoNode = true });
        await RunOkAsync(c, 1, "pcs", "property", "set", "stonith-enabled=false");
        await RunOkAsync(c, 1, "pcs", "resource", "create", "D1", "ocf:pacemaker:Dummy", "op", "monitor", "interval=2s");
        await RunOkAsync(c, 1, "pcs", "constraint", "location", "D1", "prefers", "node1=500");
        await WaitForMonAsync(c, 2, m => Where(m) == "node1", TimeSpan.FromSeconds(30));
        c.CrashPacemaker(1);
        c.Crash(1);
        var mon = await WaitForMonAsync(c, 2, m => Where(m) == "node2", TimeSpan.FromSeconds(30));
        Assert.Contains("partition with quorum", mon, StringComparison.Ordinal);
    }
}
