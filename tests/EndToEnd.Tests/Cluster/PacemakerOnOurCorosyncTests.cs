using System.Diagnostics;
using Cluster.EndToEnd.Tests.Harness;

namespace Cluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Level 2 of the drop-in goal: Debian's real Pacemaker 2.1.5 (pacemakerd and its daemons, linked
/// with libcpg / libcmap / libquorum / libcfg) on our corosync, one per namespace node, three
/// nodes. It must elect a DC with all three online, start a resource, and move it when the node
/// running it crashes. Needs root and `apt-get install pacemaker`; skipped otherwise.
/// </summary>
[Collection(ClusterCollection.Name)]
public class PacemakerOnOurCorosyncTests
{
    private const string Sbin = "/usr/sbin/";

    private static bool Available => NamespaceCluster.Available && File.Exists(Sbin + "pacemakerd") && File.Exists(Sbin + "crm_mon")
        && File.Exists("/usr/lib/ocf/resource.d/pacemaker/Dummy") && Directory.Exists("/var/lib/pacemaker");

    private static async Task<string> WaitForAsync(NamespaceCluster c, int node, Func<string, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "";
        for (int i = 0; i < 400 && DateTime.UtcNow < deadline; i++)
        {
            var r = await c.RunAsync(node, Sbin + "crm_mon", "-1");
            last = r.Out + r.Err;
            if (r.ExitCode == 0 && done(last))
                return last;
            await Task.Delay(1000);
        }
        throw new TimeoutException($"node {node}: crm_mon -1 did not reach the expected state in {timeout}; last:\n{last}\n--- pacemaker log\n{PacemakerLog(c, node)}");
    }

    private static string PacemakerLog(NamespaceCluster c, int node)
    {
        var file = Path.Combine(c.NodeDir(node), "var/log/pacemaker/pacemaker.log");
        if (!File.Exists(file))
            return "(no log)";
        var lines = File.ReadAllLines(file);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 40)));
    }

    /// <summary>SIGTERM and a bounded wait (pacemakerd stops its daemons), then SIGKILL of whatever is left of its tree.</summary>
    private static void Stop(Process pacemakerd, bool crash)
    {
        if (!crash)
        {
            ProcessTracker.Terminate(pacemakerd);
            if (pacemakerd.WaitForExit(60_000))
                return;
        }
        try
        {
            pacemakerd.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        pacemakerd.WaitForExit(10_000);
    }

    private static string Where(string crmMon)
    {
        foreach (var line in crmMon.Split('\n'))
        {
            int at = line.IndexOf("Started node", StringComparison.Ordinal);
            if (line.Contains("probe", StringComparison.Ordinal) && at >= 0)
                return line[(at + "Started ".Length)..].Trim();
        }
        return "";
    }

    [Fact]
    public async Task Debian_pacemaker_runs_on_our_corosync_elects_a_DC_starts_a_resource_and_moves_it_after_a_crash()
    {
        if (!Available)
            return;
        await using var c = new NamespaceCluster(new ClusterSpec());
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes)
            await c.WaitForQuorumAsync(n, 3, true, TimeSpan.FromSeconds(60));
        var pacemakers = new Dictionary<int, Process>();
        try
        {
            foreach (var n in c.Nodes)
                pacemakers[n] = c.Spawn(n, Sbin + "pacemakerd", new Dictionary<string, string> { ["PCMK_logfile"] = "/var/log/pacemaker/pacemaker.log" }, "-f");

            var status = await WaitForAsync(c, 1, s => s.Contains("Online: [ node1 node2 node3 ]", StringComparison.Ordinal)
                && s.Contains("Current DC: node", StringComparison.Ordinal) && s.Contains("partition with quorum", StringComparison.Ordinal), TimeSpan.FromSeconds(180));
            Assert.Contains("Stack: corosync", status, StringComparison.Ordinal);
            foreach (var n in new[] { 2, 3 })
                await WaitForAsync(c, n, s => s.Contains("Online: [ node1 node2 node3 ]", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

            // No fencing device here: let the cluster recover without one, then a resource.
            Assert.Equal(0, (await c.RunAsync(1, Sbin + "crm_attribute", "-t", "crm_config", "-n", "stonith-enabled", "-v", "false")).ExitCode);
            var create = await c.RunAsync(1, Sbin + "cibadmin", "--create", "-o", "resources", "--xml-text",
                "<primitive id=\"probe\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\"><operations><op id=\"probe-monitor\" name=\"monitor\" interval=\"5s\"/></operations></primitive>");
            Assert.True(create.ExitCode == 0, create.ToString());
            status = await WaitForAsync(c, 1, s => Where(s).Length > 0, TimeSpan.FromSeconds(90));
            var owner = Where(status);
            int victim = int.Parse(owner["node".Length..], System.Globalization.CultureInfo.InvariantCulture);
            int survivor = victim == 1 ? 2 : 1;

            // Crash the node running it: its Pacemaker and its corosync die at once.
            Stop(pacemakers[victim], crash: true);
            c.Crash(victim);
            status = await WaitForAsync(c, survivor, s => Where(s).Length > 0 && Where(s) != owner
                && s.Contains($"OFFLINE: [ {owner} ]", StringComparison.Ordinal), TimeSpan.FromSeconds(120));
            Assert.NotEqual(owner, Where(status));
        }
        finally
        {
            foreach (var p in pacemakers.Values)
                Stop(p, crash: false);
        }
    }
}
