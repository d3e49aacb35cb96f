using System.Collections.Concurrent;
using Cluster.Messaging.Simulation;

namespace Cluster.Messaging.Tests.Simulation;

public sealed class SimulationSweepTests
{
    /// <summary>
    /// The CI sweep: 2,000 seed-runs spread over 2..16 nodes and every profile, each checked
    /// against the invariants of messaging-spec §2.10. A failure lists the replay command.
    /// </summary>
    [Fact]
    public void Two_thousand_seeds_over_2_to_16_nodes_and_all_profiles_violate_no_invariant()
    {
        const int seeds = 2000;
        var failures = new ConcurrentBag<string>();
        var covered = new ConcurrentDictionary<(int, string), int>();
        long delivered = 0;
        Parallel.For(1, seeds + 1, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, seed =>
        {
            var config = SimConfig.ForSeed((ulong)seed, 2, 16, SimProfile.All);
            var result = new Simulator(config).Run();
            covered.AddOrUpdate((config.Nodes, config.Profile.Name), 1, (_, c) => c + 1);
            Interlocked.Add(ref delivered, result.Delivered);
            if (result.Violation is not null)
                failures.Add($"seed {seed} ({config.Nodes} nodes, {config.Profile.Name}): {result.Violation}\n" +
                             $"  replay: totem-sim --nodes {config.Nodes} --seeds {seed}..{seed} --profile {config.Profile.Name} --verbose\n  | " +
                             string.Join("\n  | ", result.History));
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(3)));
        Assert.Equal(15 * SimProfile.All.Count, covered.Count);   // every node count with every profile
        Assert.True(delivered > seeds * 100, $"only {delivered} deliveries in {seeds} runs");
    }

    /// <summary>
    /// Seeds outside the CI range that exceeded the progress bound while failed lists were merged
    /// only from old-ring members: after a partition healed, nodes of different old rings with
    /// different failed lists could never agree and split further at each consensus timeout.
    /// </summary>
    [Theory]
    [InlineData(2921)]
    [InlineData(2993)]
    [InlineData(3147)]
    [InlineData(4347)]
    [InlineData(6898)]
    public void Full_ring_re_forms_within_the_bound_after_chaos_that_once_split_into_mutually_failing_groups(int seed)
    {
        var config = SimConfig.ForSeed((ulong)seed, 2, 16, SimProfile.Benign);
        var result = new Simulator(config).Run();
        Assert.True(result.Violation is null, $"seed {seed} ({config.Nodes} nodes, {config.Profile.Name}): {result.Violation}");
    }

    [Fact]
    public void A_run_is_fully_determined_by_its_seed()
    {
        var config = new SimConfig(5, 42, SimProfile.Chaos);
        var a = new Simulator(config).Run();
        var b = new Simulator(config).Run();
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.Delivered, b.Delivered);
        Assert.Equal(a.Configurations, b.Configurations);
        Assert.Equal(a.History, b.History);
    }

    [Theory]
    [InlineData("clean")]
    [InlineData("lossy")]
    [InlineData("partitions")]
    [InlineData("crash")]
    [InlineData("chaos")]
    [InlineData("forged")]
    public void Each_profile_delivers_messages_and_forms_rings(string profile)
    {
        var result = new Simulator(new SimConfig(4, 7, SimProfile.Find(profile)!)).Run();
        Assert.Null(result.Violation);
        Assert.True(result.Delivered > 100, $"{result.Delivered} deliveries");
        Assert.True(result.Configurations >= 1);
    }
}
