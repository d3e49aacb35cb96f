using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// Every process a harness starts, by pid, so teardown (or the test host's exit, even after a
/// failed test) can end exactly those processes and nothing else.
/// </summary>
public sealed class ProcessTracker : IDisposable
{
    private static readonly ConcurrentDictionary<ProcessTracker, byte> Live = new();
    private readonly ConcurrentDictionary<int, Process> _processes = new();

    static ProcessTracker()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var tracker in Live.Keys)
                tracker.Dispose();
        };
    }

    public ProcessTracker() => Live[this] = 0;

    /// <summary>Starts a process with its output captured and tracks it.</summary>
    public Process Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var p = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        _processes[p.Id] = p;
        return p;
    }

    public void Forget(Process p)
    {
        ArgumentNullException.ThrowIfNull(p);
        _processes.TryRemove(p.Id, out _);
    }

    /// <summary>SIGKILL of one tracked process (a crash).</summary>
    public static void Kill(Process p)
    {
        ArgumentNullException.ThrowIfNull(p);
        try
        {
            if (!p.HasExited)
                p.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>SIGTERM by pid (a clean stop).</summary>
    public static void Terminate(Process p)
    {
        ArgumentNullException.ThrowIfNull(p);
        if (p.HasExited)
            return;
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            { UseShellExecute = false });
        kill?.WaitForExit(5000);
    }

    public void Dispose()
    {
        foreach (var p in _processes.Values)
        {
            Kill(p);
            try
            {
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }
            p.Dispose();
        }
        _processes.Clear();
        Live.TryRemove(this, out _);
    }
}
