using System.Collections.Immutable;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Quorum;

/// <summary>Which node wins an exact 50% split when auto_tie_breaker is on.</summary>
public enum TieBreakerMode
{
    Lowest,
    Highest,
    List,
}

/// <summary>
/// votequorum's configuration (quorum {} plus the nodelist's quorum_votes), already resolved:
/// expected votes derived from the nodelist when not given, wait_for_all implied by two_node.
/// </summary>
public sealed record QuorumOptions
{
    public required NodeId LocalNode { get; init; }
    public uint Votes { get; init; } = 1;
    public uint ExpectedVotes { get; init; } = 1;
    public bool TwoNode { get; init; }
    public bool WaitForAll { get; init; }
    public bool LastManStanding { get; init; }
    public TimeSpan LastManStandingWindow { get; init; } = TimeSpan.FromMilliseconds(10000);
    public bool AutoTieBreaker { get; init; }
    public TieBreakerMode TieBreaker { get; init; } = TieBreakerMode.Lowest;
    public ImmutableArray<NodeId> TieBreakerNodes { get; init; } = [];
    public bool AllowDownscale { get; init; }
    public bool ExpectedVotesTracking { get; init; }
    /// <summary>Every node id of the nodelist (for lowest/highest tie breaker); empty without a nodelist.</summary>
    public ImmutableArray<NodeId> ConfiguredNodes { get; init; } = [];

    /// <summary>
    /// Resolves the options as votequorum does at start. <paramref name="nodeVotes"/> is the
    /// nodelist (node id -> quorum_votes, default 1), null without a nodelist. Returns the options
    /// and the warnings votequorum logs (options it disables); throws
    /// <see cref="QuorumConfigurationException"/> for the combinations the real daemon refuses.
    /// </summary>
    public static (QuorumOptions Options, IReadOnlyList<string> Warnings) Resolve(
        NodeId localNode,
        IReadOnlyDictionary<NodeId, uint>? nodeVotes,
        uint? expectedVotes = null,
        uint? votes = null,
        bool twoNode = false,
        bool? waitForAll = null,
        bool lastManStanding = false,
        TimeSpan? lastManStandingWindow = null,
        bool autoTieBreaker = false,
        string? autoTieBreakerNode = null,
        bool allowDownscale = false,
        bool expectedVotesTracking = false)
    {
        var warnings = new List<string>();
        if (nodeVotes is null && expectedVotes is null)
            throw new QuorumConfigurationException("configuration error: nodelist or quorum.expected_votes must be configured!");

        uint myVotes = votes ?? 1;
        uint expected;
        if (nodeVotes is not null)
        {
            if (nodeVotes.TryGetValue(localNode, out var v))
                myVotes = v;
            expected = expectedVotes ?? (uint)nodeVotes.Values.Sum(x => (long)x);
        }
        else
        {
            expected = expectedVotes!.Value;
        }

        bool wfa = waitForAll ?? twoNode;
        var mode = TieBreakerMode.Lowest;
        ImmutableArray<NodeId> list = [];
        if (autoTieBreakerNode is { } atbNode && atbNode.Trim().Length > 0)
        {
            var t = atbNode.Trim();
            if (t == "lowest") mode = TieBreakerMode.Lowest;
            else if (t == "highest") mode = TieBreakerMode.Highest;
            else
            {
                var ids = new List<NodeId>();
                foreach (var part in t.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!uint.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) || id == 0)
                        throw new QuorumConfigurationException($"configuration error: invalid value \"{part}\" in quorum.auto_tie_breaker_node (expected lowest, highest or node ids)");
                    ids.Add(new NodeId(id));
                }
                mode = TieBreakerMode.List;
                list = [.. ids];
            }
        }

        bool atb = autoTieBreaker;
        bool two = twoNode;
        if (two && atb)
        {
            warnings.Add("two_node has been disabled, please check your corosync.conf");
            two = false;
        }
        int nodeCount = nodeVotes?.Count ?? 0;
        if (atb && nodeCount % 2 == 1 && !wfa)
        {
            if (lastManStanding)
                throw new QuorumConfigurationException("configuration error: auto_tie_breaker with an odd number of nodes requires wait_for_all when last_man_standing is set");
            warnings.Add("auto_tie_breaker with an odd number of nodes requires wait_for_all: auto_tie_breaker disabled");
            atb = false;
        }
        bool lms = lastManStanding;
        if (lms && nodeVotes is not null && nodeVotes.Values.Any(v => v != 1))
        {
            warnings.Add("last_man_standing requires all nodes to have 1 vote: last_man_standing disabled");
            lms = false;
        }

        var options = new QuorumOptions
        {
            LocalNode = localNode,
            Votes = myVotes,
            ExpectedVotes = Math.Max(expected, 1),
            TwoNode = two,
            WaitForAll = wfa,
            LastManStanding = lms,
            LastManStandingWindow = lastManStandingWindow ?? TimeSpan.FromMilliseconds(10000),
            AutoTieBreaker = atb,
            TieBreaker = mode,
            TieBreakerNodes = list,
            AllowDownscale = allowDownscale,
            ExpectedVotesTracking = expectedVotesTracking || allowDownscale,
            ConfiguredNodes = nodeVotes is null ? [] : [.. nodeVotes.Keys.Order()],
        };
        return (options, warnings);
    }
}

/// <summary>A quorum {} combination the daemon refuses to start with.</summary>
public sealed class QuorumConfigurationException(string message) : Exception(message);
