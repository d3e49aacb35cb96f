using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// cib-bench: measures the live CIB through the client library against running pacemakerd
/// nodes: the round trip of one modify (median, p95), then N concurrent clients spread over the
/// nodes doing M modifies each (modifies/s), and checks that every acknowledged change is on
/// every node, that each client saw its epochs increase, and that all nodes end with one digest.
/// <c>cib-bench --roots R1,R2,R3 [--clients 10] [--count 100] [--samples 200]</c> (HA_ROOT of each node).
/// </summary>
public static class CibBenchTool
{
    public static readonly ToolEntry Entry = new("cib-bench", "Benchmark and check the live replicated CIB (--roots R1,R2,...)", Run);

    /// <summary>Exit code for a bad command line (1 means a failed check).</summary>
    private const int ExitUsage = 64;

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        var roots = new Option<string>("--roots") { Description = "HA_ROOT of each node, comma separated (default: $HA_ROOT)", HelpName = "R1,R2,..." };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients for the throughput phase", DefaultValueFactory = _ => 10 };
        var count = new Option<int>("--count") { Description = "Modifies per client", DefaultValueFactory = _ => 100 };
        var samples = new Option<int>("--samples") { Description = "Round trips measured with one client", DefaultValueFactory = _ => 200 };
        var root = new RootCommand("Benchmark and check the live replicated CIB: modify round trip, modifies/s with concurrent clients, "
            + "and that every node ends with every acknowledged change; exit 0 iff all checks passed.")
        {
            roots, clients, count, samples,
        };
        root.SetAction(r =>
        {
            var (c, n, m) = (r.GetValue(clients), r.GetValue(count), r.GetValue(samples));
            if (c < 1 || n < 1 || m < 1)
            {
                ctx.Err.WriteLine("cib-bench: --clients, --count and --samples must be at least 1");
                return ExitUsage;
            }
            return Bench(ctx, [.. (r.GetValue(roots) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)], c, n, m);
        });
        // --version names the Pacemaker release whose CIB it measures.
        return OwnToolCommand.InvokeAsync(ctx, root, args, ExitUsage, GlibOptions.PacemakerVersion);
    }

    private static int Bench(ToolContext ctx, List<string> roots, int clients, int count, int samples)
    {
        if (roots.Count == 0) roots.Add(ctx.GetEnv(HaPaths.RootVariable) ?? "");
        ICibClient Connect(int i) => SocketCibClient.Connect(new HaPaths(roots[i % roots.Count]), "cib-bench");

        try
        {
            // 1. Round trip of one modify, one client on the first node.
            var times = new List<double>();
            using (var c = Connect(0))
            {
                for (int i = 0; i < samples; i++)
                {
                    var sw = Stopwatch.StartNew();
                    var r = c.Execute(Property("bench-rtt", i.ToString(CultureInfo.InvariantCulture)));
                    sw.Stop();
                    if (!r.Ok) throw new InvalidOperationException($"modify failed: {r.Error}");
                    times.Add(sw.Elapsed.TotalMilliseconds);
                }
            }
            times.Sort();
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round trip (modify, {roots.Count} nodes, {samples} samples): median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms, min {times[0]:F2} ms"));

            // 2. Sustained: N clients over the nodes, M modifies each, all at once.
            var failures = new List<string>();
            var total = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, clients).Select(ci => new Thread(() =>
            {
                using var c = Connect(ci);
                CibVersion last = default;
                for (int k = 0; k < count; k++)
                {
                    var r = c.Execute(Property($"c{ci}-k{k}", "v"));
                    lock (failures)
                    {
                        if (!r.Ok) failures.Add($"client {ci} change {k}: {r.Error}");
                        else if (Parse(r.Version) is { } v)
                        {
                            if (v <= last) failures.Add($"client {ci}: version {v} after {last}");
                            last = v;
                        }
                    }
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            total.Stop();
            var n = clients * count;
            ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sustained: {clients} clients x {count} modifies over {roots.Count} nodes in {total.Elapsed.TotalSeconds:F2} s = {n / total.Elapsed.TotalSeconds:F0} modifies/s"));

            // 3. Every node has every acknowledged change, with one digest.
            var digests = new List<string>();
            for (int i = 0; i < roots.Count; i++)
            {
                string? digest = null;
                for (int attempt = 0; attempt < 50; attempt++)
                {
                    using var c = Connect(i);
                    var q = c.Execute(new CibRequest(CibCommand.Query));
                    var names = q.Output!.Descendants("nvpair").Select(e => (string?)e.Attribute("name")).ToHashSet();
                    if (Enumerable.Range(0, clients).All(ci => Enumerable.Range(0, count).All(k => names.Contains($"c{ci}-k{k}"))))
                    {
                        digest = CibFileDigest.Compute(q.Output);
                        break;
                    }
                    Thread.Sleep(100);
                }
                digests.Add(digest ?? "(missing changes)");
            }
            ctx.Out.WriteLine($"check: {n - failures.Count}/{n} acknowledged, per-client versions increasing: {failures.Count == 0}, digests: {string.Join(' ', digests)}");
            foreach (var f in failures.Take(10)) ctx.Out.WriteLine("  " + f);
            return failures.Count == 0 && digests.Distinct().Count() == 1 && !digests[0].StartsWith('(') ? 0 : 1;
        }
        catch (CibConnectionException e)
        {
            ctx.Err.WriteLine($"cib-bench: Could not connect to the CIB: {e.Reason}");
            return (int)e.Code;
        }
    }

    private static CibRequest Property(string name, string value) =>
        new(CibCommand.Modify, "crm_config", null,
            CibXmlText.Parse($"<cluster_property_set id=\"bench\"><nvpair id=\"bench-{name}\" name=\"{name}\" value=\"{value}\"/></cluster_property_set>"),
            CibCallOptions.AllowCreate);

    private static CibVersion? Parse(string? v)
    {
        var p = v?.Split('.');
        return p is { Length: 3 } && long.TryParse(p[0], CultureInfo.InvariantCulture, out var a) && long.TryParse(p[1], CultureInfo.InvariantCulture, out var b)
            && long.TryParse(p[2], CultureInfo.InvariantCulture, out var c) ? new CibVersion(a, b, c) : null;
    }
}
