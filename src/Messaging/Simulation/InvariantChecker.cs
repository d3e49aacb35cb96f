using System.Collections.Immutable;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Simulation;

/// <summary>
/// Checks the invariants of messaging-spec §2.10 as deliveries and configuration changes happen.
/// Messages are identified as (originator, counter) from their tag (see <see cref="SimPayload"/>);
/// 0-byte messages can only be checked for origin.
/// </summary>
public sealed class InvariantChecker
{
    private sealed class Epoch(RingId ring, ImmutableArray<NodeId> members)
    {
        public readonly RingId Ring = ring;
        public readonly ImmutableArray<NodeId> Members = members;
        public readonly List<long> Regular = [];
        public RingId? Next;
        public ImmutableArray<NodeId> TransMembers;
        public readonly List<long> Trans = [];
    }

    private sealed class Track
    {
        public Epoch? Current;
        public bool Fresh = true;          // no regular configuration yet in this incarnation
        public RingId? FreshTransitional;
        public ulong LastRegularSeq;
        public readonly HashSet<long> Delivered = [];
        public readonly Dictionary<uint, long> LastFrom = [];
        public readonly List<long> AcceptedThisIncarnation = [];
    }

    private readonly Dictionary<uint, Track> _tracks = [];
    private readonly Dictionary<RingId, ImmutableArray<NodeId>> _ringMembers = [];
    private readonly Dictionary<RingId, long[]> _longestRegular = [];
    private readonly Dictionary<(RingId, RingId), (uint Node, ImmutableArray<NodeId> Trans, long[] Seq)> _moves = [];
    private readonly HashSet<long> _accepted = [];
    private readonly HashSet<uint> _zeroSenders = [];

    public string? Violation { get; private set; }
    public long Delivered { get; private set; }
    public int Configurations => _ringMembers.Count;
    /// <summary>Regular configuration changes delivered, all nodes together.</summary>
    public int RegularChanges { get; private set; }

    public static long Id(uint node, long counter) => ((long)node << 40) | counter;

    private static string Name(long id) => $"{id >> 40}:{id & ((1L << 40) - 1)}";

    private Track T(uint node)
    {
        if (!_tracks.TryGetValue(node, out var t)) _tracks[node] = t = new Track();
        return t;
    }

    private void Fail(string text) => Violation ??= text;

    /// <summary>Records a violation found outside the checker (progress, persistence); the first one wins.</summary>
    public void Report(string text) => Fail(text);

    public void OnSubmitted(uint node, long counter, int size)
    {
        if (size == 0) { _zeroSenders.Add(node); return; }
        var id = Id(node, counter);
        _accepted.Add(id);
        T(node).AcceptedThisIncarnation.Add(id);
    }

    public void OnDeliver(uint node, Delivery d)
    {
        var t = T(node);
        Delivered++;
        var tag = SimPayload.Identify(d.Payload.Span, out var corruption);
        if (corruption is not null) { Fail($"no creation: node {node} delivered a message from {d.Sender}: {corruption}"); return; }
        if (tag is null)
        {
            if (!_zeroSenders.Contains(d.Sender.Value)) Fail($"no creation: node {node} delivered a 0-byte message from {d.Sender}, which never sent one");
            return;
        }
        var (origin, counter) = tag.Value;
        var id = Id(origin, counter);
        if (origin != d.Sender.Value) { Fail($"no creation: node {node} delivered {Name(id)} as sent by {d.Sender}"); return; }
        if (!_accepted.Contains(id)) { Fail($"no creation: node {node} delivered {Name(id)}, which was never submitted"); return; }
        if (!t.Delivered.Add(id)) { Fail($"no duplication: node {node} delivered {Name(id)} twice"); return; }
        if (t.LastFrom.TryGetValue(origin, out var last) && last >= counter)
            Fail($"sender order: node {node} delivered {Name(id)} after {origin}:{last}");
        t.LastFrom[origin] = counter;
        if (t.Current is null) { Fail($"node {node} delivered {Name(id)} outside any configuration"); return; }
        (t.Current.Next is null ? t.Current.Regular : t.Current.Trans).Add(id);
    }

