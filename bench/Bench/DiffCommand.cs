using System.Globalization;
using Cluster.TestSupport;
using Cluster.TestSupport.Cib;

namespace Cluster.Bench;

/// <summary>
/// <c>diff --seeds A..B</c>: runs generated CIBs through the real and our crm_simulate and
/// reports the agreement rate, the mismatch kinds and the first mismatches in full.
/// </summary>
internal static class DiffCommand
{
    private static async Task<IReadOnlyList<DifferentialCase>> RunInProcessAsync(int from, int to, string work, int jobs, string real, bool digests)
    {
        // Real tool first (processes, in parallel, ours skipped), then ours in this process.
        var realOnly = await DifferentialCase.RunAsync(Enumerable.Range(from, to - from + 1), null, work, jobs, TimeSpan.FromSeconds(120), real);
        return [.. realOnly.Select(c => c with { Ours = InProcessSimulator.Run(Path.Combine(work, $"seed-{c.Seed}.xml"), digests) })];
    }

    public static async Task<int> RunAsync(Options o)
    {
        var (from, to) = o.GetRange("seeds", (1, 300));
        var ours = o.Get("ours") ?? RepoPaths.Tool("crm_simulate");
        var real = o.Get("real") ?? DifferentialCase.RealCrmSimulate;
        if (!File.Exists(real)) throw new OptionException($"real crm_simulate not found: {real} (apt-get install pacemaker-cli-utils)");
        var inProcess = o.Get("in-process");
        if (inProcess is not null and not "yes")
            throw new OptionException($"--in-process: expected yes, got '{inProcess}'");
        if (inProcess is null && !File.Exists(ours)) throw new OptionException($"our crm_simulate not found: {ours} (run ./build.sh or pass --ours)");
        var jobs = o.GetInt("jobs", Math.Max(2, Environment.ProcessorCount));
        var show = o.GetInt("show", 3);
        var work = Path.Combine(Path.GetTempPath(), "crm-diff-" + Environment.ProcessId);
        var started = DateTime.UtcNow;
        IReadOnlyList<DifferentialCase> cases;
        try
        {
            cases = inProcess is null
                ? await DifferentialCase.RunAsync(Enumerable.Range(from, to - from + 1), ours, work, jobs, TimeSpan.FromSeconds(120), real)
                : await RunInProcessAsync(from, to, work, jobs, real, digests: true);
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
        var agreeing = cases.Where(c => c.Agrees).Select(c => c.Seed).ToList();
        foreach (var c in cases.Where(c => !c.Agrees).Take(show)) Console.WriteLine(c.Describe());
        foreach (var kind in cases.Where(c => !c.Agrees).GroupBy(c => c.Mismatch).OrderByDescending(g => g.Count()))
            Console.WriteLine($"mismatch in {kind.Key}: {kind.Count()} (seeds {string.Join(' ', kind.Take(20).Select(c => c.Seed))}{(kind.Count() > 20 ? " ..." : "")})");
        var disagreeing = cases.Where(c => !c.Agrees).Select(c => c.Seed).ToList();
        if (disagreeing.Count > 0)
            Console.WriteLine($"disagreeing seeds (compare with tests/Crm.Tests/Differential/known-differences.txt): {string.Join(' ', disagreeing)}");
        var rate = cases.Count == 0 ? 0 : 100.0 * agreeing.Count / cases.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agreement: {agreeing.Count}/{cases.Count} seeds ({rate:F1} %) in {(DateTime.UtcNow - started).TotalSeconds:F1} s, seeds {from}..{to}"));
        if (o.Get("write-agreeing") is { } file)
        {
            var header = File.Exists(file) ? File.ReadLines(file).TakeWhile(l => l.StartsWith('#')).ToList() : [];
            File.WriteAllLines(file, header.Concat(agreeing.Select(s => s.ToString(CultureInfo.InvariantCulture))));
            Console.WriteLine($"wrote {agreeing.Count} agreeing seeds to {file}");
        }
        return agreeing.Count == cases.Count ? 0 : 1;
    }
}
