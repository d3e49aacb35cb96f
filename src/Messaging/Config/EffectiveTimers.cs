namespace Cluster.Messaging.Config;

/// <summary>knet heartbeat timing of one link, as <c>runtime.config.totem.interface.N.*</c> shows it.</summary>
public sealed record LinkTimers(byte Link, uint KnetPingInterval, uint KnetPingTimeout);

/// <summary>
/// The timers and constants Totem actually runs with, after corosync 3.1.7's derivations
/// (what <c>runtime.config.totem.*</c> shows): the token grows by token_coefficient per node
/// beyond two, and token_retransmit, hold and consensus follow from the effective token unless
/// set explicitly. All times in milliseconds.
/// </summary>
public sealed record EffectiveTimers(
    uint Token,
    uint TokenRetransmit,
    uint Hold,
    uint Consensus,
    uint Join,
    uint SendJoin,
    uint Merge,
    uint Downcheck,
    uint FailRecvConst,
    uint SeqnoUnchangedConst,
    uint MissCountConst,
    uint WindowSize,
    uint MaxMessages,
    uint MaxNetworkDelay,
    uint HeartbeatFailuresAllowed,
    uint TokenWarning,
    uint TokenRetransmitsBeforeLossConst,
    ValueList<LinkTimers> Links)
{
    /// <param name="totem">The totem section.</param>
    /// <param name="nodeCount">Nodes in the nodelist (the coefficient applies from 3 nodes on).</param>
    /// <param name="links">Configured links with their interface block, if any.</param>
    public static EffectiveTimers Compute(TotemConfig totem, int nodeCount, IEnumerable<(byte Link, InterfaceConfig? Interface)> links)
    {
        ArgumentNullException.ThrowIfNull(totem);
        ArgumentNullException.ThrowIfNull(links);
        var token = totem.Token;
        if (nodeCount > 2)
            token = (uint)Math.Min(uint.MaxValue, token + (ulong)(nodeCount - 2) * totem.TokenCoefficient);
        var retransmits = totem.TokenRetransmitsBeforeLossConst;
        // The casts reproduce corosync's C arithmetic (double, truncation; float for consensus).
        var tokenRetransmit = totem.TokenRetransmit ?? (uint)(token / (retransmits + 0.2));
        var holdValue = tokenRetransmit * 0.8 - TotemDefaults.TickMs;
        var hold = totem.Hold ?? (holdValue <= 0 ? 0 : (uint)holdValue);
        var consensus = totem.Consensus ?? (uint)(float)(1.2 * token);
        var linkTimers = links.Select(l =>
        {
            var pongs = Math.Max(1u, l.Interface?.KnetPongCount ?? TotemDefaults.KnetPongCount);
            return new LinkTimers(l.Link,
                l.Interface?.KnetPingInterval ?? token / (pongs * 2),
                l.Interface?.KnetPingTimeout ?? token / pongs);
        });
        return new EffectiveTimers(token, tokenRetransmit, hold, consensus, totem.Join, totem.SendJoin,
            totem.Merge, totem.Downcheck, totem.FailRecvConst, totem.SeqnoUnchangedConst, totem.MissCountConst,
            totem.WindowSize, totem.MaxMessages, totem.MaxNetworkDelay, totem.HeartbeatFailuresAllowed,
            totem.TokenWarning, retransmits, new ValueList<LinkTimers>(linkTimers));
    }
}
