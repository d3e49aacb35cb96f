namespace Cluster.Crm.Digests;

/// <summary>
/// The timeout an action runs with, by Pacemaker's precedence: the op's XML <c>timeout</c>
/// attribute, then its <c>meta_attributes</c>, then (probes only) the timeout of the
/// smallest-interval enabled recurring monitor, then <c>op_defaults</c>, then 20 s. For a
/// stonith resource's start or probe, <c>pcmk_monitor_timeout</c> beats all of them. The winner
/// is parsed alone: if it is unparsable the result is 20 s, not the next source.
/// </summary>
public static class OpTimeout
{
    public static long ResolveMs(
        string? opAttribute = null,
        string? opMeta = null,
        string? probeMonitorTimeout = null,
        string? opDefaults = null,
        string? stonithMonitorTimeout = null)
    {
        var winner = stonithMonitorTimeout ?? opAttribute ?? opMeta ?? probeMonitorTimeout ?? opDefaults;
        return TimeSpec.TimeoutMsOrDefault(winner);
    }
}
