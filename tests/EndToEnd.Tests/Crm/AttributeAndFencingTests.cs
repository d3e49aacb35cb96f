using System.Diagnostics;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// Three nodes on 127.0.0.21-23 (FailoverTests keep to 127.0.0.1-3) with our corosync and
/// pacemakerd: transient attributes set on one node through attrd are agreed by every node's
/// attrd and written into the status section by the attrd writer; stonith_admin lists the CIB's
/// fence devices, fences through the local fencer and shows the history, and pcs stonith fence /
/// history do the same through it. Every wait is bounded.
/// </summary>
[Collection(ClusterCollection.Name)]
public class AttributeAndFencingTests(ITestOutputHelper output)
{
    private static readonly ClusterSpec Spec = new() { FirstAddress = 21 };

    private async Task<LocalCluster> StartAsync()
    {
        var c = new LocalCluster(Spec);
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes) await c.WaitForQuorumAsync(n, c.Spec.Nodes, true);
        foreach (var n in c.Nodes) c.StartPacemaker(n);
        await WaitAsync(c, 1, "crm_mon", ["-1"], o => o.Contains("Online: [ node1 node2 node3 ]", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        return c;
    }

    /// <summary>Runs a tool until its stdout passes <paramref name="check"/> (bounded); its last stdout.</summary>
    private static async Task<string> WaitAsync(TestCluster c, int node, string tool, string[] args, Func<string, bool> check, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        for (int i = 0; i < 500 && DateTime.UtcNow < deadline; i++)
        {
            var r = await c.RunAsync(node, tool, args);
            last = r.ToString();
            if (check(r.Out)) return r.Out;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{tool} {string.Join(' ', args)} on node {node} never showed what was awaited; last answer:\n{last}");
    }

    private static string Status(string name, string value) => $"name=\"{name}\" value=\"{value}\"";

    [Fact]
    public async Task Attributes_set_on_one_node_are_agreed_by_all_and_written_to_the_status_section()
    {
        await using var c = await StartAsync();
        var sw = Stopwatch.StartNew();
        var set = await c.RunAsync(1, "attrd_updater", "-n", "probe", "-U", "42");
        Assert.True(set.ExitCode == 0, set.ToString());
        await WaitAsync(c, 3, "cibadmin", ["-Q", "-o", "status"], o => o.Contains(Status("probe", "42"), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        output.WriteLine($"attrd_updater -U to the value in node3's CIB: {sw.ElapsedMilliseconds} ms");
        var all = await WaitAsync(c, 3, "attrd_updater", ["-n", "probe", "-Q", "-A"], o => o.Length > 0, TimeSpan.FromSeconds(10));
        Assert.Equal("name=\"probe\" host=\"node1\" value=\"42\"\n", all);

        // value++ counts on from the agreed value; crm_attribute -l reboot goes through attrd too.
        Assert.Equal(0, (await c.RunAsync(2, "attrd_updater", "-n", "probe", "-N", "node1", "-U", "value++")).ExitCode);
        await WaitAsync(c, 1, "cibadmin", ["-Q", "-o", "status"], o => o.Contains(Status("probe", "43"), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var viaCrmAttribute = await c.RunAsync(2, "crm_attribute", "-N", "node3", "-l", "reboot", "-n", "rack", "-v", "r7");
        Assert.True(viaCrmAttribute.ExitCode == 0, viaCrmAttribute.ToString());
        await WaitAsync(c, 1, "attrd_updater", ["-n", "rack", "-Q", "-N", "node3"], o => o == "name=\"rack\" host=\"node3\" value=\"r7\"\n", TimeSpan.FromSeconds(10));

        // A deletion leaves the status section.
        Assert.Equal(0, (await c.RunAsync(3, "attrd_updater", "-n", "probe", "-N", "node1", "-D")).ExitCode);
        await WaitAsync(c, 2, "cibadmin", ["-Q", "-o", "status"], o => !o.Contains("name=\"probe\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var gone = await c.RunAsync(2, "attrd_updater", "-n", "probe", "-Q");
        Assert.Equal((105, "attrd_updater: Could not query value of probe: attribute does not exist\n"), (gone.ExitCode, gone.Err));
    }

    [Fact]
    public async Task Stonith_admin_lists_fences_and_shows_history_and_pcs_uses_it()
    {
        await using var c = await StartAsync();
        var create = await c.RunAsync(1, "pcs", "stonith", "create", "fd", "fence_dummy", "pcmk_host_list=node1 node2 node3");
        Assert.True(create.ExitCode == 0, create.ToString());
        await WaitAsync(c, 2, "stonith_admin", ["-L"], o => o == " fd\n1 fence device found\n", TimeSpan.FromSeconds(10));
        Assert.Equal(" fd\n1 fence device found\n", (await c.RunAsync(2, "stonith_admin", "-l", "node3")).Out);
        Assert.Equal("0 fence devices found\n", (await c.RunAsync(2, "stonith_admin", "-l", "node9")).Out);

        var fence = await c.RunAsync(2, "pcs", "stonith", "fence", "node3", "--off");
        Assert.Equal((0, "Node: node3 fenced\n"), (fence.ExitCode, fence.Err));
        var history = await c.RunAsync(2, "stonith_admin", "-H", "node3");
        Assert.StartsWith("turning off of node3 successful: delegate=node2, client=stonith_admin.", history.Out, StringComparison.Ordinal);
        var pcsHistory = await c.RunAsync(2, "pcs", "stonith", "history", "show");
        Assert.Contains("turning off of node3 successful", pcsHistory.Out, StringComparison.Ordinal);

        var unknown = await c.RunAsync(2, "stonith_admin", "-B", "node9");
        Assert.Equal((105, "stonith_admin: Couldn't fence node9: No such device\n"), (unknown.ExitCode, unknown.Err));
    }
}
