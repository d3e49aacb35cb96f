using System.Globalization;
using Cluster.Crm.Cib;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>
/// crm_mon's "Failed Resource Actions": every history entry whose result is a failure, once per
/// operation key and node, in status order. Each is named by its operation key (operation_key,
/// or the entry's id when that is missing, as Pacemaker does: "rsc1_last_0" reads "rsc1 last").
/// </summary>
public static class FailedActionList
{
    private static readonly string[] RcTexts = ["ok", "error", "invalid parameter", "unimplemented feature", "insufficient privileges",
        "not installed", "not configured", "not running", "promoted", "promoted (failed)"];

    private static readonly string[] StatusTexts = ["complete", "Cancelled", "Timed Out", "NOT SUPPORTED", "Error", "Hard error",
        "Fatal error", "Not installed", "Internal communication failure", "Cannot execute now", "No fence device",
        "Necessary CIB secrets are unavailable"];

    /// <param name="online">Whether a node_state's node is online: failures on other nodes are not listed.</param>
    /// <param name="ignored">Whether the scheduler disregards this failure of the named resource on the node (expired, or unmanaged and merely stopped): it is not listed.</param>
    public static List<string> Lines(CibDocument cib, Func<NodeStatus, bool> online, Func<NodeStatus, string, LrmOp, bool> ignored)
    {
        ArgumentNullException.ThrowIfNull(cib);
        ArgumentNullException.ThrowIfNull(online);
        ArgumentNullException.ThrowIfNull(ignored);
        var lines = new List<string>();
        foreach (var st in cib.Status.Where(online))
            foreach (var lr in st.Resources)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var op in lr.Ops)
                {
                    if (!IsFailure(op) || ignored(st, lr.Id, op)) continue;
                    var key = op.OperationKey ?? op.Id;
                    if (!seen.Add(key)) continue;
                    lines.Add(Line(op, key, st.Uname ?? st.Id));
                }
            }
        return lines;
    }

    /// <summary>Whether the entry records a failure: an operation that could not run, or a result other than the one expected.</summary>
    public static bool IsFailure(LrmOp op)
    {
        bool probe = op.Operation == "monitor" && op.IntervalMs == 0;
        if (op.OpStatus is -1 or 1) return false; // in flight, or cancelled
        if (probe && op.OpStatus == 7) return false; // a missing agent found by a probe means "not running"
        // An "error" status is judged by its rc, as a completed operation is; any other means it never ran.
        if (op.OpStatus is not (0 or 4)) return true;
        // A probe that finds the agent missing or its parameters invalid counts as "not running"
        // there, not as a failure.
        if (probe) return op.RcCode is not (0 or 2 or 5 or 7 or 8);
        return op.RcCode != op.ExpectedRc();
    }

    private static string Line(LrmOp op, string key, string node)
    {
        var (rsc, task, intervalMs) = ParseKey(key, op);
        var action = intervalMs > 0 ? $"{Interval(intervalMs)}-interval {task}" : task == "monitor" ? "probe" : task;
        var line = $"  * {rsc} {action} on {node} ";
        line += op.OpStatus == 0
            ? $"returned '{RcText(op.RcCode)}'"
            : $"could not be executed ({(op.OpStatus is >= 0 and < 12 ? StatusTexts[op.OpStatus] : "Unknown")})";
        if (op.ExitReason is { Length: > 0 } reason) line += $" ({reason})";
        if (op.Attributes.TryGetValue("last-rc-change", out var changed) && long.TryParse(changed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var at))
            line += $" at {ClusterStatusFormatter.CTime(DateTimeOffset.FromUnixTimeSeconds(at).ToLocalTime())}";
        if (op.Attributes.TryGetValue("exec-time", out var exec) && long.TryParse(exec, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) && ms > 0)
            line += $" after {ExecTime(ms)}";
        return line;
    }

    /// <summary>Splits "rsc_task_interval" from the right; a key that does not parse names the entry's own fields.</summary>
    private static (string Rsc, string Task, long IntervalMs) ParseKey(string key, LrmOp op)
    {
        var last = key.LastIndexOf('_');
        if (last <= 0 || !long.TryParse(key.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var interval))
            return (key, op.Operation, op.IntervalMs);
        var rest = key[..last];
        foreach (var twoWord in (string[])["migrate_to", "migrate_from"])
            if (rest.EndsWith("_" + twoWord, StringComparison.Ordinal))
                return (rest[..^(twoWord.Length + 1)], twoWord, interval);
        var sep = rest.LastIndexOf('_');
        return sep <= 0 ? (rest, op.Operation, interval) : (rest[..sep], rest[(sep + 1)..], interval);
    }

    private static string RcText(int rc) => rc switch
    {
        >= 0 and < 10 => RcTexts[rc],
        190 => "OCF_DEGRADED",
        191 => "promoted (degraded)",
        _ => "unknown",
    };

    /// <summary>An operation's interval: whole seconds as "60s", anything else in milliseconds.</summary>
    private static string Interval(long ms) => ms % 1000 == 0 ? $"{ms / 1000}s" : $"{ms}ms";

    /// <summary>An execution time: "10ms", "15.001s", "2m59.014s", "1h".</summary>
    private static string ExecTime(long ms)
    {
        if (ms < 1000) return $"{ms}ms";
        var sb = new System.Text.StringBuilder();
        foreach (var (unit, size) in (ReadOnlySpan<(string, long)>)[("d", 86_400_000L), ("h", 3_600_000L), ("m", 60_000L)])
            if (ms >= size)
            {
                sb.Append(ms / size).Append(unit);
                ms %= size;
            }
        if (ms > 0)
            sb.Append(ms / 1000).Append(ms % 1000 == 0 ? "" : "." + (ms % 1000).ToString("000", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
