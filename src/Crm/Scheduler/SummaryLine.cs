namespace Cluster.Crm.Scheduler;

/// <summary>One Transition Summary line before padding: verb, subject, details and reason.</summary>
public sealed record SummaryLine(string Verb, string Subject, string? Details, string? Reason)
{
    /// <summary>Node-level lines (Fence, Shutdown) are printed verbatim.</summary>
    public string? Verbatim { get; init; }
}
