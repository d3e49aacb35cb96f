using Cluster.Crm.Cib;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// Three nodes on 127.0.0.1-3, our corosync and pacemakerd on each: the replicated CIB seen
/// through cibadmin (`cibadmin -Q` on each node, compared by digest), restarts, corruption.
/// Every wait is bounded; a failure prints what each node answered.
/// </summary>
[Collection(ClusterCollection.Name)]
public class CibReplicationTests
{
    /// <summary>The digest of what `cibadmin --query` prints on the node (as `cibadmin -5` computes it); null if it fails.</summary>
    private static async Task<(string? Digest, string Text)> QueryAsync(TestCluster c, int node)
    {
        var q = await c.RunAsync(node, "cibadmin", "--query");
        return q.ExitCode != 0 ? (null, q.Err) : (CibFileDigest.Compute(CibXmlText.Parse(q.Out)), q.Out);
    }

    /// <summary>Polls (bounded) until every node answers with one digest that satisfies <paramref name="check"/> on node 1's CIB.</summary>
    private static async Task<string> WaitForOneCibAsync(TestCluster c, Func<string, bool> check, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        for (int i = 0; i < 600 && DateTime.UtcNow < deadline; i++)
        {
            var answers = new List<(string? Digest, string Text)>();
            foreach (var n in c.Nodes) answers.Add(await QueryAsync(c, n));
            var digests = answers.Select(a => a.Digest).ToList();
            last = string.Join(", ", digests.Select(d => d ?? "(no answer)"));
            if (digests.All(d => d is not null) && digests.Distinct().Count() == 1 && check(answers[0].Text))
                return digests[0]!;
            await Task.Delay(100);
        }
        throw new TimeoutException($"nodes did not converge: {last}");
    }

    private static async Task WaitForCibServiceAsync(TestCluster c, int node)
    {
        for (int i = 0; i < 300; i++)
        {
            var r = await c.RunAsync(node, "cibadmin", "--query", "--scope", "nodes");
            if (r.ExitCode == 0) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"pacemakerd on node {node} never answered");
    }

    private static async Task<LocalCluster> StartAsync()
    {
        var c = new LocalCluster(new ClusterSpec());
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes) await c.WaitForQuorumAsync(n, 3, true);
        foreach (var n in c.Nodes) c.StartPacemaker(n);
        foreach (var n in c.Nodes) await WaitForCibServiceAsync(c, n);
        return c;
    }

    [Fact]
    public async Task A_change_on_any_node_shows_on_all_with_one_digest_restarts_resync_and_a_full_restart_keeps_it()
    {
        await using var c = await StartAsync();
        // A modify on node 2 is visible on every node with the same digest.
        var create = await c.RunAsync(2, "cibadmin", "--create", "--scope", "resources", "--xml-text",
            "<primitive id=\"D1\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>");
        Assert.True(create.ExitCode == 0, create.Err);
        await WaitForOneCibAsync(c, x => x.Contains("id=\"D1\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // Changes from every node, all applied in one order.
        for (int i = 0; i < 9; i++)
        {
            var r = await c.RunAsync(i % 3 + 1, "cibadmin", "--modify", "--xml-text", $"<primitive id=\"D1\" description=\"d{i}\"/>");
            Assert.True(r.ExitCode == 0, r.Err);
        }
        await WaitForOneCibAsync(c, x => x.Contains("description=\"d8\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        // A pacemakerd that crashes misses a change and gets it back when it restarts.
        c.CrashPacemaker(3);
        var whileDown = await c.RunAsync(1, "cibadmin", "--create", "--scope", "resources", "--xml-text",
            "<primitive id=\"D2\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>");
        Assert.True(whileDown.ExitCode == 0, whileDown.Err);
        c.StartPacemaker(3);
        await WaitForCibServiceAsync(c, 3);
        await WaitForOneCibAsync(c, x => x.Contains("id=\"D2\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20));

        // Full stop of every pacemakerd (SIGTERM: clean exit), then start: the configuration is kept.
        foreach (var n in c.Nodes) Assert.Equal(0, await c.StopPacemakerAsync(n));
        foreach (var n in c.Nodes) c.StartPacemaker(n);
        foreach (var n in c.Nodes) await WaitForCibServiceAsync(c, n);
        await WaitForOneCibAsync(c, x => x.Contains("id=\"D2\"", StringComparison.Ordinal) && x.Contains("description=\"d8\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20));
        Assert.True(File.Exists(c.HostPath(1, "/var/log/pacemaker/pacemaker.log")));
    }

    [Fact]
    public async Task A_hand_corrupted_cib_xml_is_detected_and_replaced_from_the_cluster()
    {
        await using var c = await StartAsync();
        var create = await c.RunAsync(1, "cibadmin", "--create", "--scope", "resources", "--xml-text",
            "<primitive id=\"D1\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"/>");
        Assert.True(create.ExitCode == 0, create.Err);
        await WaitForOneCibAsync(c, x => x.Contains("id=\"D1\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Equal(0, await c.StopPacemakerAsync(2));
        var file = c.HostPath(2, "/var/lib/pacemaker/cib/cib.xml");
        File.WriteAllText(file, File.ReadAllText(file).Replace("Dummy", "Hacked", StringComparison.Ordinal));
        c.StartPacemaker(2);
        await WaitForCibServiceAsync(c, 2);
        await WaitForOneCibAsync(c, x => x.Contains("type=\"Dummy\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var log = File.ReadAllText(c.HostPath(2, "/var/log/pacemaker/pacemaker.log"));
        Assert.Contains("Digest comparison failed", log, StringComparison.Ordinal);
        Assert.Contains("will NOT be used", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Hacked", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_get_2_1_5_exit_codes_and_the_daemon_keeps_serving()
    {
        await using var c = await StartAsync();
        Assert.Equal(78, (await c.RunAsync(1, "cibadmin", "--modify", "--xml-text", "garbage")).ExitCode);
        Assert.Equal(105, (await c.RunAsync(1, "cibadmin", "--modify", "--xml-text", "<primitive id=\"nope\"/>")).ExitCode);
        var bad = await c.RunAsync(1, "cibadmin", "--create", "--scope", "resources", "--xml-text", "<primitive id=\"X\" class=\"bogus\" type=\"Dummy\"/>");
        Assert.Equal(78, bad.ExitCode);
        Assert.Contains("Call failed: Update does not conform to the configured schema", bad.Err, StringComparison.Ordinal);
        Assert.Equal(107, (await c.RunAsync(1, "cibadmin", "--erase")).ExitCode);
        // A client that sends garbage on the socket is dropped; the daemon keeps serving.
        using (var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            s.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(c.HostPath(1, "/run/pacemaker/cib.sock")));
            s.Send([0xff, 0xff, 0xff, 0x7f, 1, 2, 3]);
        }
        Assert.Equal(0, (await c.RunAsync(1, "cibadmin", "--query", "--scope", "nodes")).ExitCode);
    }
}
