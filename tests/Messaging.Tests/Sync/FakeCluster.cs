using System.Collections.Immutable;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Tests.Sync;

/// <summary>One node of the fake cluster: its service host, services and everything they emitted.</summary>
public sealed class FakeNode(NodeId id, ServiceHost host, IReadOnlyList<ISyncService> services)
{
    public NodeId Id { get; } = id;
    public ServiceHost Host { get; } = host;
    public IReadOnlyList<ISyncService> Services { get; } = services;
    public List<ServiceEffect> Effects { get; } = [];
    public bool Alive { get; set; } = true;

    public T Service<T>() where T : ISyncService => Services.OfType<T>().Single();

    public IEnumerable<string> Logs => Effects.OfType<ServiceLog>().Select(l => $"[{l.Subsystem}] {l.Text}");

    public IEnumerable<ClientEvent> EventsFor(ClientId client) =>
        Effects.OfType<NotifyClient>().Where(n => n.Client == client).Select(n => n.Event);
}

/// <summary>
/// An in-memory stand-in for Totem: partitions are groups of nodes, each its own ring; frames
/// submitted by a node go to one FIFO queue per ring and are delivered to every member of that
/// ring in that single order (total order), the sender included. Configuration changes deliver
/// a transitional then a regular configuration, as EVS does.
/// </summary>
public sealed class FakeCluster
{
    private readonly Dictionary<NodeId, FakeNode> _nodes = [];
    private readonly Func<NodeId, IReadOnlyList<ISyncService>> _factory;
    private readonly Dictionary<NodeId, ImmutableArray<NodeId>> _ringOf = [];
    // The ring each node is in: the transitional set is who comes from the same ring (EVS).
    private readonly Dictionary<NodeId, RingId> _ringIdOf = [];
    private readonly Dictionary<NodeId, Queue<(NodeId Sender, byte[] Frame)>> _queues = [];
    private ulong _seq;

    public FakeCluster(Func<NodeId, IReadOnlyList<ISyncService>> factory) => _factory = factory;

    public FakeNode this[uint id] => _nodes[new NodeId(id)];

    public IEnumerable<FakeNode> Nodes => _nodes.Values;

    /// <summary>Creates (or re-creates after a crash: fresh state) the nodes given.</summary>
    public void Boot(params uint[] ids)
    {
        foreach (var raw in ids)
        {
            var id = new NodeId(raw);
            var services = _factory(id);
            _nodes[id] = new FakeNode(id, new ServiceHost(id, services), services);
            _ringOf.Remove(id);
            _ringIdOf.Remove(id);
        }
    }

    /// <summary>Kills a node: it stops receiving and sending, without a leave.</summary>
    public void Crash(uint id)
    {
        _nodes[new NodeId(id)].Alive = false;
        _ringOf.Remove(new NodeId(id));
        _ringIdOf.Remove(new NodeId(id));
    }

    /// <summary>
    /// Installs new rings, one per group (each group must be live nodes), then delivers until every
    /// queue is empty.
    /// </summary>
    public void Form(params uint[][] groups)
    {
        Pump();
        Install(groups);
        Pump();
    }

    /// <summary>
    /// Installs new rings that break again before anything is delivered in them: their sync starts
    /// and is aborted by the next <see cref="Form"/>.
    /// </summary>
    public void FormAndBreak(params uint[][] groups)
    {
        Pump();
        foreach (var ring in Install(groups))
            _queues[ring].Clear();
    }

    private List<NodeId> Install(uint[][] groups)
    {
        var rings = new List<NodeId>();
        foreach (var group in groups)
        {
            var members = group.Select(g => new NodeId(g)).Order().ToImmutableArray();
            _seq += 4;
            var ring = new RingId(members[0], _seq);
            _queues[ring.Representative] = new Queue<(NodeId, byte[])>();
            rings.Add(ring.Representative);
            var olds = members.ToDictionary(m => m, m => _ringOf.TryGetValue(m, out var o) ? o : []);
            var oldRings = members.ToDictionary(m => m, m => _ringIdOf.TryGetValue(m, out var r) ? r : (RingId?)null);
            foreach (var m in members)
            {
                _ringOf[m] = members;
                _ringIdOf[m] = ring;
            }
            foreach (var m in members)
            {
                var node = _nodes[m];
                node.Alive = true;
                var old = olds[m];
                var transitional = old.Where(x => members.Contains(x) && oldRings[x] == oldRings[m]).ToImmutableArray();
                var left = old.Where(x => !transitional.Contains(x)).ToImmutableArray();
                var joined = members.Where(x => !transitional.Contains(x)).ToImmutableArray();
                Apply(node, node.Host.OnConfiguration(new ConfigurationChange(ConfigurationKind.Transitional, ring, transitional, left, [])));
                Apply(node, node.Host.OnConfiguration(new ConfigurationChange(ConfigurationKind.Regular, ring, members, left, joined)));
            }
        }
        return rings;
    }

    /// <summary>Runs a local request on a node (e.g. a CPG join) and delivers what it sends.</summary>
    public IReadOnlyList<ServiceEffect> Local(uint id, Action<ServiceOutput> action)
    {
        var node = _nodes[new NodeId(id)];
        var effects = node.Host.Run(action);
        Apply(node, effects);
        Pump();
        return effects;
    }

    public void Pump()
    {
        for (int guard = 0; guard < 1_000_000; guard++)
        {
            var queue = _queues.Values.FirstOrDefault(q => q.Count > 0);
            if (queue is null)
                return;
            var (sender, frame) = queue.Dequeue();
            if (!_ringOf.TryGetValue(sender, out var members))
                continue;
            foreach (var m in members)
            {
                var node = _nodes[m];
                if (node.Alive)
                    Apply(node, node.Host.OnDelivery(new Delivery(sender, frame)));
            }
        }
        throw new InvalidOperationException("fake cluster did not quiesce");
    }

    private void Apply(FakeNode node, IReadOnlyList<ServiceEffect> effects)
    {
        foreach (var e in effects)
        {
            node.Effects.Add(e);
            if (e is SubmitFrame submit && node.Alive && _ringOf.TryGetValue(node.Id, out var members))
                _queues[members[0]].Enqueue((node.Id, submit.Frame));
        }
    }
}
