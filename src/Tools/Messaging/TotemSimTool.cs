using System.CommandLine;
using System.Globalization;
using Cluster.Messaging.Simulation;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>
/// <c>totem-sim --nodes N --seeds A..B --profile P [--steps S | --duration D]</c>: runs the
/// deterministic Totem simulator for each seed, prints one block per failing seed (replay command,
/// first violated invariant, history) and a summary line; exit 0 iff no seed failed.
/// </summary>
public static class TotemSimTool
{
    private static RootCommand Command(ToolContext ctx)
    {
        var nodes = new Option<string>("--nodes") { Description = "Node count, or a range A..B cycled across seeds", HelpName = "N[..M]", DefaultValueFactory = _ => "3" };
        var seeds = new Option<string>("--seeds") { Description = "Seed, or a range A..B", HelpName = "A[..B]", DefaultValueFactory = _ => "1" };
        var profile = new Option<string>("--profile") { Description = "Fault profile: clean, lossy, partitions, crash, chaos, forged, all (cycled across seeds)", DefaultValueFactory = _ => "clean" };
        var steps = new Option<string>("--steps") { Description = "Stop after this many events" };
        var duration = new Option<string>("--duration") { Description = "Virtual fault phase (e.g. 3000, 3s, 500ms); every fault heals at its end" };
        var token = new Option<string>("--token") { Description = "Token timeout in ms" };
        var history = new Option<string>("--history") { Description = "History lines printed for a failing seed", DefaultValueFactory = _ => "40" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "One line per seed" };
        var bench = new Option<bool>("--bench") { Description = "CPU throughput of the protocol core, in-memory network" };
        var root = new RootCommand("Deterministic Totem simulator: runs seeds under faults and checks the invariants; exit 0 iff no seed failed.")
        {
            nodes, seeds, profile, steps, duration, token, history, verbose, bench,
        };
        root.SetAction(r =>
        {
            try
            {
                if (r.GetValue(bench))
                    return Bench(ctx);
                return Simulate(ctx,
                    ParseRange(r.GetValue(nodes)!, "--nodes", s => int.Parse(s, CultureInfo.InvariantCulture)),
                    ParseRange(r.GetValue(seeds)!, "--seeds", s => ulong.Parse(s, CultureInfo.InvariantCulture)),
                    r.GetValue(profile)!,
                    r.GetValue(steps) is { } s ? ParseNumber(s, "--steps") : 0,
                    r.GetValue(duration) is { } d ? ParseDuration(d) : null,
                    r.GetValue(token) is { } t ? (int)ParseNumber(t, "--token", 3_600_000) : null,
                    r.GetValue(verbose),
                    (int)ParseNumber(r.GetValue(history)!, "--history", MaxHistory));
            }
            catch (UsageException e)
            {
                ctx.Err.WriteLine($"totem-sim: {e.Message}");
                return 2;
            }
        });
        return root;
    }

    public static Task<int> Run(ToolContext ctx, string[] args) => OwnToolCommand.InvokeAsync(ctx, Command(ctx), args);

    private static int Simulate(ToolContext ctx, (int, int) nodes, (ulong, ulong) seeds, string profileName, long steps, int? duration, int? token,
        bool verbose, int history)
    {
        IReadOnlyList<SimProfile> profiles = profileName == "all"
            ? SimProfile.All
            : [SimProfile.Find(profileName) ?? throw new UsageException($"unknown profile '{profileName}' (clean, lossy, partitions, crash, chaos, forged, all)")];
        if (nodes.Item1 < 2 && nodes.Item2 < 2 || nodes.Item1 < 1 || nodes.Item2 > 64 || nodes.Item1 > nodes.Item2)
            throw new UsageException($"--nodes must be within 1..64 and ordered, got {nodes.Item1}..{nodes.Item2}");
        if (seeds.Item1 > seeds.Item2) throw new UsageException("--seeds A..B needs A <= B");

        long runs = 0, violations = 0, delivered = 0, configurations = 0;
        for (ulong seed = seeds.Item1; ; seed++)
        {
            var config = ConfigFor(seed, nodes, profiles, steps, duration, token) with { HistoryLength = history };
            var result = new Simulator(config).Run();
            runs++;
            delivered += result.Delivered;
            configurations += result.Configurations;
            if (verbose)
                ctx.Out.WriteLine($"seed={seed} nodes={config.Nodes} profile={config.Profile.Name} events={result.Events} delivered={result.Delivered} configurations={result.Configurations} {(result.Violation is null ? "ok" : "VIOLATION")}");
            if (result.Violation is not null)
            {
                violations++;
                ctx.Out.WriteLine($"FAIL seed={seed} nodes={config.Nodes} profile={config.Profile.Name}: {result.Violation}");
                ctx.Out.WriteLine($"  replay: {ReplayCommand(config, steps, duration, token)}");
                foreach (var line in result.History) ctx.Out.WriteLine("  | " + line);
            }
            if (seed == seeds.Item2) break;
        }
        ctx.Out.WriteLine($"seeds={runs} violations={violations} delivered={delivered} configurations={configurations}");
        return violations == 0 ? 0 : 1;
    }

