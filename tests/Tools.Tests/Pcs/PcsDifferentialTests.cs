using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cluster.TestSupport;
using Cluster.TestSupport.Cib;
using Cluster.Tools.Tests.Support;
using Xunit.Abstractions;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>What one pcs run printed, and the CIB configuration a whole script left.</summary>
public sealed record PcsStep(int Exit, string Stdout, string Stderr);

/// <summary>
/// A generated script's run through one pcs: every step's output and the final configuration.
/// The real pcs 0.11's runs are recorded in <c>oracle/pcs-SEED.txt</c> (real pcs takes about a
/// second of CPU per command, too slow to run hundreds of them in every CI run);
/// PCS_DIFF_RECORD=1 records them again with /usr/sbin/pcs.
/// </summary>
public sealed record PcsRun(string Script, IReadOnlyList<PcsStep> Steps, string Configuration)
{
    private const string Mark = "@@ ";

    public string Serialise()
    {
        var sb = new StringBuilder();
        sb.Append(Mark).Append("script\n").Append(Script);
        for (int i = 0; i < Steps.Count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{Mark}step {i + 1} exit {Steps[i].Exit}\n");
            sb.Append(Mark).Append("stdout\n").Append(Steps[i].Stdout);
            sb.Append(Mark).Append("stderr\n").Append(Steps[i].Stderr);
        }
        sb.Append(Mark).Append("configuration\n").Append(Configuration);
        return sb.ToString();
    }

    public static PcsRun Parse(string text)
    {
        var sections = new List<(string Head, StringBuilder Body)>();
        var lines = text.Split('\n');
        foreach (var line in text.EndsWith('\n') ? lines.SkipLast(1) : lines)
        {
            if (line.StartsWith(Mark, StringComparison.Ordinal)) sections.Add((line[Mark.Length..], new StringBuilder()));
            else sections[^1].Body.Append(line).Append('\n');
        }
        var steps = new List<PcsStep>();
        for (int i = 1; i + 2 < sections.Count; i += 3)
        {
            var exit = int.Parse(sections[i].Head.Split(' ')[^1], CultureInfo.InvariantCulture);
            steps.Add(new PcsStep(exit, sections[i + 1].Body.ToString(), sections[i + 2].Body.ToString()));
        }
        return new PcsRun(sections[0].Body.ToString(), steps, sections[^1].Body.ToString().TrimEnd('\n') + "\n");
    }
}

/// <summary>One seed's script through both pcs: where they first part, if they do.</summary>
public sealed record PcsCase(PcsScript Script, PcsRun Real, PcsRun Ours)
{
    public string? FirstDifference()
    {
        for (int i = 0; i < Real.Steps.Count; i++)
        {
            var (r, o) = (Comparable(Script.Commands[i], Real.Steps[i]), Comparable(Script.Commands[i], Ours.Steps[i]));
            if (r != o)
                return $"step {i + 1}: pcs {Script.Commands[i]}\n"
                    + (r.Exit != o.Exit ? $"  exit real {r.Exit} ours {o.Exit}\n" : "")
                    + Lines("stdout", r.Stdout, o.Stdout) + Lines("stderr", r.Stderr, o.Stderr);
        }
        return Real.Configuration == Ours.Configuration ? null : "final configuration:\n" + Lines("cib", Real.Configuration, Ours.Configuration);
    }

    /// <summary>
    /// A step as compared. A usage message counts by being one (pcs's help text is its own, not
    /// ours to copy). "pcs config" on a file starts with the machine's own corosync.conf (cluster
    /// name, corosync nodes), which belongs to the machine, not to the CIB: compared from
    /// "Pacemaker Nodes:" on.
    /// </summary>
    public static PcsStep Comparable(string command, PcsStep step)
    {
        static string Usage(string text) =>
            text.TrimStart('\n') is var t && (t.StartsWith("Usage: pcs", StringComparison.Ordinal) || t.StartsWith("Error: usage: pcs", StringComparison.OrdinalIgnoreCase))
                ? "(usage)\n" : text;
        var stdout = step.Stdout;
        if (command == "config" && stdout.IndexOf("Pacemaker Nodes:", StringComparison.Ordinal) is >= 0 and var at) stdout = stdout[at..];
        return step with { Stdout = Usage(stdout), Stderr = Usage(step.Stderr) };
    }

