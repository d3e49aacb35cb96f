namespace Cluster.Crm.ClusterSim;

/// <summary>One <c>crm-sim</c> run: N nodes, one seed, one profile; times are virtual.</summary>
public sealed record ClusterSimConfig(int Nodes, ulong Seed, ClusterSimProfile Profile)
{
    /// <summary>Faults happen in [0, FaultPhase); at its end every fault heals (partitions merge, nodes restart, agents behave).</summary>
    public TimeSpan FaultPhase { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>After the last fault heals, the cluster must reach an empty graph with one DC within this.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A transition still running this long after it started (or after the last fault) is stuck.</summary>
    public TimeSpan TransitionBound { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>Two DCs in one quorate partition for longer than this is a split brain, not an election in progress.</summary>
    public TimeSpan DcOverlapBound { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Trace lines kept (the tail is printed for a failing seed).</summary>
    public int HistoryLength { get; init; } = 200;

    /// <summary>Safety cap on processed events.</summary>
    public long MaxEvents { get; init; } = 2_000_000;

    /// <summary>
    /// The configuration a sweep uses for <paramref name="seed"/>: the node count cycles through
    /// min..max with the seed, the profile with seed / (max - min + 1) (as totem-sim's sweeps do).
    /// </summary>
    public static ClusterSimConfig ForSeed(ulong seed, int minNodes, int maxNodes, IReadOnlyList<ClusterSimProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var span = maxNodes - minNodes + 1;
        var n = minNodes + (int)(seed % (ulong)span);
        var profile = profiles[(int)(seed / (ulong)span % (ulong)profiles.Count)];
        return new ClusterSimConfig(n, seed, profile);
    }
}
