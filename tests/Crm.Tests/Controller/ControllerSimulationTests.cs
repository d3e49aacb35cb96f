namespace Cluster.Crm.Tests.Controller;

public class ControllerSimulationTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Election_and_join_keep_at_most_one_dc_per_partition_and_converge_for_seeds_1_to_300(int nodes)
    {
        var failures = new List<string>();
        var faults = new Dictionary<string, int>();
        for (var seed = 1; seed <= 300 && failures.Count < 3; seed++)
        {
            var simulation = new ControllerSimulation(nodes, seed);
            if (simulation.Run() is { } failure)
                failures.Add(failure);
            foreach (var (kind, count) in simulation.Faults)
                faults[kind] = faults.GetValueOrDefault(kind) + count;
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // The sweep is only worth something if it exercised every kind of fault, many times.
        Assert.All(new[] { "crash", "restart", "partition", "heal", "blip" }, kind => Assert.True(faults.GetValueOrDefault(kind) >= 20,
            $"only {faults.GetValueOrDefault(kind)} {kind} faults in the sweep"));
    }

    /// <summary>Reruns one seed with a trace: CTL_SIM_SEED and CTL_SIM_NODES (default: seed 1, 3 nodes).</summary>
    [Fact]
    public void Replay_one_seed_from_the_environment()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CTL_SIM_SEED"), out var s) ? s : 1;
        var nodes = int.TryParse(Environment.GetEnvironmentVariable("CTL_SIM_NODES"), out var n) ? n : 3;
        var failure = new ControllerSimulation(nodes, seed, verbose: true).Run();
        Assert.True(failure is null, failure);
    }
}