    private static string Lines(string what, string real, string ours)
    {
        if (real == ours) return "";
        var (r, o) = (real.Split('\n'), ours.Split('\n'));
        var sb = new StringBuilder();
        for (int i = 0; i < Math.Max(r.Length, o.Length); i++)
        {
            var a = i < r.Length ? r[i] : "(none)";
            var b = i < o.Length ? o[i] : "(none)";
            if (a != b) sb.Append(CultureInfo.InvariantCulture, $"  {what} real: {a}\n  {what} ours: {b}\n");
        }
        return sb.ToString();
    }
}

public sealed class PcsDifferentialFixture : IAsyncLifetime
{
    public const string RealPcs = "/usr/sbin/pcs";

    /// <summary>Seeds recorded and compared (PCS_DIFF_SEEDS=N with PCS_DIFF_RECORD=1 records more).</summary>
    public static int Seeds => int.TryParse(Environment.GetEnvironmentVariable("PCS_DIFF_SEEDS"), CultureInfo.InvariantCulture, out var n) ? n : 300;

    public static string OracleDir => Path.Combine(RepoPaths.Root, "tests", "Tools.Tests", "Pcs", "oracle");

    public IReadOnlyList<PcsCase> Cases { get; private set; } = [];

    public IReadOnlyList<int> Missing { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var record = Environment.GetEnvironmentVariable("PCS_DIFF_RECORD") == "1";
        var cases = new System.Collections.Concurrent.ConcurrentBag<PcsCase>();
        var missing = new System.Collections.Concurrent.ConcurrentBag<int>();
        await Parallel.ForEachAsync(Enumerable.Range(1, Seeds), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
            async (seed, token) =>
            {
                var script = PcsScriptGenerator.Generate(seed);
                var file = Path.Combine(OracleDir, $"pcs-{seed}.txt");
                PcsRun real;
                if (record && (!File.Exists(file) || PcsRun.Parse(await File.ReadAllTextAsync(file, token)).Script != script.Text))
                {
                    real = await RunAsync(script, RealAsync);
                    Directory.CreateDirectory(OracleDir);
                    await File.WriteAllTextAsync(file, real.Serialise(), token);
                }
                else if (File.Exists(file)) real = PcsRun.Parse(await File.ReadAllTextAsync(file, token));
                else
                {
                    missing.Add(seed);
                    return;
                }
                var ours = await RunAsync(script, (fixture, command) => fixture.Pcs(command));
                cases.Add(new PcsCase(script, real, ours));
            });
        Cases = [.. cases.OrderBy(c => c.Script.Seed)];
        Missing = [.. missing.Order()];
    }

    private static async Task<PcsRun> RunAsync(PcsScript script, Func<CibFixture, string, Task<(int Exit, string Out, string Err)>> pcs)
    {
        using var fixture = new CibFixture();
        if (script.Base == PcsScriptBase.Walkthrough) fixture.WithFinalCib();
        else fixture.WithWalkthroughStart();
        var steps = new List<PcsStep>();
        foreach (var command in script.Commands)
        {
            var (exit, stdout, stderr) = await pcs(fixture, command);
            steps.Add(new PcsStep(exit, Normalise(stdout, fixture), Normalise(stderr, fixture)));
        }
        var configuration = CibFixture.Configuration(XElement.Parse(fixture.Text)).TrimEnd('\n') + "\n";
        return new PcsRun(script.Text, steps, configuration);
    }

    /// <summary>The temporary directory's name is the only thing a run may print that differs by run.</summary>
    private static string Normalise(string text, CibFixture fixture) => text.Replace(fixture.Dir, "DIR", StringComparison.Ordinal);

