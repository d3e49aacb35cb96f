using System.Globalization;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// Issue 12 (live): fencing for real on the namespace harness, with our stack and our
/// <c>fence_netns</c> agent (agents/fence), which a node reaches the others' namespaces with
/// through the host's /run/netns that cluster.sh shows inside every node. A crashed node1 is
/// fenced before WebIP starts elsewhere (the order read from the DC's log); node1 cut off from
/// the others (its switch port down, a 2|1 partition) is fenced by the majority, and at no instant
/// do two nodes answer on the VIP. Root only; every wait is bounded.
/// </summary>
[Collection(ClusterCollection.Name)]
public class NamespaceFencingTests(ITestOutputHelper output)
{
    private const string Fenced = "Fence operation for node1 succeeded";

    private static async Task EnableFencingAsync(FailoverBenchCluster c)
    {
        var map = string.Join(';', Enumerable.Range(1, 3).Select(n => $"node{n}:{c.Prefix}n{n}"));
        await LiveCluster.OkAsync(c, 1, "pcs", "stonith", "create", "fence-ns", "fence_netns", "pcmk_host_map=" + map);
        await LiveCluster.OkAsync(c, 1, "pcs", "property", "set", "stonith-enabled=true");
        await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1"),
            r => r.Out.Contains("fence-ns\t", StringComparison.Ordinal) && r.Out.Split('\n').Any(l => l.Contains("fence-ns\t", StringComparison.Ordinal) && l.Contains("Started", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the fence device started");
    }

    /// <summary>The log (of node2 or node3) that records node1's fencing, as lines.</summary>
    private static string[] FencingLog(FailoverBenchCluster c) =>
        new[] { 2, 3 }.Select(n => LiveCluster.PacemakerLog(c, n)).FirstOrDefault(l => l.Any(x => x.Contains(Fenced, StringComparison.Ordinal))) ?? [];

    private static void AssertFencedBeforeStart(string[] log, string resource)
    {
        var fenced = Array.FindIndex(log, l => l.Contains(Fenced, StringComparison.Ordinal));
        var started = Array.FindLastIndex(log, l => l.Contains($"Initiating start operation {resource}_start_0", StringComparison.Ordinal));
        Assert.True(fenced >= 0 && started > fenced, $"expected '{Fenced}' before the last start of {resource}:\n" + string.Join('\n', log.TakeLast(60)));
    }

    [Fact]
    public async Task A_crashed_node_is_fenced_by_fence_netns_before_its_IP_starts_elsewhere()
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
            await EnableFencingAsync(c);

            var crashedAt = DateTime.UtcNow;
            var kill = await c.ClusterAsync(TimeSpan.FromSeconds(30), "kill", "1");
            Assert.True(kill.ExitCode == 0, "cluster.sh kill 1: " + kill);
            var page = await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p is "node2" or "node3", TimeSpan.FromSeconds(60), "the page from another node");
            output.WriteLine($"crash -> page from {page} in {(DateTime.UtcNow - crashedAt).TotalSeconds:F1} s");
            var log = FencingLog(c);
            AssertFencedBeforeStart(log, "WebIP");
            output.WriteLine(string.Join('\n', log.Where(l => l.Contains("node1", StringComparison.Ordinal) && (l.Contains("Fence", StringComparison.Ordinal) || l.Contains("fenc", StringComparison.Ordinal))).Take(10)));
            // fence_netns really powered node1 off: its namespace has no process left.
            var pids = await c.ClusterAsync(TimeSpan.FromSeconds(10), "pids", "1");
            Assert.Equal("", pids.Out.Trim());
        }
        catch
        {
            foreach (var n in new[] { 1, 2, 3 })
                output.WriteLine(c.Logs(n, 50));
            throw;
        }
    }

    [Fact]
    public async Task A_node_cut_off_from_the_other_two_is_fenced_and_two_nodes_never_answer_on_the_VIP()
    {
        if (LiveCluster.Missing() is { } reason)
        {
            output.WriteLine("skipped: " + reason);
            return;
        }
        await using var c = LiveCluster.Create();
        try
        {
            await LiveCluster.UpWithWebAsync(c, 3, output, noQuorumPolicy: "stop");
            await EnableFencingAsync(c);
            int rounds;
            IReadOnlyList<string> doubles;
            await using (var watch = new VipWatch(c, 3))
            {
                await Task.Delay(1000);
                var cutAt = DateTime.UtcNow;
                var cut = await c.ClusterAsync(TimeSpan.FromSeconds(10), "netcut", "1");
                Assert.True(cut.ExitCode == 0, "cluster.sh netcut 1: " + cut);
                var page = await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p is "node2" or "node3", TimeSpan.FromSeconds(60), "the page from another node");
                output.WriteLine($"cut -> page from {page} in {(DateTime.UtcNow - cutAt).TotalSeconds:F1} s");
                // Heal the switch port: fenced node1 stays down and gives no second VIP holder.
                var heal = await c.ClusterAsync(TimeSpan.FromSeconds(10), "netheal", "1");
                Assert.True(heal.ExitCode == 0, "cluster.sh netheal 1: " + heal);
                for (int i = 0; i < 10; i++)
                {
                    Assert.Equal(page, await c.PageAsync());
                    await Task.Delay(300);
                }
                rounds = watch.Rounds;
                doubles = watch.Doubles;
            }
            output.WriteLine($"VIP watch: {rounds} rounds, {doubles.Count} with two holders");
            Assert.True(rounds > 20, "the VIP watch hardly ran: " + rounds.ToString(CultureInfo.InvariantCulture));
            Assert.True(doubles.Count == 0, "two nodes answered on the VIP at: " + string.Join("; ", doubles));
            AssertFencedBeforeStart(FencingLog(c), "WebIP");
        }
        catch
        {
            foreach (var n in new[] { 1, 2, 3 })
                output.WriteLine(c.Logs(n, 50));
            throw;
        }
    }
}
