using System.Globalization;
using System.Xml.Linq;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// <c>pcs resource failcount [show [RESOURCE] [node=N] [operation=OP [interval=I]]] [--full]</c>:
/// the fail counts in the CIB status (transient attributes <c>fail-count-R[:clone]#op_interval</c>),
/// summed per resource and node, or per operation and interval with --full. Output, sorting and
/// messages as pcs 0.11.5 (observed): INFINITY absorbs, a count that is not a number counts 1,
/// a bare interval number means seconds, resources and nodes sort ordinally.
/// </summary>
public static class FailcountCommand
{
    private const string UsageText = """

        Usage: pcs resource failcount ...
            failcount [show [<resource id | stonith id>] [node=<node>]
                    [operation=<operation> [interval=<interval>]]] [--full]
                Show current failcount for resources and stonith devices, optionally
                filtered by a resource / stonith device, node, operation and its
                interval. If --full is specified do not sum failcounts per resource /
                stonith device and node. Use 'pcs resource cleanup' or 'pcs resource
                refresh' to reset failcounts.

        """;

    /// <summary>One fail-count attribute of one node.</summary>
    private sealed record Failure(string Node, string Resource, string Operation, string Interval, FailCount Count);

    /// <summary>A count as pcs adds them: a number, or INFINITY which absorbs every sum.</summary>
    private readonly record struct FailCount(long Value, bool Infinite)
    {
        public static readonly FailCount Zero = new(0, false);

        public FailCount Add(FailCount other) => Infinite || other.Infinite ? new(0, true) : new(Value + other.Value, false);

        public override string ToString() => Infinite ? "INFINITY" : Value.ToString(CultureInfo.InvariantCulture);
    }

    public static PcsCommand Show { get; } = Pcs.Command("resource failcount show", UsageText, Run);

    /// <summary>"failcount" alone is "failcount show"; any other word after it gets the usage.</summary>
    public static PcsCommand Bare { get; } = Pcs.Command("resource failcount", UsageText, inv =>
    {
        if (inv.Args.Count > 0)
        {
            inv.Err.Write(UsageText + "\n");
            return 1;
        }
        return Run(inv);
    });

    private static int Run(PcsInvocation inv)
    {
        if (inv.Options.Force)
            return inv.Usage("Specified option '--force' is not supported in this command");
        var words = inv.Args.ToList();
        string? resource = null;
        if (words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            resource = words[0];
            words.RemoveAt(0);
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) return inv.Usage($"missing value of '{word}' option");
            if (eq == 0) return inv.Usage($"missing key in '{word}' option");
            var (key, value) = (word[..eq], word[(eq + 1)..]);
            if (options.TryGetValue(key, out var earlier) && earlier != value)
                return inv.Usage($"duplicate option '{key}' with different values '{earlier}' and '{value}'");
            options[key] = value;
        }
        var unknown = options.Keys.Where(k => k is not ("node" or "operation" or "interval")).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            return inv.Usage($"Unknown option{(unknown.Count > 1 ? "s" : "")} '{string.Join("', '", unknown)}'");
        options.TryGetValue("node", out var node);
        options.TryGetValue("operation", out var operation);
        options.TryGetValue("interval", out var interval);
        if (interval is not null && operation is null)
            return inv.Usage("If option 'interval' is specified, option 'operation' must be specified as well");
        long? intervalMs = null;
        if (interval is not null)
        {
            if (SecondsOf(interval) is not { } seconds)
                return inv.Usage($"'{interval}' is not a valid interval value, use time interval (e.g. 1, 2s, 3m, 4h, ...)");
            intervalMs = seconds * 1000;
        }

