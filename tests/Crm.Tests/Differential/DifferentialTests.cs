using System.Globalization;
using Cluster.TestSupport;
using Cluster.TestSupport.Cib;
using Xunit.Abstractions;

namespace Cluster.Crm.Tests.Differential;

/// <summary>
/// Runs generated CIBs (seeds 1..500) through the real crm_simulate 2.1.5 and ours once per test
/// run, in parallel processes.
/// </summary>
public sealed class DifferentialFixture : IAsyncLifetime
{
    public const int FirstSeed = 1;
    public const int SeedCount = 500;

    public IReadOnlyList<DifferentialCase> Cases { get; private set; } = [];

    /// <summary>Our crm_simulate, or null when build.sh has not published one yet.</summary>
    public string? Ours { get; } = File.Exists(RepoPaths.Tool("crm_simulate")) ? RepoPaths.Tool("crm_simulate") : null;

    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "crm-differential-" + Environment.ProcessId);

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(DifferentialCase.RealCrmSimulate),
            $"{DifferentialCase.RealCrmSimulate} is missing: run scripts/install-deps.sh (pacemaker-cli-utils)");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Cases = await DifferentialCase.RunAsync(Enumerable.Range(FirstSeed, SeedCount), Ours, WorkDir,
            parallelism: Math.Max(2, Environment.ProcessorCount), timeoutPerRun: TimeSpan.FromSeconds(60));
        Elapsed = watch.Elapsed;
    }

    public Task DisposeAsync()
    {
        if (Directory.Exists(WorkDir)) Directory.Delete(WorkDir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The differential test of issue 5 item 6: every seed of the range must agree with the real
/// crm_simulate (Transition Summary, Revised Cluster Status and exit code identical), except the
/// few listed with their cause in <c>known-differences.txt</c>. A mismatch prints the seed and
/// both outputs.
/// </summary>
public sealed class DifferentialTests(DifferentialFixture fixture, ITestOutputHelper output) : IClassFixture<DifferentialFixture>
{
    private static string KnownDifferencesFile =>
        Path.Combine(RepoPaths.Root, "tests", "Crm.Tests", "Differential", "known-differences.txt");

    /// <summary>Seeds listed as known differences ("seed  # cause" lines).</summary>
    internal static IReadOnlyList<int> KnownDifferences() =>
        [.. File.ReadLines(KnownDifferencesFile)
            .Select(l => l.Split('#')[0].Trim())
            .Where(l => l.Length > 0)
            .Select(l => int.Parse(l, CultureInfo.InvariantCulture))];

    [Fact]
    public void RealCrmSimulate_AcceptsEveryGeneratedCib()
    {
        var rejected = fixture.Cases.Where(c => c.Real.ExitCode != 0 || !SimulateOutput.Parse(c.Real.Stdout).Has("Revised Cluster Status:")).ToList();
        Assert.True(rejected.Count == 0,
            $"{rejected.Count} generated CIBs rejected by the real crm_simulate:\n"
            + string.Join('\n', rejected.Take(3).Select(c => c.Describe())));
    }

    [Fact]
    public void OurCrmSimulate_AgreesOnEverySeed_ExceptTheKnownDifferences()
    {
        Assert.True(fixture.Ours is not null, $"{RepoPaths.Tool("crm_simulate")} does not exist: run ./build.sh");
        var known = KnownDifferences().ToHashSet();
        var agreeing = fixture.Cases.Count(c => c.Agrees);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"differential agreement: {agreeing}/{fixture.Cases.Count} seeds in {fixture.Elapsed.TotalSeconds:F1} s"));
        var nowAgreeing = fixture.Cases.Where(c => c.Agrees && known.Contains(c.Seed)).Select(c => c.Seed).ToList();
        if (nowAgreeing.Count > 0)
            output.WriteLine($"listed as known differences but agreeing now (remove them from the list): {string.Join(' ', nowAgreeing)}");
        var unexpected = fixture.Cases.Where(c => !c.Agrees && !known.Contains(c.Seed)).ToList();
        Assert.True(unexpected.Count == 0,
            $"{unexpected.Count} seeds disagree with the real crm_simulate ({string.Join(' ', unexpected.Select(c => c.Seed))}):\n"
            + string.Join('\n', unexpected.Take(3).Select(c => c.Describe())));
    }

    [Fact]
    public void KnownDifferences_AreFew_WithinTheTestedRange_AndSorted()
    {
        var known = KnownDifferences();
        Assert.All(known, s => Assert.InRange(s, DifferentialFixture.FirstSeed, DifferentialFixture.FirstSeed + DifferentialFixture.SeedCount - 1));
        Assert.Equal(known.OrderBy(s => s).Distinct(), known);
        // The list documents a handful of understood causes, not a way to park regressions.
        Assert.InRange(known.Count, 0, DifferentialFixture.SeedCount / 40);
    }
}
