using System.Diagnostics;
using Cluster.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public class MembershipTests(ITestOutputHelper output)
{
    private async Task ThreeNodesFormSurviveACrashAndLoseQuorumOnTheSecond(TestCluster c)
    {
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes)
            await c.WaitForQuorumAsync(n, 3, true);
        var status = await c.RunAsync(1, "corosync-quorumtool", "-s");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Quorum:           2  \n", status.Out, StringComparison.Ordinal);
        Assert.Contains("         1          1 node1 (local)\n", status.Out, StringComparison.Ordinal);

        var clock = Stopwatch.StartNew();
        c.Crash(3);
        await c.WaitForQuorumAsync(1, 2, true);
        output.WriteLine($"crash of node 3 seen as 2 quorate nodes on node 1 after {clock.ElapsedMilliseconds} ms (token {c.Spec.Token}, 3 nodes)");
        await c.WaitForQuorumAsync(2, 2, true);

        c.Crash(2);
        await c.WaitForQuorumAsync(1, 1, false);
        var alone = await c.RunAsync(1, "corosync-quorumtool", "-s");
        Assert.Equal(2, alone.ExitCode);
        Assert.Contains("Quorum:           2 Activity blocked\n", alone.Out, StringComparison.Ordinal);
        var log = c.Log(1);
        Assert.Contains("[QUORUM] This node is within the primary component and will provide service.", log, StringComparison.Ordinal);
        Assert.Contains("[QUORUM] This node is within the non-primary component and will NOT provide any services.", log, StringComparison.Ordinal);
        Assert.Contains("[TOTEM ] Failed to receive the leave message. failed: 3", log, StringComparison.Ordinal);
        Assert.Contains("[MAIN  ] Completed service synchronization, ready to provide service.", log, StringComparison.Ordinal);
        // corosync's order after a crash: Sync members, Sync left, then Totem's membership lines.
        var lines = log.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Match(l, @"\[[A-Z ]{6}\] .*$").Value).ToList();
        int syncLeft = lines.FindIndex(l => l.EndsWith("[QUORUM] Sync left[1]: 3", StringComparison.Ordinal));
        Assert.True(syncLeft > 0, log);
        Assert.Equal("[QUORUM] Sync members[2]: 1 2", lines[syncLeft - 1]);
        Assert.StartsWith("[TOTEM ] A new membership (", lines[syncLeft + 1], StringComparison.Ordinal);
        Assert.EndsWith(") was formed. Members left: 3", lines[syncLeft + 1], StringComparison.Ordinal);
        Assert.Equal("[TOTEM ] Failed to receive the leave message. failed: 3", lines[syncLeft + 2]);
    }

    [Fact]
    public async Task Three_local_nodes_form_a_quorate_ring_stay_quorate_after_one_crash_and_lose_quorum_after_two()
    {
        await using var c = new LocalCluster(new ClusterSpec());
        await ThreeNodesFormSurviveACrashAndLoseQuorumOnTheSecond(c);
    }

    [Fact]
    public async Task Three_namespaced_nodes_form_a_quorate_ring_stay_quorate_after_one_crash_and_lose_quorum_after_two()
    {
        if (!NamespaceCluster.Available)
            return; // needs root (CI has it)
        await using var c = new NamespaceCluster(new ClusterSpec());
        await ThreeNodesFormSurviveACrashAndLoseQuorumOnTheSecond(c);
        var cfg = await c.RunAsync(1, "corosync-cfgtool", "-s");
        Assert.StartsWith("Local node ID 1, transport udpu\nLINK ID 0 \n\taddr\t= " + c.Address(1) + "\n\tstatus:\n", cfg.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_node_waits_for_both_at_first_start_then_survives_a_crash()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 2, TwoNode = true });
        c.Configure();
        c.Start(1);
        await c.WaitForQuorumAsync(1, 1, false);
        Assert.Contains("Flags:            2Node WaitForAll \n", (await c.QuorumAsync(1)).Raw.Out, StringComparison.Ordinal);
        c.Start(2);
        await c.WaitForQuorumAsync(1, 2, true);
        Assert.Contains("Flags:            2Node Quorate WaitForAll \n", (await c.QuorumAsync(1)).Raw.Out, StringComparison.Ordinal);
        c.Crash(2);
        await c.WaitForQuorumAsync(1, 1, true);
        Assert.Contains("Quorum:           1  \n", (await c.QuorumAsync(1)).Raw.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_node_rejoins_and_its_join_count_grows()
    {
        await using var c = new LocalCluster(new ClusterSpec());
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 3, true);
        c.Crash(3);
        await c.WaitForQuorumAsync(1, 2, true);
        var left = await c.RunAsync(1, "corosync-cmapctl", "-g", "runtime.members.3.status");
        Assert.Equal("runtime.members.3.status (str) = left\n", left.Out);
        c.Start(3);
        await c.WaitForQuorumAsync(1, 3, true);
        await c.WaitForQuorumAsync(3, 3, true);
        var count = await c.RunAsync(1, "corosync-cmapctl", "-g", "runtime.members.3.join_count");
        Assert.Equal("runtime.members.3.join_count (u32) = 2\n", count.Out);
    }

    [Fact]
    public async Task A_clean_stop_leaves_the_ring_and_exits_zero()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 2 });
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 2, true);
        Assert.Equal(0, await c.StopAsync(2));
        await c.WaitForQuorumAsync(1, 1, false);
        Assert.DoesNotContain("Failed to receive the leave message", c.Log(1), StringComparison.Ordinal);
        var log2 = c.Log(2);
        Assert.Contains("[MAIN  ] Node was shut down by a signal", log2, StringComparison.Ordinal);
        Assert.Contains("[MAIN  ] Corosync Cluster Engine exiting normally", log2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_two_one_partition_leaves_the_two_quorate_and_the_one_not_then_heals()
    {
        if (!NamespaceCluster.Available)
            return; // needs root (CI has it)
        await using var c = new NamespaceCluster(new ClusterSpec());
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes)
            await c.WaitForQuorumAsync(n, 3, true);
        c.Partition([1, 2], [3]);
        await c.WaitForQuorumAsync(1, 2, true);
        await c.WaitForQuorumAsync(3, 1, false);
        c.Heal();
        foreach (var n in c.Nodes)
            await c.WaitForQuorumAsync(n, 3, true);
        c.CutLink(2);
        await c.WaitForQuorumAsync(1, 2, true);
        c.RestoreLink(2);
        await c.WaitForQuorumAsync(1, 3, true);
    }
}