        return PcsCibSession.Read(inv, cib =>
        {
            var failures = FailuresIn(cib.Root.Element("status"))
                .Where(f => (node is null || f.Node == node) && (resource is null || f.Resource == resource)
                    && (operation is null || f.Operation == operation)
                    && (intervalMs is null || f.Interval == intervalMs.Value.ToString(CultureInfo.InvariantCulture)))
                .ToList();
            if (failures.Count == 0)
            {
                inv.Out.WriteLine(Headline(empty: true, resource, node, operation, interval));
                return 0;
            }
            foreach (var byResource in failures.GroupBy(f => f.Resource).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                inv.Out.WriteLine(Headline(empty: false, byResource.Key, node, operation, interval));
                foreach (var byNode in byResource.GroupBy(f => f.Node).OrderBy(g => g.Key, StringComparer.Ordinal))
                {
                    if (!inv.Options.Full)
                    {
                        inv.Out.WriteLine($"  {byNode.Key}: {Sum(byNode)}");
                        continue;
                    }
                    inv.Out.WriteLine($"  {byNode.Key}:");
                    foreach (var byOperation in byNode.GroupBy(f => f.Operation).OrderBy(g => g.Key, StringComparer.Ordinal))
                        foreach (var byInterval in byOperation.GroupBy(f => f.Interval).OrderBy(g => g.Key, StringComparer.Ordinal))
                            inv.Out.WriteLine($"    {byOperation.Key} {byInterval.Key}ms: {Sum(byInterval)}");
                }
            }
            return 0;
        });
    }

    private static FailCount Sum(IEnumerable<Failure> failures) => failures.Aggregate(FailCount.Zero, (sum, f) => sum.Add(f.Count));

    /// <summary>"[No ]Failcounts [for operation 'O' [with interval 'I']] [of|for resource 'R'] [on node 'N']".</summary>
    private static string Headline(bool empty, string? resource, string? node, string? operation, string? interval)
    {
        var parts = new List<string> { empty ? "No failcounts" : "Failcounts" };
        if (!string.IsNullOrEmpty(operation))
        {
            parts.Add($"for operation '{operation}'");
            if (!string.IsNullOrEmpty(interval)) parts.Add($"with interval '{interval}'");
        }
        if (!string.IsNullOrEmpty(resource))
        {
            parts.Add(string.IsNullOrEmpty(operation) ? "for" : "of");
            parts.Add($"resource '{resource}'");
        }
        if (!string.IsNullOrEmpty(node)) parts.Add($"on node '{node}'");
        return string.Join(' ', parts);
    }

    /// <summary>
    /// Every fail-count (or lone last-failure) attribute of every node. A name without "#op_interval"
    /// is skipped (the real pcs crashes on one); a clone instance suffix ":N" is dropped.
    /// </summary>
    private static IEnumerable<Failure> FailuresIn(XElement? status)
    {
        if (status is null) yield break;
        foreach (var state in status.Elements("node_state"))
        {
            var nodeName = (string?)state.Attribute("uname") ?? "";
            var counts = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var pair in state.Elements("transient_attributes").Elements("instance_attributes").Elements("nvpair"))
            {
                var name = (string?)pair.Attribute("name") ?? "";
                if (name.StartsWith("fail-count-", StringComparison.Ordinal))
                    counts[name["fail-count-".Length..]] = (string?)pair.Attribute("value") ?? "0";
                else if (name.StartsWith("last-failure-", StringComparison.Ordinal))
                    counts.TryAdd(name["last-failure-".Length..], null);
            }
            foreach (var (failureName, value) in counts)
            {
                var hash = failureName.IndexOf('#', StringComparison.Ordinal);
                var underscore = failureName.LastIndexOf('_');
                if (hash < 0 || underscore < hash) continue;
                var resourcePart = failureName[..hash];
                var colon = resourcePart.IndexOf(':', StringComparison.Ordinal);
                var resourceId = colon < 0 ? resourcePart : resourcePart[..colon];
                yield return new Failure(nodeName, resourceId, failureName[(hash + 1)..underscore], failureName[(underscore + 1)..], CountOf(value));
            }
        }
    }

    private static FailCount CountOf(string? value)
    {
        if (value is null) return FailCount.Zero;
        if (value.Equals("INFINITY", StringComparison.OrdinalIgnoreCase)) return new(0, true);
        // pcs: failures of unknown number still count.
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? new(n, false) : new(1, false);
    }

    /// <summary>pcs's time interval: a whole number of seconds, or with s/sec/m/min/h/hr.</summary>
    private static long? SecondsOf(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var plain))
            return plain >= 0 ? plain : null;
        foreach (var (suffix, multiplier) in new[] { ("s", 1L), ("sec", 1L), ("m", 60L), ("min", 60L), ("h", 3600L), ("hr", 3600L) })
        {
            if (!text.EndsWith(suffix, StringComparison.Ordinal)) continue;
            var number = text[..^suffix.Length];
            if (number.Length > 0 && number.All(char.IsAsciiDigit) && long.TryParse(number, CultureInfo.InvariantCulture, out var n))
                return n * multiplier;
        }
        return null;
    }
}
