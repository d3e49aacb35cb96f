using System.Globalization;
using Cluster.EndToEnd.Tests.Harness;

namespace Cluster.EndToEnd.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public class DaemonModeTests
{
    [Fact]
    public async Task Without_f_corosync_daemonizes_returns_zero_once_ready_and_writes_its_pid_file()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 1 });
        c.Configure();
        var pidFile = c.HostPath(1, "/run/corosync.pid");
        int? pid = null;
        try
        {
            var r = await c.RunAsync(1, "corosync");
            Assert.Equal(0, r.ExitCode);
            pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
            Assert.True(Directory.Exists($"/proc/{pid}"));
            await c.WaitForQuorumAsync(1, 1, true);
            var again = await c.RunAsync(1, "corosync");
            Assert.Equal(18, again.ExitCode);
            Assert.Contains("Another Corosync instance is already running", again.Err, StringComparison.Ordinal);
            var stop = await c.RunAsync(1, "corosync-cfgtool", "-H");
            Assert.Equal("Shutting down corosync\n", stop.Out);
            for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
                await Task.Delay(100);
            Assert.False(Directory.Exists($"/proc/{pid}"), "the daemon did not exit after corosync-cfgtool -H");
            Assert.Contains("[CFG   ] Node 1 was shut down by sysadmin", c.Log(1), StringComparison.Ordinal);
            pid = null;
        }
        finally
        {
            if (pid is { } p && Directory.Exists($"/proc/{p}"))
                System.Diagnostics.Process.GetProcessById(p).Kill();
        }
    }

    [Fact]
    public async Task Expected_votes_lowered_at_run_time_restores_quorum()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 2 });
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 2, true);
        c.Crash(2);
        await c.WaitForQuorumAsync(1, 1, false);
        var refused = await c.RunAsync(1, "corosync-quorumtool", "-e", "5");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("Unable to set expected votes: CS_ERR_INVALID_PARAM\n", refused.Err);
        var r = await c.RunAsync(1, "corosync-quorumtool", "-e", "1");
        Assert.Equal(0, r.ExitCode);
        await c.WaitForQuorumAsync(1, 1, true);
        var s = await c.RunAsync(1, "corosync-quorumtool", "-s");
        Assert.Contains("Expected votes:   1\n", s.Out, StringComparison.Ordinal);
        var set = await c.RunAsync(1, "corosync-cmapctl", "-s", "test.key", "u32", "7");
        Assert.Equal(0, set.ExitCode);
        Assert.Equal("test.key (u32) = 7\n", (await c.RunAsync(1, "corosync-cmapctl", "-g", "test.key")).Out);
        Assert.Equal(0, (await c.RunAsync(1, "corosync-cmapctl", "-d", "test.key")).ExitCode);
        var missing = await c.RunAsync(1, "corosync-cmapctl", "-g", "test.key");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("Can't get key test.key. Error CS_ERR_NOT_EXIST\n", missing.Err);
    }
}
