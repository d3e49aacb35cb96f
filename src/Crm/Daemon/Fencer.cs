using System.Xml.Linq;
using Cluster.Agents.Invocation;
using Cluster.Crm.Fencing;

namespace Cluster.Crm.Daemon;

/// <summary>
/// The fencer's shell: carries out a <see cref="FencingPlan"/> with real agents — for each level
/// in order, every device of the level (after asking a dynamic-list device's <c>list</c> action
/// whether it can reach the target) — and keeps the fencing history <c>stonith_admin -H</c> shows.
/// </summary>
public sealed class Fencer(IAgentRunner runner, Action<string, string, string> log)
{
    private readonly object _gate = new();
    private readonly List<FencingRecord> _history = [];

    /// <summary>Fencing operations so far, oldest first (bounded: the last 500).</summary>
    public IReadOnlyList<FencingRecord> History
    {
        get
        {
            lock (_gate) return [.. _history];
        }
    }

    /// <summary>Fences <paramref name="target"/>; true when one level fully succeeded.</summary>
    public async Task<(bool Succeeded, string Detail)> FenceAsync(XElement cib, string target, string action, TimeSpan timeout, string origin, CancellationToken stop,
        string client = "pacemaker-controld")
    {
        var problems = new List<string>();
        var devices = FencingPlan.Devices(cib, problems);
        foreach (var p in problems) log("warning", "stonith_device_register", p);
        var levels = FencingPlan.Levels(cib, target, devices);
        var (ok, detail) = levels.Count == 0
            ? (false, $"no fencing device can fence {target}")
            : await TryLevelsAsync(levels, target, action, timeout, stop).ConfigureAwait(false);
        lock (_gate)
        {
            _history.Add(new FencingRecord(target, action, origin, ok, detail, DateTimeOffset.UtcNow) { Client = client });
            if (_history.Count > 500) _history.RemoveAt(0);
        }
        log(ok ? "notice" : "error", "finalize_op", $"Operation '{action}' targeting {target} by {origin}: {(ok ? "OK" : "Error")} ({detail})");
        return (ok, detail);
    }

    /// <summary>Whether some fencing level can fence <paramref name="target"/> at all (no agent is asked).</summary>
    public static bool HasLevelFor(XElement cib, string target) =>
        FencingPlan.Levels(cib, target, FencingPlan.Devices(cib, [])).Count > 0;

    /// <summary>The devices that can fence <paramref name="target"/> (stonith_admin -l): by their host list or map, or by asking a dynamic-list device's agent.</summary>
    public async Task<IReadOnlyList<string>> DevicesForAsync(XElement cib, string target, TimeSpan timeout, CancellationToken stop)
    {
        var found = new List<string>();
        foreach (var device in FencingPlan.Devices(cib, []))
        {
            var can = device.CanFence(target) ?? await CanReachAsync(device, target, timeout, stop).ConfigureAwait(false);
            if (can)
                found.Add(device.Id);
        }
        return found;
    }

    private async Task<(bool, string)> TryLevelsAsync(IReadOnlyList<IReadOnlyList<FenceDevice>> levels, string target, string action, TimeSpan timeout, CancellationToken stop)
    {
        var failures = new List<string>();
        foreach (var level in levels)
        {
            var done = true;
            foreach (var device in level)
            {
                if (device.CanFence(target) is null && !await CanReachAsync(device, target, timeout, stop).ConfigureAwait(false))
                {
                    failures.Add($"{device.Id} cannot reach {target}");
                    done = false;
                    break;
                }
                log("notice", "stonith_fence", $"Requesting that {device.Id} perform '{action}' action targeting {target}");
                var result = await runner.InvokeAsync(FencingPlan.Request(device, action, target, timeout), stop).ConfigureAwait(false);
                if (result.Status != ExecutionStatus.Done || result.Rc != 0)
                {
                    failures.Add($"{device.Id}: {result.ExitReason ?? FirstLine(result.StandardError) ?? $"rc={result.Rc}"}");
                    done = false;
                    break;
                }
            }
            if (done)
                return (true, $"fenced by {string.Join(", ", level.Select(d => d.Id))}");
        }
        return (false, string.Join("; ", failures));
    }

    private async Task<bool> CanReachAsync(FenceDevice device, string target, TimeSpan timeout, CancellationToken stop)
    {
        var action = device.Check == HostCheck.Status ? "status" : "list";
        var result = await runner.InvokeAsync(FencingPlan.Request(device, action, action == "status" ? target : null, timeout), stop).ConfigureAwait(false);
        if (action == "status")
            return result.Status == ExecutionStatus.Done && result.Rc is 0 or 7;
        return result.Status == ExecutionStatus.Done && result.Rc == 0
            && FencingPlan.ParseList(result.StandardOutput).Contains(device.PortFor(target), StringComparer.Ordinal);
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}

/// <summary>One fencing operation of the history.</summary>
public sealed record FencingRecord(string Target, string Action, string Origin, bool Succeeded, string Detail, DateTimeOffset When)
{
    /// <summary>Who asked: pacemaker-controld for the DC's fencing, stonith_admin.PID for an administrator's.</summary>
    public string Client { get; init; } = "pacemaker-controld";
}
