using System.Globalization;
using Cluster.TestSupport;
using Cluster.Crm.Simulation;
using Cluster.TestSupport.Cib;
using Xunit.Abstractions;

namespace Cluster.Crm.Tests.Differential;

/// <summary>
/// Runs generated CIBs (seeds 1..500) through the real crm_simulate 2.1.5 (as processes, in
/// parallel) and through ours once per test run. Ours runs in this process: the same
/// <see cref="CrmSimulator"/> the crm_simulate tool prints, without 500 process start-ups (the
/// command line itself is covered by the end-to-end tests).
/// </summary>
public sealed class DifferentialFixture : IAsyncLifetime
{
    public const int FirstSeed = 1;
    public const int SeedCount = 500;

    public IReadOnlyList<DifferentialCase> Cases { get; private set; } = [];

    public string WorkDir { get; } = Path.Combine(Path.GetTempPath(), "crm-differential-" + Environment.ProcessId);

    public TimeSpan Elapsed { get; private set; }

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(DifferentialCase.RealCrmSimulate),
            $"{DifferentialCase.RealCrmSimulate} is missing: run scripts/install-deps.sh (pacemaker-cli-utils)");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var realOnly = await DifferentialCase.RunAsync(Enumerable.Range(FirstSeed, SeedCount), null, WorkDir,
            parallelism: Math.Max(2, Environment.ProcessorCount), timeoutPerRun: TimeSpan.FromSeconds(60));
        Cases = [.. realOnly.Select(c => c with { Ours = RunOurs(Path.Combine(WorkDir, $"seed-{c.Seed}.xml")) })];
        Elapsed = watch.Elapsed;
    }

    /// <summary>Our <c>crm_simulate -x FILE -S</c>, in process.</summary>
    private static ToolRun RunOurs(string file)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var output = CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(file), new SimulationRequest { Simulate = true });
            return new ToolRun(output.ExitCode, output.Text, "", watch.Elapsed, 0);
        }
#pragma warning disable CA1031 // any failure of ours is a differential result to report with its seed
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new ToolRun(70, "", e.GetType().Name + ": " + e.Message + "\n", watch.Elapsed, 0);
        }
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
