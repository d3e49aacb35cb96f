namespace Cluster.Crm.ClusterSim;

/// <summary>
/// What a <c>crm-sim</c> run throws at the cluster during its fault phase. Each profile is a mix
/// of fault kinds; <see cref="Mixed"/> draws from all of them.
/// </summary>
public sealed record ClusterSimProfile(string Name, int Crashes, int CleanStops, int Partitions, int AgentFaults, int AdminChanges)
{
    public static readonly ClusterSimProfile Crash = new("crash", Crashes: 2, CleanStops: 1, Partitions: 0, AgentFaults: 0, AdminChanges: 0);
    public static readonly ClusterSimProfile Partition = new("partition", Crashes: 0, CleanStops: 0, Partitions: 2, AgentFaults: 0, AdminChanges: 0);
    public static readonly ClusterSimProfile Agents = new("agents", Crashes: 0, CleanStops: 0, Partitions: 0, AgentFaults: 5, AdminChanges: 0);
    public static readonly ClusterSimProfile Admin = new("admin", Crashes: 0, CleanStops: 0, Partitions: 0, AgentFaults: 0, AdminChanges: 8);
    public static readonly ClusterSimProfile Mixed = new("mixed", Crashes: 1, CleanStops: 1, Partitions: 1, AgentFaults: 3, AdminChanges: 4);

    public static IReadOnlyList<ClusterSimProfile> All { get; } = [Crash, Partition, Agents, Admin, Mixed];

    public static ClusterSimProfile? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
