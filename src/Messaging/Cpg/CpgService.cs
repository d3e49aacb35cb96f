using System.Collections.Immutable;
using System.Text;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Cpg;

/// <summary>
/// Closed process groups as a sans-IO service. Joins, leaves and messages from local clients
/// become exec messages; their delivery, in the ring's total order, is what changes group state
/// and triggers callbacks, so every node sees the same sequence of changes and messages per group.
/// After each configuration every node multicasts its local (group, pid) list; on activation,
/// processes of departed nodes leave with NODEDOWN and those of arriving nodes join with NODEUP.
/// </summary>
public sealed class CpgService : ISyncService
{
    private readonly NodeId _local;
    // Groups in creation order; members in join order.
    private readonly List<(string Group, List<CpgAddress> Members)> _groups = [];
    private readonly Dictionary<(string Group, uint Pid), ClientId> _localJoins = [];
    private readonly HashSet<ClientId> _clients = [];
    private readonly Dictionary<NodeId, List<(string Group, uint Pid)>> _joinLists = [];
    // Nodes that left in a configuration whose sync was aborted: they may be back in the next
    // one without our having told anyone they were gone.
    private readonly HashSet<NodeId> _departed = [];
    private SyncContext? _sync;
    private RingId _ringId;
    private ImmutableArray<NodeId> _members = [];

    public CpgService(NodeId local) => _local = local;

    public ServiceId Id => ServiceId.Cpg;

    /// <summary>Every group and its members, newest group first (the order corosync-cpgtool prints).</summary>
    public IReadOnlyList<(string Group, ImmutableArray<CpgAddress> Members)> Groups() =>
        [.. Enumerable.Reverse(_groups).Where(g => g.Members.Count > 0).Select(g => (g.Group, g.Members.ToImmutableArray()))];

    public ImmutableArray<CpgAddress> MembersOf(string group) =>
        Find(group) is { } m ? [.. m] : [];

    /// <summary>A client connected to CPG: it gets totem configuration callbacks.</summary>
    public void Register(ClientId client) => _clients.Add(client);

    public CpgResult Join(ClientId client, string group, uint pid, ServiceOutput output)
    {
        if (!ValidName(group))
            return CpgResult.InvalidParam;
        if (!_localJoins.TryAdd((group, pid), client))
            return CpgResult.Exist;
        _clients.Add(client);
        output.Send(ServiceId.Cpg, CpgMessage.ProcJoin, CpgMessage.EncodeJoin(group, pid));
        return CpgResult.Ok;
    }

    public CpgResult Leave(ClientId client, string group, uint pid, ServiceOutput output)
    {
        if (!_localJoins.TryGetValue((group, pid), out var owner) || owner != client)
            return CpgResult.NotExist;
        output.Send(ServiceId.Cpg, CpgMessage.ProcLeave, CpgMessage.EncodeLeave(group, pid, CpgReason.Leave));
        return CpgResult.Ok;
    }

    public CpgResult Multicast(ClientId client, string group, uint pid, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
        if (!_localJoins.TryGetValue((group, pid), out var owner) || owner != client)
            return CpgResult.NotExist;
        output.Send(ServiceId.Cpg, CpgMessage.Mcast, CpgMessage.EncodeMcast(group, pid, payload));
        return CpgResult.Ok;
    }

    /// <summary>A client disconnected or died: its processes leave every group with PROCDOWN.</summary>
    public void ClientGone(ClientId client, ServiceOutput output)
    {
        _clients.Remove(client);
        foreach (var key in _localJoins.Where(kv => kv.Value == client).Select(kv => kv.Key).ToList())
        {
            _localJoins.Remove(key);
            output.Send(ServiceId.Cpg, CpgMessage.ProcLeave, CpgMessage.EncodeLeave(key.Group, key.Pid, CpgReason.ProcDown));
        }
    }

    public void OnExec(NodeId sender, ushort function, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
        if (CpgMessage.Decode(payload) is not { } m)
            return;
        switch (function)
        {
            case CpgMessage.ProcJoin:
            {
                var members = FindOrCreate(m.Group);
                var who = new CpgAddress(sender, m.Pid);
                if (members.Any(a => a.Node == sender && a.Pid == m.Pid))
                    return;
                members.Add(who);
                NotifyChange(m.Group, members, [], [who with { Reason = CpgReason.Join }], output);
                break;
            }
            case CpgMessage.ProcLeave:
            {
                // Our own leave frees the local join even when the member was never seen (a join
                // that did not take effect), so the process can join again.
                ClientId? leaver = null;
                if (sender == _local && _localJoins.Remove((m.Group, m.Pid), out var c))
                    leaver = c;
                var members = Find(m.Group);
                if (members is null)
                    return;
                int i = members.FindIndex(a => a.Node == sender && a.Pid == m.Pid);
                if (i < 0)
                    return;
                members.RemoveAt(i);
                var reason = m.Extra == (uint)CpgReason.ProcDown ? CpgReason.ProcDown : CpgReason.Leave;
                var left = new CpgAddress(sender, m.Pid, reason);
                NotifyChange(m.Group, members, [left], [], output, leaver);
                break;
            }
            case CpgMessage.Mcast:
            {
                var members = Find(m.Group);
                if (members is null)
                    return;
                foreach (var target in LocalClients(m.Group, members))
                    output.Notify(target, new CpgMessageEvent(m.Group, sender, m.Pid, m.Payload));
                break;
            }
        }
    }

