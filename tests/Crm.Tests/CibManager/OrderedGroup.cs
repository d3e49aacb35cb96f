using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;

namespace Cluster.Crm.Tests.CibManager;

/// <summary>
/// A small in-memory stand-in for a CPG group with agreed order: one global queue; a message is
/// delivered to every member of the configuration current at its delivery, in queue order; a
/// membership change is one queue entry delivered to the new members. Records every effect and
/// checks, on every step, that no node's version goes backwards.
/// </summary>
internal sealed class OrderedGroup
{
    private readonly Queue<(uint Sender, byte[]? Payload, IReadOnlyList<uint>? Members)> _queue = new();
    private readonly Dictionary<uint, CibVersion> _lastVersion = [];
    private long _callIds;

    public Dictionary<uint, CibCore> Nodes { get; } = [];
    public List<uint> Members { get; private set; } = [];
    public List<(uint Node, long CallId, CibReply Reply)> Replies { get; } = [];
    public Dictionary<uint, int> Persisted { get; } = [];
    public List<string> Violations { get; } = [];
    public DateTimeOffset Now { get; set; } = new(2026, 11, 21, 22, 35, 25, TimeSpan.Zero);

    public CibCore Add(uint node, XElement? stored = null)
    {
        var core = new CibCore(node, $"node{node}", stored);
        Nodes[node] = core;
        _lastVersion[node] = core.Version;
        return core;
    }

    public void Join(uint node) => ChangeMembers([.. Members.Append(node).Distinct().Order()]);

    public void Leave(uint node) => ChangeMembers([.. Members.Where(n => n != node)]);

    public void ChangeMembers(IReadOnlyList<uint> members) => _queue.Enqueue((0, null, members));

    /// <summary>A client call on <paramref name="node"/>; returns its call id.</summary>
    public long Call(uint node, CibRequest request)
    {
        var id = ++_callIds;
        Apply(node, Nodes[node].Handle(new CibClientRequest(node, id, request, "cibadmin", "root", Now)));
        return id;
    }

    public CibReply? ReplyTo(long callId) => Replies.FirstOrDefault(r => r.CallId == callId).Reply;

    /// <summary>Delivers everything queued (and what that causes), bounded.</summary>
    public void Run(int maxSteps = 100_000)
    {
        for (int step = 0; step < maxSteps && _queue.Count > 0; step++) Step();
        if (_queue.Count > 0) Violations.Add("queue did not drain");
    }

    /// <summary>Delivers one queued entry.</summary>
    public bool Step()
    {
        if (!_queue.TryDequeue(out var entry)) return false;
        if (entry.Members is { } members)
        {
            var previous = Members;
            Members = [.. members];
            // Members that left learn that they are out; the new configuration's members get the change.
            foreach (var n in previous.Where(n => !Members.Contains(n))) Apply(n, Nodes[n].Handle(new CibMembership(Members)));
            foreach (var n in Members) Apply(n, Nodes[n].Handle(new CibMembership(Members)));
            return true;
        }
        if (!Members.Contains(entry.Sender)) return true; // sent by a node no longer in the group
        foreach (var n in Members.ToList()) Apply(n, Nodes[n].Handle(new CibDelivered(entry.Sender, entry.Payload!)));
        return true;
    }

    private void Apply(uint node, IReadOnlyList<CibEffect> effects)
    {
        foreach (var e in effects)
        {
            switch (e)
            {
                case CibSend s: _queue.Enqueue((node, s.Payload, null)); break;
                case CibRespond r: Replies.Add((node, r.CallId, r.Reply)); break;
                case CibPersist: Persisted[node] = Persisted.GetValueOrDefault(node) + 1; break;
            }
        }
        var v = Nodes[node].Version;
        if (v < _lastVersion[node]) Violations.Add($"node {node}: version went back from {_lastVersion[node]} to {v}");
        _lastVersion[node] = v;
    }

    public IReadOnlyList<string> Digests() => [.. Members.Select(n => CibFileDigest.Compute(Nodes[n].Cib))];
}
