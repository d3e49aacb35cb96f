namespace Cluster.Messaging.Simulation;

/// <summary>Outcome of one seed: the first violated invariant (null if none) and the events before it.</summary>
public sealed record SimResult(
    ulong Seed,
    int Nodes,
    string Profile,
    string? Violation,
    IReadOnlyList<string> History,
    long Delivered,
    int Configurations,
    long Events,
    TimeSpan VirtualTime);
