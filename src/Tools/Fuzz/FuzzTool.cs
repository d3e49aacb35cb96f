using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// <c>cluster-fuzz</c>: the fuzzing harness for the input parsers (corosync.conf, CIB readers,
/// verifier and scheduler, Totem/transport/crypto decoders, IPC frames), in-process, seeded and
/// replayable. Exit 0 when nothing was found, 1 on findings, 64 on a usage error.
/// </summary>
public static class FuzzTool
{
    public static readonly ToolEntry Entry = new("cluster-fuzz",
        "fuzzing harness: config, CIB, wire and IPC parsers on seeded mutated inputs; a finding prints its replay command", Run);

    public static readonly IReadOnlyList<string> TargetNames = ["config", "cib", "wire", "ipc"];

    public static Task<int> Run(ToolContext context, string[] args)
    {
        var target = new Option<string>("--target") { Description = "config, cib, wire, ipc, a comma list, or all (default)" };
        var seed = new Option<long?>("--seed") { Description = "run seed (default 1)" };
        var count = new Option<long?>("--count") { Description = "inputs per target (default 10000)" };
        var from = new Option<long?>("--from") { Description = "first input index (default 0); with --count 1 replays one input" };
        var corpus = new Option<string>("--corpus") { Description = "the shared reference directory (default: ../shared above here)" };
        var save = new Option<string>("--save") { Description = "directory for failing inputs (default: fuzz-findings)" };
        var replay = new Option<string>("--replay") { Description = "run one saved input file on --target" };
        var root = new RootCommand("cluster-fuzz: seeded, replayable fuzzing of the input parsers; exit 0 when nothing was found, 1 on findings, 64 on a usage error")
        {
            target, seed, count, from, corpus, save, replay,
        };
        root.SetAction(parsed => Fuzz(context, parsed, target, seed, count, from, corpus, save, replay));
        // 1 means "findings", so a bad command line exits 64.
        return OwnToolCommand.InvokeAsync(context, root, args, ExitUsage);
    }

    private const int ExitUsage = 64;

    private static int Fuzz(ToolContext context, ParseResult parsed, Option<string> target, Option<long?> seed, Option<long?> count, Option<long?> from,
        Option<string> corpus, Option<string> save, Option<string> replay)
    {
        var names = (parsed.GetValue(target) ?? "all") is "all" ? TargetNames : (parsed.GetValue(target) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (names.FirstOrDefault(n => !TargetNames.Contains(n)) is { } unknown)
        {
            context.Err.WriteLine($"cluster-fuzz: unknown target '{unknown}' (config, cib, wire, ipc or all)");
            return ExitUsage;
        }
        if (parsed.GetValue(count) is < 0 || parsed.GetValue(from) is < 0)
        {
            context.Err.WriteLine("cluster-fuzz: --count and --from must not be negative");
            return ExitUsage;
        }
        var shared = FuzzCorpus.FindShared(parsed.GetValue(corpus));
        if (shared is null)
            context.Err.WriteLine("cluster-fuzz: no shared reference directory found; using the built-in corpus only");
        using var targets = new FuzzTargets(shared);
        var runner = new FuzzRunner(context.Out, parsed.GetValue(save) ?? "fuzz-findings");

        if (parsed.GetValue(replay) is { } file)
        {
            if (names.Count != 1)
            {
                context.Err.WriteLine("cluster-fuzz: --replay needs one --target");
                return ExitUsage;
            }
            byte[] input;
            try { input = File.ReadAllBytes(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.Err.WriteLine($"cluster-fuzz: cannot read {file}: {e.Message}");
                return 66;
            }
            return runner.Replay(targets.Get(names[0]), input) ? 0 : 1;
        }

        var runSeed = parsed.GetValue(seed) ?? 1;
        var perTarget = parsed.GetValue(count) ?? 10_000;
        var first = parsed.GetValue(from) ?? 0;
        context.Out.WriteLine($"cluster-fuzz: seed {runSeed}, inputs {first}..{first + perTarget - 1} per target, corpus {shared ?? "built-in"}");
        context.Out.WriteLine("target      inputs   accepted   rejected  findings    seconds   inputs/s  slowest(ms) @index   max-alloc(KiB) @index");
        var all = new List<FuzzTargetStats>();
        foreach (var name in names)
        {
            var stats = runner.Run(targets.Get(name), runSeed, first, perTarget);
            all.Add(stats);
            context.Out.WriteLine(Line(stats));
        }
        using var self = Process.GetCurrentProcess();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"total: {all.Sum(s => s.Inputs)} inputs, {runner.Findings.Count} findings, peak working set {self.PeakWorkingSet64 >> 20} MiB"));
        return runner.Findings.Count == 0 ? 0 : 1;
    }

    private static string Line(FuzzTargetStats s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Target,-8}{s.Inputs,10}{s.Accepted,11}{s.Rejected,11}{s.Findings,10}{s.Elapsed.TotalSeconds,11:F1}{s.Inputs / Math.Max(s.Elapsed.TotalSeconds, 1e-9),11:F0}{s.SlowestMs,13:F1} {s.SlowestIndex,-8}{s.MostAllocatedBytes >> 10,14} {s.MostAllocatedIndex}");
}
