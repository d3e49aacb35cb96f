namespace Cluster.Messaging.Config;

/// <summary>The <c>quorum { }</c> section (votequorum options; device keys as <c>device.*</c>).</summary>
public sealed record QuorumConfig(ConfSettings Values)
{
    public string? Provider => Values.Str("provider");
    public uint? ExpectedVotes => Values.U32("expected_votes");
    public uint Votes => Values.U32("votes") ?? 1;
    public bool TwoNode => Values.U32("two_node") is > 0;

    /// <summary>wait_for_all defaults to on when two_node is on (man votequorum).</summary>
    public bool WaitForAll => Values.U32("wait_for_all") is { } w ? w > 0 : TwoNode;

    public bool LastManStanding => Values.U32("last_man_standing") is > 0;
    public uint LastManStandingWindow => Values.U32("last_man_standing_window") ?? 10000;
    public bool AutoTieBreaker => Values.U32("auto_tie_breaker") is > 0;
    public string AutoTieBreakerNode => Values.Str("auto_tie_breaker_node") ?? "lowest";
    public bool AllowDownscale => Values.U32("allow_downscale") is > 0;
    public bool ExpectedVotesTracking => Values.U32("expected_votes_tracking") is > 0;
    public bool HasDevice => Values.Any(kv => kv.Key.StartsWith("device.", StringComparison.Ordinal));
}
