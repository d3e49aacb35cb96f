using Cluster.EndToEnd.Tests.Harness;
using Cluster.TestSupport;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 16, level 2: Debian's real Pacemaker 2.1.5 (pacemakerd and its daemons, linked with
/// libcpg / libcmap / libquorum / libcfg) on OUR corosync, on a 3-node namespace cluster built by
/// the failover bench (<c>bench/failover/cluster.sh</c> with <c>STACK=mixed</c>): three nodes
/// online with a DC; the seeds' resources (WebIP IPaddr2 on the bridge, WebServer with Debian's
/// Apache, their constraints) start on node1 and a client namespace reads node1's page through the
/// VIP; after a kill -9 of every process of node1 the page comes from another node. Needs root,
/// Debian's pacemaker, resource-agents, apache2, curl and ./build.sh's artifacts; returns early
/// with the reason otherwise.
/// </summary>
[Collection(ClusterCollection.Name)]
public class PacemakerOnOurCorosyncTests(ITestOutputHelper output)
{
    private const string Online = "Online: [ node1 node2 node3 ]";

    private static string? Missing()
    {
        if (!NamespaceCluster.Available)
            return "not root, or ip/nsenter/unshare missing";
        foreach (var f in new[] { "/usr/sbin/pacemakerd", "/usr/sbin/crm_mon", "/usr/sbin/cibadmin", "/usr/sbin/apache2", "/usr/bin/curl",
                     "/usr/lib/ocf/resource.d/heartbeat/IPaddr2", "/usr/lib/ocf/resource.d/heartbeat/apache", RepoPaths.Tool("corosync") })
        {
            if (!File.Exists(f))
                return f + " is missing (scripts/install-deps.sh, ./build.sh)";
        }
        return null;
    }

    private static bool StartedOn(string crmMon, string resource, string node) =>
        crmMon.Split('\n').Any(l => l.Contains(resource + "\t", StringComparison.Ordinal) && l.TrimEnd().EndsWith("Started " + node, StringComparison.Ordinal));

    [Fact]
    public async Task Debian_pacemaker_on_our_corosync_serves_the_seeds_web_page_from_node1_and_from_another_node_after_node1_crashes()
    {
        if (Missing() is { } reason)
        {
            output.WriteLine("skipped: " + reason);
            return;
        }
        // token 1000 keeps the crash detection short (3 nodes: 1650 ms token + 1980 ms consensus).
        await using var c = new FailoverBenchCluster("mixed", new Dictionary<string, string> { ["TOKEN"] = "1000", ["WAIT_ONLINE_S"] = "90" });
        try
        {
            var up = await c.ClusterAsync(TimeSpan.FromSeconds(150), "up", "3");
            Assert.True(up.ExitCode == 0, "cluster.sh up 3: " + up);

            foreach (var n in new[] { 1, 2, 3 })
            {
                var mon = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(n, "crm_mon", "-1"),
                    r => r.ExitCode == 0 && r.Out.Contains(Online, StringComparison.Ordinal) && r.Out.Contains("Current DC: node", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(30), $"node{n}: three online and a DC");
                Assert.Contains("Stack: corosync", mon.Out, StringComparison.Ordinal);
                Assert.Contains("partition with quorum", mon.Out, StringComparison.Ordinal);
            }

            // The real corosync-cfgtool -H asks the cfg trackers first: pacemakerd says no, so corosync stays up.
            await c.ExecAsync(2, "corosync-cfgtool", "-H");
            await Task.Delay(1500);
            var cfg = await c.ExecAsync(2, "corosync-cfgtool", "-s");
            Assert.True(cfg.ExitCode == 0, "corosync on node2 after cfgtool -H: " + cfg);

            var setup = await c.ScriptAsync("setup-resources.sh", TimeSpan.FromSeconds(60));
            Assert.True(setup.ExitCode == 0, "setup-resources.sh: " + setup);
            await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1"),
                r => StartedOn(r.Out, "WebIP", "node1") && StartedOn(r.Out, "WebServer", "node1"), TimeSpan.FromSeconds(60), "WebIP and WebServer started on node1");
            Assert.Equal("node1", await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p == "node1", TimeSpan.FromSeconds(20), "node1's page through the VIP"));

            // A crash: every process of node1 stopped, then killed (cluster.sh kill).
            var crashedAt = DateTime.UtcNow;
            var kill = await c.ClusterAsync(TimeSpan.FromSeconds(30), "kill", "1");
            Assert.True(kill.ExitCode == 0, "cluster.sh kill 1: " + kill);
            var page = await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p is "node2" or "node3", TimeSpan.FromSeconds(60), "the page from another node");
            output.WriteLine($"crash of node1 -> page from {page} after {(DateTime.UtcNow - crashedAt).TotalSeconds:F1} s (includes the 0.5 s poll)");
            // Apache answers before its agent's start returns (the agent waits for its own status
            // check), so crm_mon may still say "Starting" for a moment.
            var after = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1"),
                r => StartedOn(r.Out, "WebIP", page) && StartedOn(r.Out, "WebServer", page), TimeSpan.FromSeconds(30), $"both resources started on {page}");
            Assert.Contains("OFFLINE: [ node1 ]", after.Out, StringComparison.Ordinal);
        }
        catch
        {
            foreach (var n in new[] { 1, 2, 3 })
                output.WriteLine(c.Logs(n));
            throw;
        }
    }
}
