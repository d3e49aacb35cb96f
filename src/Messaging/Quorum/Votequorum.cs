using System.Collections.Immutable;
using System.Globalization;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Quorum;

/// <summary>
/// The votequorum service as a sans-IO state machine: votes and expected votes per node, the
/// quorum calculation with two_node, wait_for_all, last_man_standing, auto_tie_breaker and
/// allow_downscale, run-time reconfiguration, and the quorum callbacks. Every member applies the
/// same NODEINFO / RECONFIGURE messages in the same order, so all agree.
/// </summary>
public sealed class Votequorum : ISyncService
{
    private const string Voteq = "VOTEQ ";
    private const string QuorumTag = "QUORUM";

    private sealed class NodeRecord(NodeId id)
    {
        public NodeId Id { get; } = id;
        public NodeState State { get; set; } = NodeState.Dead;
        public uint Votes { get; set; } = 1;
        public uint ExpectedVotes { get; set; }
        public NodeFlags Flags { get; set; }
    }

    private readonly QuorumOptions _options;
    private readonly SortedDictionary<NodeId, NodeRecord> _nodes = [];
    private readonly NodeRecord _us;
    private readonly HashSet<ClientId> _trackers = [];
    private uint _quorum;
    private bool _quorate;
    private bool _notifiedQuorate;
    private bool _waitForAllStatus;
    private bool _inSync;
    private bool _lmsArmed;
    private RingId _ringId;
    private ImmutableArray<NodeId> _members = [];
    private ImmutableArray<NodeId> _previousMembers = [];
    private SyncContext? _pending;

    public Votequorum(QuorumOptions options)
    {
        _options = options;
        _us = Node(options.LocalNode);
        _us.State = NodeState.Member;
        _us.Votes = options.Votes;
        _us.ExpectedVotes = options.ExpectedVotes;
        _waitForAllStatus = options.WaitForAll;
        foreach (var id in options.ConfiguredNodes)
            Node(id);
        _quorum = CalculateQuorum(_us.ExpectedVotes, _us.Votes);
    }

    public ServiceId Id => ServiceId.Votequorum;

    public bool Quorate => _quorate;

    /// <summary>The quorum of votes needed (the `Quorum:` line).</summary>
    public uint QuorumVotes => _quorum;

    public bool WaitForAllStatus => _waitForAllStatus;

    public RingId RingId => _ringId;

    /// <summary>Logged at service start, as the real daemon does before the first ring.</summary>
    public void Start(ServiceOutput output)
    {
        output.Log(LogLevel.Information, QuorumTag, "Using quorum provider corosync_votequorum");
        if (_options.WaitForAll && _waitForAllStatus)
            LogWaiting(output, _us.Votes);
    }

    public void SyncInit(SyncContext context, ServiceOutput output)
    {
        _inSync = true;
        _pending = context;
        output.Log(LogLevel.Information, QuorumTag, ListLine("Sync members", context.Members));
        if (context.Joined.Length > 0)
            output.Log(LogLevel.Information, QuorumTag, ListLine("Sync joined", context.Joined));
        if (context.Left.Length > 0)
            output.Log(LogLevel.Information, QuorumTag, ListLine("Sync left", context.Left));

        bool downscale = false;
        foreach (var node in _nodes.Values)
        {
            if (node.Id == _us.Id || context.Members.Contains(node.Id))
                continue;
            if (node.State == NodeState.Leaving && _options.AllowDownscale)
                downscale = true;
            if (node.State != NodeState.Dead)
                node.State = NodeState.Dead;
        }
        if (downscale)
            Recalculate(output, allowDecrease: true);
    }

    public IReadOnlyList<byte[]> SyncMessages() => [OwnNodeInfo().Encode()];

    public void OnSyncMessage(NodeId sender, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
        if (VotequorumMessage.Decode(VotequorumMessage.NodeInfoFunction, payload) is NodeInfoMessage info)
            HandleNodeInfo(sender, info, output);
    }

