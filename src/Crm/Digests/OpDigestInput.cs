namespace Cluster.Crm.Digests;

/// <summary>
/// Everything an operation digest depends on, already resolved for one resource, node and
/// history entry, independent of any CIB model.
/// </summary>
/// <param name="Task">The entry's <c>operation</c> (a probe is <c>monitor</c> with interval 0).</param>
/// <param name="IntervalMs">The entry's <c>interval</c>: plain integer milliseconds.</param>
/// <param name="ResourceParameters">The resource's instance attributes for the node (see
/// <see cref="ParameterSet.Resolve"/>); empty for an orphan.</param>
/// <param name="OpParameters">The matching <c>&lt;op&gt;</c>'s own instance attributes ("extra").</param>
/// <param name="TimeoutMs">The op timeout after full precedence (<see cref="OpTimeout"/>); only
/// recurring ops digest it.</param>
/// <param name="IsStonith">Whether the resource is of class <c>stonith</c> (old secure digests).</param>
public sealed record OpDigestInput(
    string Task,
    long IntervalMs,
    IReadOnlyList<KeyValuePair<string, string>> ResourceParameters,
    IReadOnlyList<KeyValuePair<string, string>> OpParameters,
    long TimeoutMs = TimeSpec.DefaultTimeoutMs,
    bool IsStonith = false)
{
    public bool IsRecurring => IntervalMs != 0;
}

/// <summary>The digest attributes recorded on an <c>lrm_rsc_op</c> history entry (null = absent).</summary>
public sealed record RecordedDigests(
    string? OpDigest,
    string? RestartDigest = null,
    string? ForceRestart = null,
    string? SecureDigest = null,
    string? SecureParams = null,
    string? FeatureSet = null);

/// <summary>The digests Pacemaker's scheduler computes for a history entry.</summary>
/// <param name="All">Compared with <c>op-digest</c>.</param>
/// <param name="Restart">Compared with <c>op-restart-digest</c>; null unless the entry records one.</param>
/// <param name="Secure">Compared with <c>op-secure-digest</c> in sanitized mode.</param>
/// <param name="AllText">The text hashed for <see cref="All"/> (for diagnostics).</param>
public sealed record OpDigests(string All, string? Restart, string Secure, string AllText);

/// <summary>What the scheduler must do about a history entry after comparing digests.</summary>
public enum DigestVerdict
{
    /// <summary>The configuration still matches the history.</summary>
    Match,

    /// <summary>Stop and start the resource: "resource definition change".</summary>
    Restart,

    /// <summary>The parameters changed: re-schedule a recurring op, reload or restart otherwise.</summary>
    All,

    /// <summary>The entry has no <c>op-digest</c>; treated like <see cref="All"/>.</summary>
    Unknown,
}

/// <summary>The outcome of <see cref="OpDigest.Compare"/>.</summary>
/// <param name="Verdict">The decision.</param>
/// <param name="Digests">The computed digests.</param>
/// <param name="OnlyPrivateChanged">True when sanitized mode vetoed a change because the secure
/// digest still matches ("Only 'private' parameters ... changed").</param>
public sealed record DigestComparison(DigestVerdict Verdict, OpDigests Digests, bool OnlyPrivateChanged);