    public void SyncInit(SyncContext context, ServiceOutput output)
    {
        _sync = context;
        _joinLists.Clear();
        _departed.UnionWith(context.Left);
    }

    public IReadOnlyList<byte[]> SyncMessages()
    {
        var mine = new List<(string, uint)>();
        foreach (var (group, members) in _groups)
            foreach (var a in members)
                if (a.Node == _local)
                    mine.Add((group, a.Pid));
        return [CpgMessage.EncodeJoinList(mine)];
    }

    public void OnSyncMessage(NodeId sender, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
        if (CpgMessage.DecodeJoinList(payload) is { } list)
            _joinLists[sender] = list;
    }

    public void SyncActivate(ServiceOutput output)
    {
        if (_sync is not { } ctx)
            return;
        _sync = null;
        var reported = new HashSet<(string, NodeId, uint)>();
        foreach (var (node, list) in _joinLists)
            foreach (var (group, pid) in list)
                reported.Add((group, node, pid));

        // Departures first (NODEDOWN for processes of nodes that are gone, or that were gone in
        // a configuration we never activated), one change per group; the join lists bring back
        // those that returned.
        foreach (var (group, members) in _groups)
        {
            var removed = members.Where(a => !reported.Contains((group, a.Node, a.Pid)) || (_departed.Contains(a.Node) && a.Node != _local)).ToList();
            if (removed.Count == 0)
                continue;
            members.RemoveAll(removed.Contains);
            var left = removed.Select(a => a with { Reason = ctx.Members.Contains(a.Node) && !_departed.Contains(a.Node) ? CpgReason.ProcDown : CpgReason.NodeDown }).ToImmutableArray();
            NotifyChange(group, members, left, [], output);
        }
        // Then arrivals (NODEUP) from the join lists, in member order.
        foreach (var node in ctx.Members)
        {
            if (!_joinLists.TryGetValue(node, out var list))
                continue;
            foreach (var byGroup in list.GroupBy(e => e.Group))
            {
                var members = FindOrCreate(byGroup.Key);
                var added = byGroup.Select(e => new CpgAddress(node, e.Pid)).Where(a => !members.Contains(a)).ToList();
                if (added.Count == 0)
                    continue;
                members.AddRange(added);
                NotifyChange(byGroup.Key, members, [], [.. added.Select(a => a with { Reason = CpgReason.NodeUp })], output);
            }
        }
        _departed.Clear();
        _ringId = ctx.RingId;
        _members = ctx.Members;
        foreach (var client in _clients)
            output.Notify(client, new CpgTotemChangedEvent(_ringId, _members));
    }

    public void SyncAbort()
    {
        _sync = null;
        _joinLists.Clear();
    }

    private static bool ValidName(string group) => group.Length is > 0 and <= CpgMessage.MaxGroupName && Encoding.Latin1.GetByteCount(group) == group.Length;

    private List<CpgAddress>? Find(string group)
    {
        foreach (var (g, m) in _groups)
            if (g == group)
                return m;
        return null;
    }

    private List<CpgAddress> FindOrCreate(string group)
    {
        if (Find(group) is { } m)
            return m;
        var members = new List<CpgAddress>();
        _groups.Add((group, members));
        return members;
    }

    private IEnumerable<ClientId> LocalClients(string group, List<CpgAddress> members)
    {
        foreach (var a in members)
            if (a.Node == _local && _localJoins.TryGetValue((group, a.Pid), out var client))
                yield return client;
    }

    private void NotifyChange(string group, List<CpgAddress> members, ImmutableArray<CpgAddress> left, ImmutableArray<CpgAddress> joined,
        ServiceOutput output, ClientId? alsoNotify = null)
    {
        var e = new CpgConfigurationChangedEvent(group, [.. members], left, joined);
        var targets = LocalClients(group, members).ToList();
        if (alsoNotify is { } extra && !targets.Contains(extra))
            targets.Add(extra);
        foreach (var t in targets.Distinct())
            output.Notify(t, e);
    }
}
