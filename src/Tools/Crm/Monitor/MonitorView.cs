namespace Cluster.Tools.Crm.Monitor;

/// <summary>What a one-shot crm_mon view shows (its command-line sections).</summary>
public sealed record MonitorView(
    bool Inactive = false,
    bool FailCounts = false,
    bool NodeAttributes = false,
    bool GroupByNode = false,
    bool Operations = false,
    bool ShowNodeNames = true);
