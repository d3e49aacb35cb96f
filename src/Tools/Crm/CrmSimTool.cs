using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cluster.Crm.ClusterSim;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// <c>crm-sim --nodes N[..M] --seeds A[..B] --profile P</c>: runs the deterministic cluster
/// simulator (whole Pacemaker nodes over simulated CPG, quorum, executors and fencing) for each
/// seed, prints one block per failing seed (replay command, violated invariant, trace tail) and
/// per-profile violation counts; exit 0 iff no seed failed.
/// </summary>
public static class CrmSimTool
{
    public static readonly ToolEntry Entry = new("crm-sim", "Deterministic cluster simulator: Pacemaker nodes under faults, invariants checked", Run);

    private const string ProfileNames = "crash, partition, agents, admin, mixed, all";

    private static RootCommand Command(ToolContext ctx)
    {
        var nodes = new Option<string>("--nodes") { Description = "Node count, or a range A..B cycled across seeds", HelpName = "N[..M]", DefaultValueFactory = _ => "3" };
        var seeds = new Option<string>("--seeds") { Description = "Seed, or a range A..B", HelpName = "A[..B]", DefaultValueFactory = _ => "1" };
        var profile = new Option<string>("--profile") { Description = $"Fault profile: {ProfileNames} (cycled across seeds)", DefaultValueFactory = _ => "mixed" };
        var history = new Option<string>("--history") { Description = "Trace lines printed for a failing seed", DefaultValueFactory = _ => "200" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "One line per seed" };
        var trace = new Option<bool>("--trace") { Description = "Print the trace of passing seeds too" };
        var cibOut = new Option<string>("--cib-out") { Description = "Write the last seed's final CIB (the DC's) to this file, for crm_simulate -x", HelpName = "FILE" };
        var root = new RootCommand("Deterministic cluster simulator: runs seeds under faults and checks the cluster invariants; exit 0 iff no seed failed.")
        {
            nodes, seeds, profile, history, verbose, trace, cibOut,
        };
        root.SetAction(r =>
        {
            try
            {
                var profileName = r.GetValue(profile)!;
                IReadOnlyList<ClusterSimProfile> profiles = profileName == "all"
                    ? ClusterSimProfile.All
                    : [ClusterSimProfile.Find(profileName) ?? throw new UsageException($"unknown profile '{profileName}' ({ProfileNames})")];
                var n = ParseRange(r.GetValue(nodes)!, "--nodes");
                if (n.Min < 2 || n.Max > 16 || n.Min > n.Max)
                    throw new UsageException($"--nodes must be within 2..16 and ordered, got {n.Min}..{n.Max}");
                var s = ParseRange(r.GetValue(seeds)!, "--seeds");
                if (s.Min > s.Max) throw new UsageException("--seeds A..B needs A <= B");
                var h = ParseRange(r.GetValue(history)!, "--history").Min;
                if (h < 1 || h > 1_000_000) throw new UsageException($"--history expects 1..1000000, got {h}");
                return Simulate(ctx, ((int)n.Min, (int)n.Max), s, profiles, profileName, (int)h, r.GetValue(verbose), r.GetValue(trace), r.GetValue(cibOut));
            }
            catch (UsageException e)
            {
                ctx.Err.WriteLine($"crm-sim: {e.Message}");
                return 2;
            }
        });
        return root;
    }

    public static Task<int> Run(ToolContext ctx, string[] args) => OwnToolCommand.InvokeAsync(ctx, Command(ctx), args);

    private static int Simulate(ToolContext ctx, (int Min, int Max) nodes, (ulong Min, ulong Max) seeds, IReadOnlyList<ClusterSimProfile> profiles,
        string profileName, int history, bool verbose, bool trace, string? cibOut)
    {
        var runs = profiles.ToDictionary(p => p.Name, _ => 0L);
        var violations = profiles.ToDictionary(p => p.Name, _ => 0L);
        long events = 0, transitions = 0, faults = 0, fenced = 0;
        var clock = Stopwatch.StartNew();
        for (var seed = seeds.Min; ; seed++)
        {
            var config = ClusterSimConfig.ForSeed(seed, nodes.Min, nodes.Max, profiles) with { HistoryLength = history };
            var result = new ClusterSimulator(config).Run();
            runs[config.Profile.Name]++;
            events += result.Events;
            transitions += result.Transitions;
            faults += result.Faults;
            fenced += result.Fenced;
            if (verbose)
                ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"seed={seed} nodes={config.Nodes} profile={config.Profile.Name} fencing={result.Fencing} events={result.Events} transitions={result.Transitions} faults={result.Faults} fenced={result.Fenced} settled_after={result.SettledAfter.TotalSeconds:0.0}s {(result.Violation is null ? "ok" : "VIOLATION")}"));
            if (result.Violation is not null)
            {
                violations[config.Profile.Name]++;
                ctx.Out.WriteLine($"FAIL seed={seed} nodes={config.Nodes} profile={config.Profile.Name} fencing={result.Fencing}: {result.Violation}");
                ctx.Out.WriteLine($"  replay: crm-sim --nodes {config.Nodes} --seeds {seed} --profile {config.Profile.Name} --verbose --trace");
                foreach (var line in result.Trace) ctx.Out.WriteLine("  | " + line);
            }
            else if (trace)
            {
                foreach (var line in result.Trace) ctx.Out.WriteLine("  | " + line);
            }
            if (seed == seeds.Max)
            {
                if (cibOut is not null && result.FinalCib is not null)
                    File.WriteAllText(cibOut, result.FinalCib);
                break;
            }
        }
        foreach (var p in profiles)
            ctx.Out.WriteLine($"profile={p.Name} seeds={runs[p.Name]} violations={violations[p.Name]}");
        var total = violations.Values.Sum();
        ctx.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeds={runs.Values.Sum()} violations={total} events={events} transitions={transitions} faults={faults} fenced={fenced} elapsed={clock.Elapsed.TotalSeconds:0.0}s"));
        return total == 0 ? 0 : 1;
    }

    private static (ulong Min, ulong Max) ParseRange(string text, string option)
    {
        var parts = text.Split("..");
        if (parts.Length is 1 or 2
            && ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var a)
            && ulong.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var b))
            return (a, b);
        throw new UsageException($"{option} expects N or A..B, got '{text}'");
    }

    /// <summary>A bad option value: printed as one line, exit code 2.</summary>
    private sealed class UsageException(string message) : Exception(message);
}
