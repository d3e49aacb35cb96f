using System.Text.RegularExpressions;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// Issue 12 (live): Apache killed under our stack on the namespace harness (3 nodes, the seeds'
/// WebIP + WebServer). A kill -9 of node1's Apache is recovered in place with a fail count that
/// crm_mon shows; with migration-threshold=2 the second failure moves WebServer, and WebIP with
/// it; <c>pcs resource cleanup</c> clears the count and the resources go back to node1 (500 beats
/// stickiness 100). Root only; every wait is bounded.
/// </summary>
[Collection(ClusterCollection.Name)]
public partial class ApacheRecoveryTests(ITestOutputHelper output)
{
    [GeneratedRegex(@"\* WebServer: migration-threshold=2 fail-count=(\d+)")]
    private static partial Regex WebServerFailCount();

    private static int FailCount(string mon) => WebServerFailCount().Match(mon) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;

    [Fact]
    public async Task Killed_apache_recovers_in_place_then_moves_with_its_IP_after_migration_threshold_failures_and_cleanup_clears_the_count()
    {
        if (LiveCluster.Missing() is { } reason)
        {
            output.WriteLine("skipped: " + reason);
            return;
        }
        await using var c = LiveCluster.Create();
        try
        {
            await LiveCluster.UpWithWebAsync(c, 3, output);
            // A short monitor so a dead Apache is noticed within seconds (the seeds say 1min).
            await LiveCluster.OkAsync(c, 1, "pcs", "resource", "update", "WebServer", "op", "monitor", "interval=2s");
            await LiveCluster.OkAsync(c, 1, "pcs", "resource", "meta", "WebServer", "migration-threshold=2");
            var config = await LiveCluster.OkAsync(c, 2, "pcs", "resource", "config", "WebServer");
            Assert.Contains("migration-threshold=2", config.Out, StringComparison.Ordinal);
            Assert.Contains("interval=2s", config.Out, StringComparison.Ordinal);

            // First failure: recovered on node1, fail count 1.
            var killed = await LiveCluster.KillByNameAsync(c, 1, "apache2");
            Assert.True(killed > 0, "no apache2 process found on node1");
            var mon = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1", "-f"),
                r => FailCount(r.Out) == 1 && LiveCluster.StartedOn(r.Out, "WebServer", "node1"), TimeSpan.FromSeconds(30), "fail-count=1 and WebServer started again on node1");
            Assert.Contains("Node: node1", mon.Out, StringComparison.Ordinal);
            Assert.Equal("node1", await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p == "node1", TimeSpan.FromSeconds(20), "node1's page again"));
            output.WriteLine("after the first kill:\n" + mon.Out);

            // Second failure reaches the threshold: both resources leave node1.
            killed = await LiveCluster.KillByNameAsync(c, 1, "apache2");
            Assert.True(killed > 0, "no apache2 process found on node1 after its recovery");
            var page = await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p is "node2" or "node3", TimeSpan.FromSeconds(40), "the page from another node");
            mon = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1", "-f"),
                r => LiveCluster.StartedOn(r.Out, "WebServer", page) && LiveCluster.StartedOn(r.Out, "WebIP", page), TimeSpan.FromSeconds(30), $"both resources started on {page}");
            Assert.Equal(2, FailCount(mon.Out));
            output.WriteLine("after the second kill:\n" + mon.Out);

            // Cleanup forgets the failures; node1's 500 beats stickiness 100, so they come back.
            await LiveCluster.OkAsync(c, 3, "pcs", "resource", "cleanup", "WebServer");
            mon = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1", "-f"),
                r => !r.Out.Contains("fail-count=", StringComparison.Ordinal) && LiveCluster.StartedOn(r.Out, "WebServer", "node1") && LiveCluster.StartedOn(r.Out, "WebIP", "node1"),
                TimeSpan.FromSeconds(40), "no fail count and both resources back on node1");
            Assert.Equal("node1", await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p == "node1", TimeSpan.FromSeconds(20), "node1's page after the cleanup"));
        }
        catch
        {
            foreach (var n in new[] { 1, 2, 3 })
                output.WriteLine(c.Logs(n));
            throw;
        }
    }
}
