using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cluster.TestSupport;
using Cluster.TestSupport.Cib;
using Cluster.Tools.Dispatch;
using Xunit.Abstractions;

namespace Cluster.Tools.Tests.Crm;

/// <summary>
/// crm_mon's one-shot text views, ours (in process) against the real crm_mon 2.1.5 (processes),
/// on every CIB of Pacemaker's scheduler regression corpus (../shared/conformance/scheduler) and
/// on widened generated CIBs (<see cref="CibGenerator.Wide"/>): failed operations of every kind,
/// pending ones, unclean and offline nodes, clones and groups partly stopped.
/// </summary>
public sealed class MonitorDifferentialFixture : IAsyncLifetime
{
    public const string RealCrmMon = "/usr/sbin/crm_mon";
    public const int WideSeeds = 1000;

    /// <summary>The views compared: the default one, the one with inactive resources and fail counts, and the one grouped by node.</summary>
    public static IReadOnlyList<string[]> Views { get; } = [["-1"], ["-1", "-r", "-f"], ["-1", "-n"]];

    public IReadOnlyList<MonitorCase> Cases { get; private set; } = [];

    /// <summary>Each compared CIB's file by case name (the generated ones live in <see cref="WorkDir"/>).</summary>
    public IReadOnlyDictionary<string, string> Files { get; private set; } = new Dictionary<string, string>();

    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "crm-mon-differential-" + Environment.ProcessId);

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(RealCrmMon), $"{RealCrmMon} is missing: run scripts/install-deps.sh (pacemaker-cli-utils)");
        Directory.CreateDirectory(WorkDir);
        var inputs = new List<(string Name, string File)>();
        var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
        foreach (var tier in new[] { "tier1", "tier2", "tier3" })
            foreach (var f in Directory.GetFiles(Path.Combine(corpus, tier), "*.xml").Order(StringComparer.Ordinal))
                inputs.Add(($"{tier}/{Path.GetFileNameWithoutExtension(f)}", f));
        for (int seed = 1; seed <= WideSeeds; seed++)
        {
            var file = Path.Combine(WorkDir, $"wide-{seed}.xml");
            await File.WriteAllTextAsync(file, CibGenerator.Wide(seed));
            inputs.Add(($"wide/{seed}", file));
        }
        Files = inputs.ToDictionary(i => i.Name, i => i.File, StringComparer.Ordinal);
        var cache = Environment.GetEnvironmentVariable("DIFF_REAL_CACHE");
        if (cache is { Length: > 0 }) Directory.CreateDirectory(cache);
        var work = inputs.SelectMany(i => Views.Select((v, index) => (i.Name, i.File, View: index))).ToList();
        var results = new System.Collections.Concurrent.ConcurrentBag<MonitorCase>();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
            async (w, token) =>
            {
                var args = Views[w.View];
                var real = await RealAsync(w.File, args, cache, token);
                var ours = await OursAsync(w.File, args);
                results.Add(new MonitorCase(w.Name, w.View, real, ours));
            });
        Cases = [.. results.OrderBy(c => c.Name, StringComparer.Ordinal).ThenBy(c => c.View)];
    }

    private static async Task<string> RealAsync(string file, string[] args, string? cache, CancellationToken token)
    {
        var text = await File.ReadAllTextAsync(file, token);
        string? cached = cache is { Length: > 0 }
            ? Path.Combine(cache, "mon-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(' ', args) + "\n" + text)))[..32])
            : null;
        if (cached is not null && File.Exists(cached)) return await File.ReadAllTextAsync(cached, token);
        var run = await ToolRun.RunAsync("/usr/bin/env", ["CIB_file=" + file, RealCrmMon, .. args], TimeSpan.FromSeconds(60), token);
        var result = Normalise(run.ExitCode, run.Stdout + run.Stderr);
        if (cached is not null && !run.TimedOut) await File.WriteAllTextAsync(cached, result, token);
        return result;
    }

    private static async Task<string> OursAsync(string file, string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new ToolContext(TextReader.Null, output, error, name => name == "CIB_file" ? file : null);
        var exit = await ToolRegistry.All["crm_mon"].Run(context, args);
        return Normalise(exit, output.ToString() + error.ToString());
    }

    /// <summary>The text without the one line that tells the time now, and the exit code.</summary>
    private static string Normalise(int? exit, string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("  * Last updated:", StringComparison.Ordinal)))
        + $"\nexit {exit?.ToString(CultureInfo.InvariantCulture) ?? "timeout"}\n";

    public Task DisposeAsync()
    {
        if (Directory.Exists(WorkDir)) Directory.Delete(WorkDir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>One CIB through one view: both tools' normalised output.</summary>
public sealed record MonitorCase(string Name, int View, string Real, string Ours)
{
    public bool Agrees => Real == Ours;

    /// <summary>"tier1/simple4 -1 -r -f": the key pinned in the agreeing list.</summary>
    public string Key => $"{Name} {string.Join(' ', MonitorDifferentialFixture.Views[View])}";

    public string Describe()
    {
        var r = Real.Split('\n');
        var o = Ours.Split('\n');
        var sb = new StringBuilder($"== {Key}\n");
        for (int i = 0; i < Math.Max(r.Length, o.Length); i++)
        {
            var a = i < r.Length ? r[i] : "(none)";
            var b = i < o.Length ? o[i] : "(none)";
            if (a != b) sb.Append("real: ").Append(a).Append("\nours: ").Append(b).Append('\n');
        }
        return sb.ToString();
    }
}

/// <summary>
/// The (CIB, view) pairs on which our crm_mon prints what the real one prints are pinned in
/// <c>monitor-agreeing.txt</c>, which may only grow. MON_DIFF_WRITE=1 rewrites it from this run;
/// MON_DIFF_REPORT=FILE writes every disagreement; DIFF_REAL_CACHE=DIR keeps the real tool's output.
/// </summary>
public sealed class MonitorDifferentialTests(MonitorDifferentialFixture fixture, ITestOutputHelper output) : IClassFixture<MonitorDifferentialFixture>
{
    private static string AgreeingFile => Path.Combine(RepoPaths.Root, "tests", "Tools.Tests", "Crm", "monitor-agreeing.txt");

    private static List<string> Pinned() =>
        [.. File.ReadLines(AgreeingFile).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Fact]
    public void OurCrmMon_StillAgreesOnEveryPinnedCibAndView()
    {
        var agreeing = fixture.Cases.Where(c => c.Agrees).Select(c => c.Key).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crm_mon agreement: {agreeing.Count}/{fixture.Cases.Count}"));
        if (Environment.GetEnvironmentVariable("MON_DIFF_REPORT") is { Length: > 0 } report)
        {
            File.WriteAllText(report, string.Create(CultureInfo.InvariantCulture, $"agreement {agreeing.Count}/{fixture.Cases.Count}\n")
                + string.Concat(fixture.Cases.Where(c => !c.Agrees).Select(c => c.Describe())));
            foreach (var c in fixture.Cases.Where(c => !c.Agrees))
                File.Copy(fixture.Files[c.Name], report + "." + c.Name.Replace('/', '-') + ".xml", overwrite: true);
        }
        if (Environment.GetEnvironmentVariable("MON_DIFF_WRITE") == "1")
        {
            var header = File.ReadLines(AgreeingFile).TakeWhile(l => l.StartsWith('#')).ToList();
            File.WriteAllLines(AgreeingFile, header.Concat(agreeing));
        }
        var pinned = Pinned().ToHashSet(StringComparer.Ordinal);
        var regressed = fixture.Cases.Where(c => !c.Agrees && pinned.Contains(c.Key)).ToList();
        Assert.True(regressed.Count == 0,
            $"{regressed.Count} pinned crm_mon cases no longer agree with the real crm_mon:\n" + string.Concat(regressed.Take(3).Select(c => c.Describe())));
    }

    [Fact]
    public void EveryPinnedCaseIsStillCompared_AndTheListKeepsItsFloor()
    {
        var keys = fixture.Cases.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var pinned = Pinned();
        Assert.All(pinned, k => Assert.Contains(k, keys));
        Assert.Equal(pinned.Distinct(StringComparer.Ordinal).Count(), pinned.Count);
        // The floor of the measured agreement when pinned: the list only grows.
        Assert.InRange(pinned.Count, 4259, keys.Count);
    }
}