    public void SyncActivate(ServiceOutput output)
    {
        if (_pending is { } ctx)
        {
            _previousMembers = _members;
            _ringId = ctx.RingId;
            _members = ctx.Members;
        }
        _pending = null;
        _inSync = false;
        Recalculate(output, allowDecrease: false);

        if (_options.LastManStanding)
        {
            if (_quorate && _previousMembers.Any(m => !_members.Contains(m)))
            {
                _lmsArmed = true;
                output.Add(new ServiceTimer(ServiceId.Votequorum, _options.LastManStandingWindow));
            }
            else if (_lmsArmed && _members.Any(m => !_previousMembers.Contains(m)))
            {
                _lmsArmed = false;
                output.Add(new ServiceTimer(ServiceId.Votequorum, null));
            }
        }
        NotifyQuorum(output, always: true);
    }

    public void SyncAbort()
    {
        _pending = null;
        _inSync = false;
    }

    public void OnExec(NodeId sender, ushort function, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
        switch (VotequorumMessage.Decode(function, payload))
        {
            case NodeInfoMessage info:
                HandleNodeInfo(sender, info, output);
                if (!_inSync)
                    NotifyQuorum(output, always: false);
                break;
            case ReconfigureMessage reconfigure:
                HandleReconfigure(reconfigure, output);
                if (!_inSync)
                    NotifyQuorum(output, always: false);
                break;
        }
    }

    /// <summary>The last_man_standing window expired.</summary>
    public void OnTimer(ServiceOutput output)
    {
        if (!_lmsArmed)
            return;
        _lmsArmed = false;
        if (!_quorate)
            return;
        Recalculate(output, allowDecrease: true, byCurrentNodes: true);
        NotifyQuorum(output, always: false);
    }

    /// <summary>Tracks quorum changes for a client; it gets the current state at once.</summary>
    public void Track(ClientId client, ServiceOutput output)
    {
        _trackers.Add(client);
        output.Notify(client, new QuorumChangedEvent(_quorate, _ringId, _members));
    }

    public void ClientGone(ClientId client) => _trackers.Remove(client);

    /// <summary>
    /// Validates a run-time expected_votes change (corosync-quorumtool -e) and returns the message to
    /// multicast, or null when the value would make the cluster unable to reach quorum.
    /// </summary>
    public ReconfigureMessage? RequestExpectedVotes(uint expected)
    {
        uint total = TotalVotes(out _);
        uint newQuorum = CalculateQuorum(expected, total);
        if (expected == 0 || newQuorum < total / 2 || newQuorum > total)
            return null;
        return new ReconfigureMessage(_us.Id, expected, ReconfigureParameter.ExpectedVotes);
    }

    /// <summary>A run-time change of one node's votes (corosync-quorumtool -v), or null if invalid.</summary>
    public ReconfigureMessage? RequestNodeVotes(NodeId node, uint votes)
    {
        if (!_nodes.ContainsKey(node))
            return null;
        // The new total must fit the 32-bit vote arithmetic (2^32-1 votes wrapped the total).
        ulong total = 0;
        foreach (var n in _nodes.Values)
            if (n.State == NodeState.Member)
                total += n.Id == node ? votes : n.Votes;
        if (total > uint.MaxValue)
            return null;
        return new ReconfigureMessage(node, votes, ReconfigureParameter.NodeVotes);
    }

    public static ReconfigureMessage RequestCancelWaitForAll(NodeId self) => new(self, 0, ReconfigureParameter.CancelWaitForAll);

    /// <summary>The NODEINFO to multicast before a graceful shutdown (others downscale with allow_downscale).</summary>
    public NodeInfoMessage LeavingNodeInfo() => OwnNodeInfo() with { Flags = OwnNodeInfo().Flags | NodeFlags.Leaving };

    public QuorumStatus Status()
    {
        uint total = TotalVotes(out _);
        uint highest = 0;
        var members = ImmutableArray.CreateBuilder<QuorumMember>();
        foreach (var node in _nodes.Values)
        {
            if (node.State != NodeState.Member)
                continue;
            highest = Math.Max(highest, node.ExpectedVotes);
            if (_members.Length == 0 ? node.Id == _us.Id : _members.Contains(node.Id))
                members.Add(new QuorumMember(node.Id, node.Votes, node.State));
        }
        return new QuorumStatus(_us.Id, _ringId, _quorate, _us.ExpectedVotes, Math.Max(highest, _us.ExpectedVotes), total, _quorum,
            _options.TwoNode, _options.WaitForAll, _waitForAllStatus, _options.LastManStanding, _options.AutoTieBreaker,
            _options.AllowDownscale, members.ToImmutable());
    }

