using System.Diagnostics;
using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Planning;

namespace Cluster.Tools.Crm.Access;

/// <summary>
/// Waiting on the live cluster: the CIB is read again every <see cref="Interval"/> until a
/// condition on it holds or the time is up (always bounded: a zero timeout means an hour, as
/// pcs and crm_resource default to).
/// </summary>
public static class ClusterWait
{
    /// <summary>Short enough that a tool returns soon after the cluster settles, long enough not to load the CIB manager.</summary>
    public static TimeSpan Interval { get; } = TimeSpan.FromMilliseconds(200);

    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromHours(1);

    /// <summary>The outcome: the last CIB read, whether the condition held, and a query's error if one failed.</summary>
    public sealed record Result(XElement? Cib, bool Reached, string? Error);

    public static Result Until(ICibClient client, Func<XElement, bool> done, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(done);
        if (timeout <= TimeSpan.Zero) timeout = DefaultTimeout;
        var clock = Stopwatch.StartNew();
        XElement? last = null;
        while (true)
        {
            var (cib, reply) = CibConnection.Query(client);
            if (cib is null) return new Result(last, false, reply.Error);
            last = cib;
            if (done(cib)) return new Result(cib, true, null);
            if (clock.Elapsed >= timeout) return new Result(cib, false, null);
            Thread.Sleep(Interval);
        }
    }

    /// <summary>
    /// Until the cluster is idle: a DC is elected and the scheduler has nothing left to do on the
    /// current CIB (crm_resource --wait).
    /// </summary>
    public static Result Idle(ICibClient client, TimeSpan timeout) =>
        Until(client, cib => cib.Attribute("dc-uuid") is not null && ClusterSimulation.PendingActions(cib, DateTimeOffset.UtcNow).Count == 0, timeout);
}