    private static async Task<(int Exit, string Out, string Err)> RealAsync(CibFixture fixture, string command)
    {
        var run = await ToolRun.RunAsync(RealPcs, ["-f", fixture.File, .. CibFixture.Split(command)], TimeSpan.FromSeconds(120));
        return (run.ExitCode ?? -1, run.Stdout, run.Stderr);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Our pcs against the real pcs 0.11 on seeded random command scripts (<see cref="PcsScriptGenerator"/>)
/// run with -f on a copy of the golden cluster's CIB: every step's exit code, stdout and stderr, and
/// the configuration the script leaves. The agreeing seeds are pinned in <c>pcs-agreeing.txt</c>,
/// which may only grow (PCS_DIFF_WRITE=1 rewrites it); PCS_DIFF_REPORT=FILE writes every first
/// difference.
/// </summary>
public sealed class PcsDifferentialTests(PcsDifferentialFixture fixture, ITestOutputHelper output) : IClassFixture<PcsDifferentialFixture>
{
    private static string AgreeingFile => Path.Combine(RepoPaths.Root, "tests", "Tools.Tests", "Pcs", "pcs-agreeing.txt");

    private static List<string> Pinned() => [.. File.ReadLines(AgreeingFile).Where(l => l.Length > 0 && !l.StartsWith('#'))];

    [Fact]
    public void EveryRecordedScriptIsTheGeneratorsScript()
    {
        Assert.True(fixture.Missing.Count == 0, $"no recording of the real pcs for seeds {string.Join(',', fixture.Missing.Take(10))}: run with PCS_DIFF_RECORD=1");
        var stale = fixture.Cases.Where(c => c.Real.Script != c.Script.Text).Select(c => c.Script.Seed).ToList();
        Assert.True(stale.Count == 0, $"the generator no longer makes the recorded scripts of seeds {string.Join(',', stale.Take(10))}: re-record with PCS_DIFF_RECORD=1");
    }

    [Fact]
    public void OurPcs_StillAgreesOnEveryPinnedScript()
    {
        var agreeing = fixture.Cases.Where(c => c.FirstDifference() is null).Select(c => c.Script.Seed.ToString(CultureInfo.InvariantCulture)).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pcs agreement: {agreeing.Count}/{fixture.Cases.Count} scripts"));
        if (Environment.GetEnvironmentVariable("PCS_DIFF_REPORT") is { Length: > 0 } report)
            File.WriteAllText(report, string.Create(CultureInfo.InvariantCulture, $"agreement {agreeing.Count}/{fixture.Cases.Count}\n")
                + string.Concat(fixture.Cases.Select(c => (c, d: c.FirstDifference())).Where(x => x.d is not null)
                    .Select(x => $"== seed {x.c.Script.Seed}\n{x.d}")));
        if (Environment.GetEnvironmentVariable("PCS_DIFF_WRITE") == "1")
        {
            var header = File.ReadLines(AgreeingFile).TakeWhile(l => l.StartsWith('#')).ToList();
            File.WriteAllLines(AgreeingFile, header.Concat(agreeing));
        }
        var pinned = Pinned().ToHashSet(StringComparer.Ordinal);
        var regressed = fixture.Cases.Where(c => pinned.Contains(c.Script.Seed.ToString(CultureInfo.InvariantCulture)))
            .Select(c => (c, d: c.FirstDifference())).Where(x => x.d is not null).ToList();
        Assert.True(regressed.Count == 0,
            $"{regressed.Count} pinned pcs scripts no longer agree with the real pcs:\n" + string.Concat(regressed.Take(3).Select(x => $"== seed {x.c.Script.Seed}\n{x.d}")));
    }

    [Fact]
    public void ThePinnedListKeepsItsFloor()
    {
        var pinned = Pinned();
        Assert.Equal(pinned.Distinct(StringComparer.Ordinal).Count(), pinned.Count);
        Assert.All(pinned, s => Assert.InRange(int.Parse(s, CultureInfo.InvariantCulture), 1, PcsDifferentialFixture.Seeds));
        // The floor of the measured agreement when pinned: the list only grows.
        Assert.InRange(pinned.Count, 297, PcsDifferentialFixture.Seeds);
    }
}
