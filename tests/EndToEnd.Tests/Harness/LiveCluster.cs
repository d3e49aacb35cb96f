using System.Diagnostics;
using System.Globalization;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.TestSupport;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// Shared steps of the live failover tests (Apache recovery, partitions, fencing): our whole stack
/// on the failover bench's namespace harness, with this suite's own namespace prefix and bridge
/// subnet (10.81.0.0/24) so it never meets the walkthrough's or the bench's namespaces.
/// </summary>
public static class LiveCluster
{
    public const string Subnet = "10.81.0";

    /// <summary>Why the live tests cannot run here, or null when they can.</summary>
    public static string? Missing()
    {
        if (!NamespaceCluster.Available)
            return "not root, or ip/nsenter/unshare missing";
        foreach (var f in new[] { "/usr/sbin/apache2", "/usr/bin/curl", RepoPaths.Tool("corosync"), RepoPaths.Tool("pacemakerd"), RepoPaths.Tool("crm_mon") })
        {
            if (!File.Exists(f))
                return f + " is missing (scripts/install-deps.sh, ./build.sh)";
        }
        return null;
    }

    /// <summary>A cluster of our stack with token 1000 (crash detection about 3.6 s on 3 nodes) unless the knobs say otherwise.</summary>
    public static FailoverBenchCluster Create(IReadOnlyDictionary<string, string>? knobs = null)
    {
        var all = new Dictionary<string, string> { ["TOKEN"] = "1000", ["WAIT_ONLINE_S"] = "60" };
        foreach (var (k, v) in knobs ?? new Dictionary<string, string>())
            all[k] = v;
        return new FailoverBenchCluster("ours", all, prefix: "lv", subnet: Subnet);
    }

    public static bool StartedOn(string crmMon, string resource, string node) =>
        crmMon.Split('\n').Any(l => l.Contains(resource + "\t", StringComparison.Ordinal) && l.TrimEnd().EndsWith("Started " + node, StringComparison.Ordinal));

    public static async Task<ToolResult> OkAsync(FailoverBenchCluster c, int node, params string[] command)
    {
        var r = await c.ExecAsync(node, command);
        Assert.True(r.ExitCode == 0, $"node{node}: {string.Join(' ', command)}: {r}");
        return r;
    }

    /// <summary>
    /// Brings up <paramref name="nodes"/> nodes, sets the seeds' resources (setup-resources.sh with
    /// <paramref name="noQuorumPolicy"/>) and waits for both on node1 and node1's page through the VIP.
    /// </summary>
    public static async Task UpWithWebAsync(FailoverBenchCluster c, int nodes, ITestOutputHelper output, string noQuorumPolicy = "ignore")
    {
        var sw = Stopwatch.StartNew();
        var up = await c.ClusterAsync(TimeSpan.FromSeconds(120), "up", nodes.ToString(CultureInfo.InvariantCulture));
        Assert.True(up.ExitCode == 0, "cluster.sh up: " + up);
        var setup = await c.ScriptAsync("setup-resources.sh", TimeSpan.FromSeconds(60), noQuorumPolicy);
        Assert.True(setup.ExitCode == 0, "setup-resources.sh: " + setup);
        await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1"),
            r => StartedOn(r.Out, "WebIP", "node1") && StartedOn(r.Out, "WebServer", "node1"), TimeSpan.FromSeconds(60), "WebIP and WebServer started on node1");
        Assert.Equal("node1", await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p == "node1", TimeSpan.FromSeconds(20), "node1's page through the VIP"));
        output.WriteLine($"{nodes} nodes up with the web resources on node1 in {sw.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// kill -9 of every process of <paramref name="node"/> whose command name is <paramref name="comm"/>
    /// (all stopped first, so none reacts to another's death); returns how many there were.
    /// </summary>
    public static async Task<int> KillByNameAsync(FailoverBenchCluster c, int node, string comm)
    {
        var pids = await c.ClusterAsync(TimeSpan.FromSeconds(10), "pids", node.ToString(CultureInfo.InvariantCulture));
        var matching = pids.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => int.TryParse(p, out _) && ReadComm(p) == comm).ToList();
        if (matching.Count == 0)
            return 0;
        await RunAsync("kill", ["-STOP", .. matching]);
        await RunAsync("kill", ["-KILL", .. matching]);
        return matching.Count;
    }

    private static string ReadComm(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start " + file);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await p.WaitForExitAsync(cts.Token);
    }

    /// <summary>Every line of <paramref name="node"/>'s Pacemaker log (empty when it has none).</summary>
    public static string[] PacemakerLog(FailoverBenchCluster c, int node)
    {
        var path = Path.Combine(c.Base, "node" + node.ToString(CultureInfo.InvariantCulture), "var-log", "pacemaker", "pacemaker.log");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }
}
