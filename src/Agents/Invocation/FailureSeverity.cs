namespace Cluster.Agents.Invocation;

/// <summary>How the scheduler treats a failed result: retry here, ban from this node, or ban everywhere.</summary>
public enum FailureSeverity
{
    None,

    /// <summary>Recover per on-fail; the fail count grows.</summary>
    Soft,

    /// <summary>The resource cannot run on this node.</summary>
    Hard,

    /// <summary>The configuration is wrong everywhere.</summary>
    Fatal,
}
