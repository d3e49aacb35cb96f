using System.Collections.Immutable;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;

namespace Cluster.Messaging.Tests.Totem;

/// <summary>
/// A minimal deterministic driver for focused tests: N TotemNodes, 1 ms links, a virtual clock,
/// and hooks to drop chosen frames, crash and leave nodes.
/// </summary>
internal sealed class TestCluster
{
    private readonly PriorityQueue<Action, (long, long)> _queue = new();
    private long _seq;
    private readonly Dictionary<NodeId, TotemNode?> _nodes = [];
    private readonly Dictionary<(NodeId, TotemTimer), long> _timerGen = [];
    private readonly Dictionary<NodeId, ulong> _persisted = [];
    private readonly ImmutableArray<NodeId> _ids;
    private readonly Func<NodeId, TotemOptions> _options;

    public long NowUs { get; private set; }
    public TimeSpan Now => TimeSpan.FromTicks(NowUs * 10);

    /// <summary>Return true to drop a frame (from, to, decoded message).</summary>
    public Func<NodeId, NodeId, TotemMessage, bool>? Drop { get; set; }

    public List<(TimeSpan At, NodeId Node, ConfigurationChange Change)> Configurations { get; } = [];
    public List<(TimeSpan At, NodeId Node, Delivery Delivery)> Deliveries { get; } = [];
    public List<(TimeSpan At, NodeId Node, TotemTimer Timer)> TimersFired { get; } = [];
    public List<(TimeSpan At, NodeId Node, ulong Seq)> Persisted { get; } = [];
    public List<(NodeId From, NodeId To, TotemMessage Message)> Sent { get; } = [];

    public TestCluster(int n, Func<NodeId, ImmutableArray<NodeId>, TotemOptions>? options = null)
    {
        _ids = [.. Enumerable.Range(1, n).Select(i => new NodeId((uint)i))];
        _options = id => options?.Invoke(id, _ids) ?? new TotemOptions { LocalNode = id, Nodes = _ids };
        foreach (var id in _ids) _nodes[id] = null;
    }

    public TotemNode Node(uint id) => _nodes[new NodeId(id)] ?? throw new InvalidOperationException($"node {id} is down");

    public ulong PersistedOf(uint id) => _persisted.GetValueOrDefault(new NodeId(id));

    public void Start(uint id, ulong? persisted = null)
    {
        var nid = new NodeId(id);
        var node = new TotemNode(_options(nid));
        _nodes[nid] = node;
        Apply(nid, node.Start(persisted ?? _persisted.GetValueOrDefault(nid), Now));
    }

    public void StartAll() { foreach (var id in _ids) Start(id.Value); }

    public void Crash(uint id)
    {
        var nid = new NodeId(id);
        _nodes[nid] = null;
        foreach (var t in Enum.GetValues<TotemTimer>()) Bump(nid, t);
    }

    /// <summary>The transport of <paramref name="at"/> reports <paramref name="peer"/> (un)reachable.</summary>
    public void Reachability(uint at, uint peer, bool reachable) =>
        Apply(new NodeId(at), Node(at).OnPeerReachability(new NodeId(peer), reachable, Now));

    public void Leave(uint id)
    {
        var nid = new NodeId(id);
        Apply(nid, Node(id).Leave(Now));
        _nodes[nid] = null;
    }

    public void Submit(uint id, byte[] payload)
    {
        var nid = new NodeId(id);
        Apply(nid, Node(id).Submit(payload, Now, out var accepted));
        if (!accepted) throw new InvalidOperationException("submit refused");
    }

    private long Bump(NodeId id, TotemTimer t)
    {
        var g = _timerGen.GetValueOrDefault((id, t)) + 1;
        _timerGen[(id, t)] = g;
        return g;
    }

    private void Enqueue(long at, Action action)
    {
        _queue.Enqueue(action, (at, _seq++));
    }

    public bool Step()
    {
        if (!_queue.TryDequeue(out var action, out var at)) return false;
        NowUs = at.Item1;
        action();
        return true;
    }

    private void Apply(NodeId id, IReadOnlyList<TotemEffect> effects)
    {
        foreach (var e in effects)
        {
            switch (e)
            {
                case SendTo s: Send(id, s.Target, s.Frame); break;
                case Broadcast b: foreach (var to in _ids) Send(id, to, b.Frame); break;
                case ArmTimer a:
                {
                    var gen = Bump(id, a.Timer);
                    Enqueue(NowUs + (long)(a.After.TotalMilliseconds * 1000), () =>
                    {
                        var node = _nodes[id];
                        if (node is null || _timerGen[(id, a.Timer)] != gen) return;
                        TimersFired.Add((Now, id, a.Timer));
                        Apply(id, node.OnTimer(a.Timer, Now));
                    });
                    break;
                }
                case CancelTimer c: Bump(id, c.Timer); break;
                case Deliver d: Deliveries.Add((Now, id, d.Delivery)); break;
                case DeliverConfiguration dc: Configurations.Add((Now, id, dc.Change)); break;
                case PersistRingSequence p: _persisted[id] = p.Sequence; Persisted.Add((Now, id, p.Sequence)); break;
            }
        }
    }

    private void Send(NodeId from, NodeId to, ReadOnlyMemory<byte> frame)
    {
        var bytes = frame.ToArray();
        if (!TotemCodec.TryDecode(bytes, out var message, out var error)) throw new InvalidOperationException($"node {from} sent an invalid frame: {error}");
        Sent.Add((from, to, message!));
        if (from != to && Drop?.Invoke(from, to, message!) == true) return;
        Enqueue(NowUs + (from == to ? 100 : 1000), () =>
        {
            var node = _nodes[to];
            if (node is not null) Apply(to, node.OnFrame(bytes, Now));
        });
    }

    /// <summary>Delivers a crafted frame to <paramref name="to"/> 1 ms from now (a forged or spoofed packet).</summary>
    public void Inject(uint to, TotemMessage message)
    {
        var bytes = TotemCodec.Encode(message);
        var nid = new NodeId(to);
        Enqueue(NowUs + 1000, () =>
        {
            var node = _nodes[nid];
            if (node is not null) Apply(nid, node.OnFrame(bytes, Now));
        });
    }

    /// <summary>Regular configurations installed by <paramref name="node"/>, in order.</summary>
    public List<ConfigurationChange> Regulars(uint node) =>
        [.. Configurations.Where(c => c.Node.Value == node && c.Change.Kind == ConfigurationKind.Regular).Select(c => c.Change)];

    public void Run(TimeSpan span)
    {
        long until = NowUs + (long)(span.TotalMilliseconds * 1000);
        while (_queue.TryPeek(out _, out var at) && at.Item1 <= until) Step();
        NowUs = until;
    }
}
