using Cluster.Common.Processes;

namespace Cluster.Agents.Tests.Support;

/// <summary>
/// A network namespace a test creates for itself: uniquely named, with a veth pair (v0 with
/// an address, v1 its peer) and lo up. Disposing kills every process left in it (all started
/// by the test) and deletes it, also when the test failed.
/// </summary>
public sealed class Netns : IAsyncDisposable
{
    private Netns(string name, string prefix)
    {
        Name = name;
        Prefix = prefix;
    }

    public string Name { get; }

    /// <summary>The /24 the namespace's v0 has .1 of, e.g. "10.201.7".</summary>
    public string Prefix { get; }

    public static async Task<Netns> CreateAsync()
    {
        var name = "hat-" + Guid.NewGuid().ToString("N")[..10];
        var prefix = $"10.{200 + Random.Shared.Next(50)}.{Random.Shared.Next(1, 250)}";
        var ns = new Netns(name, prefix);
        try
        {
            await MustAsync("ip", "netns", "add", name);
            await MustAsync("ip", "-n", name, "link", "set", "lo", "up");
            await MustAsync("ip", "-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
            await MustAsync("ip", "-n", name, "link", "set", "v0", "up");
            await MustAsync("ip", "-n", name, "link", "set", "v1", "up");
            await MustAsync("ip", "-n", name, "addr", "add", $"{prefix}.1/24", "dev", "v0");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
        return ns;
    }

    /// <summary>Runs a program inside the namespace.</summary>
    public Task<ProcessResult> ExecAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string>? env = null) =>
        ProcessRunner.Default.RunAsync(new ProcessSpec("ip", ["netns", "exec", Name, .. command])
        {
            Environment = env ?? new Dictionary<string, string>(),
            Timeout = TimeSpan.FromSeconds(90),
        });

    /// <summary>The IPv4 addresses on the namespace's interfaces, as "dev addr/len".</summary>
    public async Task<IReadOnlyList<string>> AddressesAsync()
    {
        var result = await MustAsync("ip", "-n", Name, "-o", "-4", "addr", "show");
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => $"{f[1]} {f[3]}")
            .ToList();
    }

    public static async Task<ProcessResult> MustAsync(params string[] command)
    {
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec(command[0], command[1..]) { Timeout = TimeSpan.FromSeconds(30) });
        if (result.Outcome != ProcessOutcome.Exited || result.ExitCode != 0)
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({result.Outcome}, {result.ExitCode}): {result.StandardError}{result.StartError}");
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        // Processes left in our namespace (arping, httpd, test sleeps) were started by this test.
        for (var round = 0; round < 20; round++)
        {
            var pids = await ProcessRunner.Default.RunAsync(new ProcessSpec("ip", ["netns", "pids", Name]) { Timeout = TimeSpan.FromSeconds(10) });
            var list = pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))
                .Where(p => p != Environment.ProcessId && !IsZombie(p))
                .ToList();
            if (list.Count == 0)
                break;
            foreach (var pid in list)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // already gone
                }
                catch (InvalidOperationException)
                {
                    // exited meanwhile
                }
            }
            await Task.Delay(100);
        }
        await ProcessRunner.Default.RunAsync(new ProcessSpec("ip", ["netns", "del", Name]) { Timeout = TimeSpan.FromSeconds(10) });
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
