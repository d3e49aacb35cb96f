namespace Cluster.Agents.Metadata;

/// <summary>One action from an agent's meta-data, with its advertised default timeout and interval.</summary>
public sealed record AgentAction(string Name, TimeSpan? Timeout, TimeSpan? Interval, string? Role, int? Depth)
{
    /// <summary>The original text of timeout/interval as written (pcs shows them as given).</summary>
    public string? TimeoutText { get; init; }

    public string? IntervalText { get; init; }
}