    private static int Bench(ToolContext ctx)
    {
        for (int i = 0; i < 3; i++) { ThroughputBench.Run(3, 64, 30_000); ThroughputBench.Run(5, 1024, 5_000); }   // warm up (tiered JIT)
        foreach (var nodes in new[] { 3, 5 })
            foreach (var (size, count) in new[] { (64, 100_000), (1024, 40_000), (65536, 600) })
            {
                var r = ThroughputBench.Run(nodes, size, count / nodes);
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"nodes={nodes} size={size} messages={r.Messages} elapsed={r.Elapsed.TotalMilliseconds:0}ms ordered_msgs_per_s={r.MessagesPerSecond:0} MB_per_s={r.MegabytesPerSecond:0.0}"));
            }
        return 0;
    }

    /// <summary>The configuration of one seed: node count and profile cycle deterministically with the seed.</summary>
    public static SimConfig ConfigFor(ulong seed, (int Min, int Max) nodes, IReadOnlyList<SimProfile> profiles, long steps, int? duration, int? token)
    {
        var config = SimConfig.ForSeed(seed, nodes.Min, nodes.Max, profiles) with { MaxSteps = steps };
        if (duration is int d) config = config with { FaultPhaseMs = d };
        if (token is int t) config = config with { Token = t };
        return config;
    }

    private static string ReplayCommand(SimConfig c, long steps, int? duration, int? token)
    {
        var cmd = $"totem-sim --nodes {c.Nodes} --seeds {c.Seed}..{c.Seed} --profile {c.Profile.Name}";
        if (steps > 0) cmd += $" --steps {steps}";
        if (duration is not null) cmd += $" --duration {duration}";
        if (token is not null) cmd += $" --token {token}";
        return cmd + " --verbose";
    }

    private static (T, T) ParseRange<T>(string text, string option, Func<string, T> parse)
    {
        try
        {
            var parts = text.Split("..");
            return parts.Length switch
            {
                1 => (parse(parts[0]), parse(parts[0])),
                2 => (parse(parts[0]), parse(parts[1])),
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new UsageException($"{option} expects N or A..B, got '{text}'");
        }
    }

    /// <summary>History lines kept per run (each run allocates them up front).</summary>
    public const int MaxHistory = 1_000_000;

    private static long ParseNumber(string text, string option, long max = long.MaxValue) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 && v <= max
            ? v : throw new UsageException(max == long.MaxValue
                ? $"{option} expects a positive number, got '{text}'"
                : $"{option} expects a number in 1..{max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");

    private static int ParseDuration(string text)
    {
        double factor = 1;
        var t = text;
        if (t.EndsWith("ms", StringComparison.Ordinal)) t = t[..^2];
        else if (t.EndsWith('s')) { t = t[..^1]; factor = 1000; }
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || v <= 0 || v * factor > int.MaxValue)
            throw new UsageException($"--duration expects a virtual time such as 3000, 3s or 500ms, got '{text}'");
        return (int)(v * factor);
    }

    /// <summary>A bad option value: printed as one line, exit code 2.</summary>
    public sealed class UsageException(string message) : Exception(message);
}
