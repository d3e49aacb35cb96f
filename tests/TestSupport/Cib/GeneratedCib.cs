namespace Cluster.TestSupport.Cib;

/// <summary>A generated node.</summary>
public sealed record GeneratedNode(int Id, string Name, GeneratedNodeState State);

/// <summary>A generated primitive (ocf:pacemaker:Dummy, or a stonith device).</summary>
public sealed record GeneratedPrimitive(string Id, bool IsStonith)
{
    /// <summary>Value of the Dummy agent's <c>fake</c> parameter; null = no instance attributes.</summary>
    public string? Fake { get; init; }
    public int? Stickiness { get; init; }
    public string? TargetRole { get; init; }
    public int? Priority { get; init; }
    public int? MigrationThreshold { get; init; }

    /// <summary>Recurring monitor interval in seconds; 0 = none.</summary>
    public int MonitorSeconds { get; init; }

    /// <summary>Monitor timeout spec; null = default (20 s).</summary>
    public string? MonitorTimeout { get; init; }

    public string Group { get; init; } = "";

    /// <summary>An on-fail value on one of the operations (monitor, start or stop); null = none.</summary>
    public (string Operation, string Value)? OnFail { get; init; }

    /// <summary>failure-timeout meta-attribute; null = none.</summary>
    public string? FailureTimeout { get; init; }

    /// <summary>is-managed=false.</summary>
    public bool Unmanaged { get; init; }
}

/// <summary>Which operation of a generated history failed.</summary>
public enum GeneratedFailure
{
    None,
    /// <summary>The start failed (no later operation).</summary>
    Start,
    /// <summary>Started and monitored, then the stop failed.</summary>
    Stop,
    /// <summary>Started, then the recurring monitor failed.</summary>
    Monitor,
    /// <summary>The probe returned something other than "not running".</summary>
    Probe,
}

/// <summary>A top-level group of primitives.</summary>
public sealed record GeneratedGroup(string Id, IReadOnlyList<GeneratedPrimitive> Members)
{
    public int? Stickiness { get; init; }
    public string? TargetRole { get; init; }
}

/// <summary>One history the generator writes for a primitive on a node.</summary>
public sealed record GeneratedHistory(string Resource, string Node)
{
    /// <summary>True = started (start + monitor entries); false = probed, not running (rc 7).</summary>
    public bool Running { get; init; }

    /// <summary>Record the start under an outdated parameter value (forces a definition-change restart).</summary>
    public bool StaleDigest { get; init; }

    /// <summary>The recurring monitor last returned 7 (failed).</summary>
    public bool MonitorFailed { get; init; }

    /// <summary>fail-count-&lt;rsc&gt;#monitor_&lt;ms&gt; transient attribute; 0 = none.</summary>
    public int FailCount { get; init; }

    /// <summary>An operation that failed (see <see cref="GeneratedFailure"/>), with its rc and op-status.</summary>
    public GeneratedFailure Failure { get; init; }
    public int FailureRc { get; init; }
    public int FailureStatus { get; init; }

    /// <summary>The failure's fail count ("start_0", "monitor_10000"...) and value; null = none recorded.</summary>
    public string? FailCountKey { get; init; }
    public string? FailCountValue { get; init; }
}

/// <summary>A location, colocation or order constraint, already formatted as its XML element.</summary>
public sealed record GeneratedConstraint(string Xml);
