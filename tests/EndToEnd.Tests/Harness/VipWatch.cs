using System.Diagnostics;
using System.Globalization;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// Watches, every ~100 ms until disposed, which nodes of a namespace cluster could answer on the
/// VIP: the address is on an interface that is up, and the node's port on the switch is up. The
/// client's curl cannot see two holders at once (it gets one ARP answer), so the split-brain check
/// looks at the nodes themselves. Records the largest number seen at one instant.
/// </summary>
public sealed class VipWatch : IAsyncDisposable
{
    private readonly FailoverBenchCluster _cluster;
    private readonly int _nodes;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<string> _doubles = [];

    public VipWatch(FailoverBenchCluster cluster, int nodes)
    {
        _cluster = cluster;
        _nodes = nodes;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>How many rounds looked at every node.</summary>
    public int Rounds { get; private set; }

    /// <summary>Every instant at which two or more nodes could answer, with their names.</summary>
    public IReadOnlyList<string> Doubles
    {
        get
        {
            lock (_doubles)
                return [.. _doubles];
        }
    }

    private async Task LoopAsync()
    {
        // Bounded: 20 minutes of rounds at most, whatever the caller does.
        for (int i = 0; i < 12000 && !_stop.IsCancellationRequested; i++)
        {
            var answering = new List<string>();
            var switchPorts = await IpAsync(_cluster.Prefix + "sw", "-o", "link", "show", "up");
            for (int n = 1; n <= _nodes; n++)
            {
                var port = "p" + n.ToString(CultureInfo.InvariantCulture);
                bool portUp = switchPorts.Split('\n').Any(l => l.Contains(": " + port + "@", StringComparison.Ordinal));
                var addrs = await IpAsync(_cluster.Prefix + "n" + n.ToString(CultureInfo.InvariantCulture), "-o", "addr", "show", "up");
                if (portUp && addrs.Contains(" inet " + _cluster.Vip + "/", StringComparison.Ordinal))
                    answering.Add("node" + n.ToString(CultureInfo.InvariantCulture));
            }
            Rounds++;
            if (answering.Count > 1)
            {
                lock (_doubles)
                    _doubles.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {string.Join(',', answering)}");
            }
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static async Task<string> IpAsync(string netns, params string[] args)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add(netns);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var p = Process.Start(start);
        if (p is null)
            return "";
        var output = await p.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
        }
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
