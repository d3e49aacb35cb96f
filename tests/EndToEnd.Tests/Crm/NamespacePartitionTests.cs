using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// Issue 12 (live): quorum on the namespace harness with our stack. node1 cut off from the other
/// two (its switch port down: its own interface and VIP stay up) loses quorum and, with
/// no-quorum-policy=stop, stops its resources while the two others take them over. A 2-node
/// cluster with two_node keeps serving when one node dies. Root only; every wait is bounded.
/// </summary>
[Collection(ClusterCollection.Name)]
public class NamespacePartitionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_node_cut_off_from_the_other_two_stops_its_resources_with_no_quorum_policy_stop_and_the_majority_takes_over()
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
            var cut = await c.ClusterAsync(TimeSpan.FromSeconds(10), "netcut", "1");
            Assert.True(cut.ExitCode == 0, "cluster.sh netcut 1: " + cut);

            var page = await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p is "node2" or "node3", TimeSpan.FromSeconds(60), "the page from another node");
            var majority = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(2, "crm_mon", "-1"),
                r => LiveCluster.StartedOn(r.Out, "WebIP", page) && LiveCluster.StartedOn(r.Out, "WebServer", page), TimeSpan.FromSeconds(30), $"both started on {page}");
            Assert.Contains("partition with quorum", majority.Out, StringComparison.Ordinal);

            // node1, alone, knows it is inquorate and has let go of both resources.
            var alone = await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(1, "crm_mon", "-1"),
                r => r.Out.Contains("partition WITHOUT quorum", StringComparison.Ordinal) && !LiveCluster.StartedOn(r.Out, "WebIP", "node1") && !LiveCluster.StartedOn(r.Out, "WebServer", "node1"),
                TimeSpan.FromSeconds(30), "node1 inquorate with nothing started on it");
            output.WriteLine("node1 alone:\n" + alone.Out);
            var addresses = await c.ExecAsync(1, "ip", "-o", "addr", "show");
            Assert.DoesNotContain(" " + c.Vip + "/", addresses.Out, StringComparison.Ordinal);
            Assert.Equal(0, await LiveCluster.KillByNameAsync(c, 1, "apache2"));

            // Healed: one cluster of three again, the resources where the scores say (node1, 500).
            var heal = await c.ClusterAsync(TimeSpan.FromSeconds(10), "netheal", "1");
            Assert.True(heal.ExitCode == 0, "cluster.sh netheal 1: " + heal);
            await FailoverBenchCluster.WaitForAsync(() => c.ExecAsync(3, "crm_mon", "-1"),
                r => r.Out.Contains("Online: [ node1 node2 node3 ]", StringComparison.Ordinal) && LiveCluster.StartedOn(r.Out, "WebServer", "node1"),
                TimeSpan.FromSeconds(60), "three online again and WebServer back on node1");
            Assert.Equal("node1", await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p == "node1", TimeSpan.FromSeconds(20), "node1's page after the heal"));
        }
        catch
        {
            foreach (var n in new[] { 1, 2, 3 })
                output.WriteLine(c.Logs(n, 50));
            throw;
        }
    }

    [Fact]
    public async Task Two_nodes_with_two_node_keep_serving_when_one_dies()
    {
        if (LiveCluster.Missing() is { } reason)
        {
            output.WriteLine("skipped: " + reason);
            return;
        }
        await using var c = LiveCluster.Create(new Dictionary<string, string> { ["TWO_NODE"] = "1" });
        try
        {
            await LiveCluster.UpWithWebAsync(c, 2, output, noQuorumPolicy: "stop");
            var kill = await c.ClusterAsync(TimeSpan.FromSeconds(30), "kill", "1");
            Assert.True(kill.ExitCode == 0, "cluster.sh kill 1: " + kill);
            Assert.Equal("node2", await FailoverBenchCluster.WaitForAsync(c.PageAsync, p => p == "node2", TimeSpan.FromSeconds(60), "node2's page"));
            var mon = await c.ExecAsync(2, "crm_mon", "-1");
            Assert.Contains("partition with quorum", mon.Out, StringComparison.Ordinal);
        }
        catch
        {
            foreach (var n in new[] { 1, 2 })
                output.WriteLine(c.Logs(n, 50));
            throw;
        }
    }
}
