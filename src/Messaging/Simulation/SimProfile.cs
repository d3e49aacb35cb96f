namespace Cluster.Messaging.Simulation;

/// <summary>What a simulation run throws at the ring. Probabilities are per packet, times in ms.</summary>
public sealed record SimProfile(
    string Name,
    double Loss,
    double Duplication,
    double JitterMs,
    int AsymmetricLinks,
    double AsymmetricLoss,
    int PartitionEpisodes,
    int Crashes,
    double LeaveShare,
    bool SingleDrop)
{
    /// <summary>
    /// Byzantine-lite, for rings without crypto: per join or commit token sent in the fault
    /// phase, the chance that a forged copy follows it, spoofed from the same member, with its
    /// ring sequence replaced (2^64-1, near the wrap, far ahead, or a plausible step ahead).
    /// </summary>
    public double ForgedHeaders { get; init; }

    public static readonly SimProfile Clean = new("clean", 0, 0, 0.3, 0, 0, 0, 0, 0, true);
    public static readonly SimProfile Lossy = new("lossy", 0.04, 0.02, 4, 1, 0.3, 0, 0, 0, false);
    public static readonly SimProfile Partitions = new("partitions", 0, 0.01, 1, 0, 0, 2, 0, 0, false);
    public static readonly SimProfile Crash = new("crash", 0, 0, 1, 0, 0, 0, 2, 0.3, false);
    public static readonly SimProfile Chaos = new("chaos", 0.03, 0.02, 4, 1, 0.25, 2, 2, 0.3, false);
    public static readonly SimProfile Forged = new("forged", 0.01, 0.01, 2, 0, 0, 1, 1, 0.3, false) { ForgedHeaders = 0.1 };

    /// <summary>The profiles before <see cref="Forged"/>: the seed-to-profile mapping that older replay seeds use.</summary>
    public static IReadOnlyList<SimProfile> Benign { get; } = [Clean, Lossy, Partitions, Crash, Chaos];

    public static IReadOnlyList<SimProfile> All { get; } = [Clean, Lossy, Partitions, Crash, Chaos, Forged];

    public static SimProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