    /// <summary>runtime.votequorum.* values: lowest and highest node id ever seen.</summary>
    public (NodeId Lowest, NodeId Highest) NodeIdRange()
    {
        var seen = _nodes.Values.Where(n => n.State == NodeState.Member || _options.ConfiguredNodes.Contains(n.Id)).Select(n => n.Id).ToList();
        if (seen.Count == 0)
            return (_us.Id, _us.Id);
        return (seen.Min(), seen.Max());
    }

    private NodeInfoMessage OwnNodeInfo()
    {
        var flags = NodeFlags.None;
        if (_quorate) flags |= NodeFlags.Quorate;
        if (_waitForAllStatus) flags |= NodeFlags.WaitForAllStatus;
        return new NodeInfoMessage(_us.Id, _us.Votes, _us.ExpectedVotes, flags);
    }

    private NodeRecord Node(NodeId id)
    {
        if (!_nodes.TryGetValue(id, out var node))
        {
            node = new NodeRecord(id) { ExpectedVotes = _options.ExpectedVotes };
            _nodes.Add(id, node);
        }
        return node;
    }

    private void HandleNodeInfo(NodeId sender, NodeInfoMessage info, ServiceOutput output)
    {
        if (info.Node.Value == 0 || info.Node != sender)
            return; // qdevice pseudo node (not supported) or a forged record
        var node = Node(info.Node);
        bool leaving = (info.Flags & NodeFlags.Leaving) != 0;
        bool allowDecrease = false;
        node.Votes = info.Votes;
        node.Flags = info.Flags;
        if (node != _us)
        {
            bool senderQuorate = (info.Flags & NodeFlags.Quorate) != 0;
            node.ExpectedVotes = senderQuorate ? info.ExpectedVotes : _us.ExpectedVotes;
            if (!_quorate && senderQuorate)
            {
                allowDecrease = true;
                _us.ExpectedVotes = info.ExpectedVotes;
            }
            // A node that joins a running quorate cluster need not wait for all.
            if (_waitForAllStatus && senderQuorate && (info.Flags & NodeFlags.WaitForAllStatus) == 0)
                _waitForAllStatus = false;
        }
        if (leaving)
        {
            node.State = NodeState.Leaving;
            if (_options.AllowDownscale && node != _us)
            {
                uint lowered = Math.Max(1, _us.ExpectedVotes > node.Votes ? _us.ExpectedVotes - node.Votes : 1);
                _us.ExpectedVotes = lowered;
                foreach (var n in _nodes.Values)
                    n.ExpectedVotes = Math.Min(n.ExpectedVotes, lowered);
                allowDecrease = true;
            }
        }
        else
        {
            node.State = NodeState.Member;
        }
        Recalculate(output, allowDecrease);
    }

    private void HandleReconfigure(ReconfigureMessage message, ServiceOutput output)
    {
        switch (message.Parameter)
        {
            case ReconfigureParameter.ExpectedVotes:
                foreach (var n in _nodes.Values)
                    if (n.State == NodeState.Member)
                        n.ExpectedVotes = message.Value;
                _us.ExpectedVotes = message.Value;
                Recalculate(output, allowDecrease: true);
                break;
            case ReconfigureParameter.NodeVotes:
                if (_nodes.TryGetValue(message.Node, out var node))
                    node.Votes = message.Value;
                Recalculate(output, allowDecrease: true);
                break;
            case ReconfigureParameter.CancelWaitForAll:
                _waitForAllStatus = false;
                Recalculate(output, allowDecrease: false);
                break;
        }
    }

    private uint TotalVotes(out int memberCount)
    {
        uint total = 0;
        memberCount = 0;
        foreach (var n in _nodes.Values)
        {
            if (n.State != NodeState.Member)
                continue;
            total += n.Votes;
            memberCount++;
        }
        return total;
    }

