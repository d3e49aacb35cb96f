using System.Globalization;
using Cluster.Messaging.Simulation;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>
/// <c>totem-sim --nodes N --seeds A..B --profile P [--steps S | --duration D]</c>: runs the
/// deterministic Totem simulator for each seed, prints one block per failing seed (replay command,
/// first violated invariant, history) and a summary line; exit 0 iff no seed failed.
/// </summary>
public static class TotemSimTool
{
    public const string Usage =
        "usage: totem-sim --nodes N[..M] --seeds A[..B] --profile clean|lossy|partitions|crash|chaos|all\n" +
        "                 [--steps S | --duration D] [--token MS] [--history N] [--verbose]\n" +
        "       totem-sim --bench   (CPU throughput of the protocol core, in-memory network)\n" +
        "  --nodes A..B and --profile all cycle through node counts and profiles across seeds;\n" +
        "  --duration is the virtual fault phase (e.g. 3000, 3s, 500ms); every fault heals at its end.";

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(args);
        (int, int) nodes = (3, 3);
        (ulong, ulong) seeds = (1, 1);
        string profileName = "clean";
        long steps = 0;
        int? duration = null, token = null;
        bool verbose = false;
        int history = 40;
        for (int i = 0; i < args.Length; i++)
        {
            string Value()
            {
                if (i + 1 >= args.Length) throw new UsageException($"option {args[i]} needs a value");
                return args[++i];
            }
            switch (args[i])
            {
                case "--nodes": nodes = ParseRange(Value(), "--nodes", s => int.Parse(s, CultureInfo.InvariantCulture)); break;
                case "--seeds": seeds = ParseRange(Value(), "--seeds", s => ulong.Parse(s, CultureInfo.InvariantCulture)); break;
                case "--profile": profileName = Value(); break;
                case "--steps": steps = ParseNumber(Value(), "--steps"); break;
                case "--duration": duration = ParseDuration(Value()); break;
                case "--token": token = (int)ParseNumber(Value(), "--token", 3_600_000); break;
                case "--verbose" or "-v": verbose = true; break;
                case "--history": history = (int)ParseNumber(Value(), "--history", MaxHistory); break;
                case "-h" or "--help": ctx.Out.WriteLine(Usage); return Task.FromResult(0);
                case "--bench": return Task.FromResult(Bench(ctx));
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }
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
        return Task.FromResult(violations == 0 ? 0 : 1);
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

    /// <summary>Bad command-line input: printed as one line, exit code 2.</summary>
    public sealed class UsageException(string message) : Exception(message);

    public static async Task<int> RunTool(ToolContext ctx, string[] args)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        try
        {
            return await Run(ctx, args).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await ctx.Err.WriteLineAsync($"totem-sim: {e.Message}").ConfigureAwait(false);
            await ctx.Err.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }
    }
}
