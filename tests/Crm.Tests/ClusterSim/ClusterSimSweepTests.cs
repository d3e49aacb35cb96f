using Cluster.Crm.ClusterSim;

namespace Cluster.Crm.Tests.ClusterSim;

/// <summary>
/// crm-sim in CI, as issues 11 and 12 ask: whole Pacemaker nodes under each fault profile,
/// seeds 1..2000 on 2..7 nodes, every invariant checked after every event and at the end. One
/// class per profile so the five sweeps share the cores (10,000 runs). A failure prints the
/// crm-sim replay line and the trace's tail.
/// </summary>
public abstract class ClusterSimSweep
{
    /// <summary>Seeds per profile; node counts cycle 2..7 with the seed (as `crm-sim --nodes 2..7` does).</summary>
    protected const int Seeds = 2000;

    protected static void Sweep(string profileName)
    {
        var profile = ClusterSimProfile.Find(profileName)!;
        var failures = new List<string>();
        long faults = 0, fenced = 0, transitions = 0;
        for (ulong seed = 1; seed <= Seeds && failures.Count < 2; seed++)
        {
            var config = ClusterSimConfig.ForSeed(seed, 2, 7, [profile]) with { HistoryLength = 60 };
            var result = new ClusterSimulator(config).Run();
            faults += result.Faults;
            fenced += result.Fenced;
            transitions += result.Transitions;
            if (result.Violation is not null)
                failures.Add($"seed={seed} nodes={config.Nodes} fencing={result.Fencing}: {result.Violation}\n" +
                             $"  replay: crm-sim --nodes {config.Nodes} --seeds {seed} --profile {profile.Name} --verbose --trace\n  | " +
                             string.Join("\n  | ", result.Trace));
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // A sweep is only worth something if it threw faults and the cluster worked through them.
        Assert.True(faults >= Seeds, $"only {faults} faults in {Seeds} seeds");
        Assert.True(transitions >= Seeds * 3, $"only {transitions} scheduler runs in {Seeds} seeds");
        if (profile.Crashes > 0 || profile.Partitions > 0)
            Assert.True(fenced >= 50, $"only {fenced} fencing operations in {Seeds} seeds of {profile.Name}");
    }
}

public class ClusterSimCrashSweepTests : ClusterSimSweep
{
    [Fact]
    public void Every_invariant_holds_under_crashes_for_seeds_1_to_2000_on_2_to_7_nodes() => Sweep("crash");
}

public class ClusterSimPartitionSweepTests : ClusterSimSweep
{
    [Fact]
    public void Every_invariant_holds_under_partitions_for_seeds_1_to_2000_on_2_to_7_nodes() => Sweep("partition");
}

public class ClusterSimAgentsSweepTests : ClusterSimSweep
{
    [Fact]
    public void Every_invariant_holds_under_agent_failures_for_seeds_1_to_2000_on_2_to_7_nodes() => Sweep("agents");
}

public class ClusterSimAdminSweepTests : ClusterSimSweep
{
    [Fact]
    public void Every_invariant_holds_under_admin_changes_for_seeds_1_to_2000_on_2_to_7_nodes() => Sweep("admin");
}

public class ClusterSimMixedSweepTests : ClusterSimSweep
{
    [Fact]
    public void Every_invariant_holds_under_mixed_faults_for_seeds_1_to_2000_on_2_to_7_nodes() => Sweep("mixed");
}

/// <summary>crm-sim's determinism and the replay hook.</summary>
public class ClusterSimSweepTests
{
    [Fact]
    public void One_seed_replays_identically()
    {
        var config = ClusterSimConfig.ForSeed(7, 2, 5, ClusterSimProfile.All);
        var first = new ClusterSimulator(config).Run();
        var second = new ClusterSimulator(config).Run();
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(first.FinalCib, second.FinalCib);
    }

    /// <summary>Reruns one seed: CRM_SIM_SEED, CRM_SIM_NODES, CRM_SIM_PROFILE (default: seed 1, 3 nodes, mixed).</summary>
    [Fact]
    public void Replay_one_seed_from_the_environment()
    {
        var seed = ulong.TryParse(Environment.GetEnvironmentVariable("CRM_SIM_SEED"), out var s) ? s : 1;
        var nodes = int.TryParse(Environment.GetEnvironmentVariable("CRM_SIM_NODES"), out var n) ? n : 3;
        var profile = ClusterSimProfile.Find(Environment.GetEnvironmentVariable("CRM_SIM_PROFILE") ?? "mixed") ?? ClusterSimProfile.Mixed;
        var result = new ClusterSimulator(new ClusterSimConfig(nodes, seed, profile)).Run();
        Assert.True(result.Violation is null, result.Violation + "\n" + string.Join("\n", result.Trace));
    }
}
