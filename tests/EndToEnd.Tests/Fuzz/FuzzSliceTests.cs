using Cluster.TestSupport;
using Cluster.Tools.Fuzz;

namespace Cluster.EndToEnd.Tests.Fuzz;

/// <summary>
/// The CI slice of the fuzzing harness: a fixed seed and a few thousand inputs per target, in
/// process (the full run is <c>cluster-fuzz --count N</c>, figures in docs/benchmarks.md). A
/// finding fails the test with the harness's replay command in the message.
/// </summary>
public sealed class FuzzSliceTests : IDisposable
{
    private readonly FuzzTargets _targets = new(RepoPaths.Shared);
    private readonly string _save = Directory.CreateTempSubdirectory("fuzz-slice-").FullName;

    public void Dispose()
    {
        _targets.Dispose();
        Directory.Delete(_save, recursive: true);
    }

    [Theory]
    [InlineData("config", 4_000)]
    [InlineData("cib", 1_500)]
    [InlineData("wire", 40_000)]
    [InlineData("ipc", 20_000)]
    public void A_seeded_slice_of_each_target_gives_clear_errors_or_success_and_never_a_crash(string target, int count)
    {
        var output = new StringWriter();
        // No time bound here (machines under load); the bench run applies the 1 s bound.
        var runner = new FuzzRunner(output, _save) { SlowLimit = TimeSpan.MaxValue };

        var stats = runner.Run(_targets.Get(target), seed: 20261206, from: 0, count);

        Assert.True(stats.Findings == 0, output.ToString());
        Assert.Equal(count, stats.Accepted + stats.Rejected);
        // Both outcomes occur: the corpus still reaches the accepting paths, mutation the refusing ones.
        Assert.True(stats.Accepted > 0 && stats.Rejected > 0, $"accepted {stats.Accepted}, rejected {stats.Rejected}");
    }

    private sealed class Exploding : FuzzTarget
    {
        public override string Name => "exploding";

        public override byte[] NextInput(Random random) => [(byte)random.Next(256)];

        public override FuzzVerdict Run(byte[] input) =>
            input[0] == 7 ? throw new NullReferenceException("boom") : FuzzVerdict.Rejected;
    }

    [Fact]
    public void An_exception_is_a_finding_with_a_replay_command_and_the_saved_input_and_replays_identically()
    {
        var output = new StringWriter();
        var runner = new FuzzRunner(output, _save);

        var stats = runner.Run(new Exploding(), seed: 3, from: 0, count: 2_000);

        Assert.True(stats.Findings > 0);
        var finding = runner.Findings[0];
        Assert.Contains("System.NullReferenceException: boom", finding.What, StringComparison.Ordinal);
        Assert.Contains($"cluster-fuzz --target exploding --seed 3 --from {finding.Index} --count 1", output.ToString(), StringComparison.Ordinal);
        Assert.Equal([7], File.ReadAllBytes(finding.SavedAs!));
        // The input is a function of (seed, target, index) only.
        Assert.Equal([7], new Exploding().NextInput(new Random(FuzzRunner.InputSeed(3, "exploding", finding.Index))));
        Assert.Equal(1, new FuzzRunner(TextWriter.Null, null).Run(new Exploding(), 3, finding.Index, 1).Findings);
    }
}