    // In 64 bits: with uint, an expected_votes of 2^32-1 wrapped to quorum 0 and passed every check.
    private static uint CalculateQuorum(uint highestExpected, uint total) =>
        (uint)Math.Max(((ulong)highestExpected + 2) / 2, ((ulong)total + 2) / 2);

    private void Recalculate(ServiceOutput output, bool allowDecrease, bool byCurrentNodes = false)
    {
        uint total = TotalVotes(out int memberCount);
        uint highest = 0;
        foreach (var n in _nodes.Values)
            if (n.State == NodeState.Member)
                highest = Math.Max(highest, n.ExpectedVotes);

        if (total > _us.ExpectedVotes)
        {
            _us.ExpectedVotes = total;
            highest = Math.Max(highest, total);
        }
        if (byCurrentNodes)
        {
            _us.ExpectedVotes = total;
            foreach (var n in _nodes.Values)
                if (n.State == NodeState.Member)
                    n.ExpectedVotes = total;
            highest = total;
            allowDecrease = true;
        }
        highest = Math.Max(highest, _us.ExpectedVotes);

        uint quorum = CalculateQuorum(highest, total);
        if (!allowDecrease)
            quorum = Math.Max(quorum, _quorum);
        if (_options.TwoNode && memberCount <= 2)
            quorum = 1;
        _quorum = quorum;
        AreWeQuorate(output, total);
    }

    private void AreWeQuorate(ServiceOutput output, uint total)
    {
        bool quorate;
        if (_options.WaitForAll && _waitForAllStatus && total != _us.ExpectedVotes)
        {
            LogWaiting(output, total);
            quorate = false;
        }
        else
        {
            quorate = total >= _quorum;
            if (!quorate && _options.AutoTieBreaker && total == _us.ExpectedVotes / 2 && TieBreakerInPartition())
                quorate = true;
        }
        if (quorate && _waitForAllStatus)
            _waitForAllStatus = false;
        if (quorate != _quorate)
        {
            output.Log(LogLevel.Trace, Voteq, quorate ? "quorum regained, resuming activity" : "quorum lost, blocking activity");
            _quorate = quorate;
        }
        _us.Flags = quorate ? _us.Flags | NodeFlags.Quorate : _us.Flags & ~NodeFlags.Quorate;
    }

    private bool IsMember(NodeId id) => _nodes.TryGetValue(id, out var n) && n.State == NodeState.Member;

    private bool TieBreakerInPartition()
    {
        switch (_options.TieBreaker)
        {
            case TieBreakerMode.List:
                foreach (var id in _options.TieBreakerNodes)
                {
                    if (IsMember(id))
                        return true;
                    if (_previousMembers.Contains(id) || _members.Contains(id))
                        return false; // an earlier-listed node is alive on the other side
                }
                return false;
            case TieBreakerMode.Highest:
                return IsMember(NodeIdRange().Highest);
            default:
                return IsMember(NodeIdRange().Lowest);
        }
    }

    private void NotifyQuorum(ServiceOutput output, bool always)
    {
        bool changed = _quorate != _notifiedQuorate;
        if (!changed && !always)
            return;
        if (changed)
        {
            output.Log(LogLevel.Information, QuorumTag, _quorate
                ? "This node is within the primary component and will provide service."
                : "This node is within the non-primary component and will NOT provide any services.");
            _notifiedQuorate = _quorate;
        }
        output.Log(LogLevel.Information, QuorumTag, ListLine("Members", _members));
        foreach (var client in _trackers)
            output.Notify(client, new QuorumChangedEvent(_quorate, _ringId, _members));
    }

    private void LogWaiting(ServiceOutput output, uint total) =>
        output.Log(LogLevel.Information, Voteq, string.Create(CultureInfo.InvariantCulture,
            $"Waiting for all cluster members. Current votes: {total} expected_votes: {_us.ExpectedVotes}"));

    /// <summary>`Members[2]: 1 2` as the quorum service prints node lists.</summary>
    public static string ListLine(string label, IReadOnlyCollection<NodeId> nodes) =>
        string.Create(CultureInfo.InvariantCulture, $"{label}[{nodes.Count}]:") +
        string.Concat(nodes.Select(n => " " + n.Value.ToString(CultureInfo.InvariantCulture)));
}