    public void OnConfiguration(uint node, ConfigurationChange c)
    {
        var t = T(node);
        var me = new NodeId(node);
        if (c.Kind == ConfigurationKind.Transitional)
        {
            if (t.Current is null)
            {
                if (!t.Fresh) { Fail($"node {node} got a transitional configuration outside any configuration"); return; }
                t.FreshTransitional = c.RingId;
                return;
            }
            if (t.Current.Next is not null) { Fail($"node {node} got two transitional configurations in a row ({c.RingId})"); return; }
            t.Current.Next = c.RingId;
            t.Current.TransMembers = c.Members;
            foreach (var m in c.Members)
                if (!t.Current.Members.Contains(m))
                    Fail($"transitional correctness: node {node}: member {m} of transitional {c.RingId} was not in {t.Current.Ring}");
            return;
        }

        RegularChanges++;
        if (!c.Members.Contains(me)) Fail($"node {node} installed {c.RingId} without being a member");
        if (!c.Members.SequenceEqual(c.Members.Order())) Fail($"members of {c.RingId} not sorted");
        if (_ringMembers.TryGetValue(c.RingId, out var known))
        {
            if (!known.SequenceEqual(c.Members))
                Fail($"configuration agreement: ring {c.RingId} installed with members [{string.Join(' ', known)}] and [{string.Join(' ', c.Members)}] (node {node})");
        }
        else _ringMembers[c.RingId] = c.Members;
        if (c.RingId.Sequence <= t.LastRegularSeq)
            Fail($"ring sequence: node {node} installed {c.RingId} after a ring with sequence {t.LastRegularSeq:x}");
        t.LastRegularSeq = c.RingId.Sequence;

        if (t.Current is null)
        {
            if (t.FreshTransitional != c.RingId) Fail($"node {node} installed {c.RingId} without a transitional configuration first");
        }
        else
        {
            var e = t.Current;
            if (e.Next != c.RingId) { Fail($"node {node} installed {c.RingId} without its transitional configuration"); return; }
            foreach (var m in e.TransMembers)
                if (!c.Members.Contains(m))
                    Fail($"transitional correctness: node {node}: member {m} of transitional {c.RingId} is not in the new ring");
            CheckPrefix(node, e);
            long[] seq = [.. e.Regular, .. e.Trans];
            var key = (e.Ring, c.RingId);
            if (_moves.TryGetValue(key, out var other))
            {
                if (!other.Trans.SequenceEqual(e.TransMembers))
                    Fail($"transitional agreement: nodes {other.Node} and {node} moved {e.Ring} -> {c.RingId} with transitional members [{string.Join(' ', other.Trans)}] vs [{string.Join(' ', e.TransMembers)}]");
                else if (!other.Seq.AsSpan().SequenceEqual(seq))
                    Fail($"virtual synchrony: nodes {other.Node} and {node} moved {e.Ring} -> {c.RingId} after delivering different messages in {e.Ring} ({Describe(other.Seq, seq)})");
            }
            else _moves[key] = (node, e.TransMembers, seq);
        }
        t.Fresh = false;
        t.FreshTransitional = null;
        t.Current = new Epoch(c.RingId, c.Members);
    }

    private static string Describe(long[] a, long[] b)
    {
        int i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        string At(long[] s) => i < s.Length ? Name(s[i]) : "end";
        return $"{a.Length} vs {b.Length} messages, first difference at #{i}: {At(a)} vs {At(b)}";
    }

    private void CheckPrefix(uint node, Epoch e)
    {
        var mine = e.Regular;
        if (_longestRegular.TryGetValue(e.Ring, out var longest))
        {
            int n = Math.Min(longest.Length, mine.Count);
            for (int i = 0; i < n; i++)
            {
                if (longest[i] != mine[i])
                {
                    Fail($"agreed order: in ring {e.Ring} node {node} delivered {Name(mine[i])} as message #{i} where another member delivered {Name(longest[i])}");
                    return;
                }
            }
            if (mine.Count > longest.Length) _longestRegular[e.Ring] = [.. mine];
        }
        else _longestRegular[e.Ring] = [.. mine];
    }

    /// <summary>The node crashed (or left): what it delivered so far must still agree with the others.</summary>
    public void OnStopped(uint node)
    {
        var t = T(node);
        if (t.Current is not null) CheckPrefix(node, t.Current);
        t.Current = null;
        t.Fresh = true;
        t.FreshTransitional = null;
        t.AcceptedThisIncarnation.Clear();
    }

    /// <summary>End of run: agreement of open configurations, and self-delivery for nodes still up.</summary>
    public void Finish(IEnumerable<uint> liveNodes, bool expectSelfDelivery)
    {
        foreach (var (node, t) in _tracks)
            if (t.Current is not null) CheckPrefix(node, t.Current);
        if (!expectSelfDelivery) return;
        foreach (var node in liveNodes)
        {
            var t = T(node);
            foreach (var id in t.AcceptedThisIncarnation)
                if (!t.Delivered.Contains(id)) { Fail($"self-delivery: node {node} never delivered its own message {Name(id)}"); return; }
        }
    }

    public bool HasDelivered(uint node, long id) => T(node).Delivered.Contains(id);
}
