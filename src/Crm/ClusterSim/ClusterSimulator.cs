using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibManager;
using Cluster.Crm.Controller;
using Cluster.Crm.Execd;
using Cluster.Crm.Node;
using Cluster.Crm.Scheduler;
using Cluster.Messaging.Simulation;

namespace Cluster.Crm.ClusterSim;

/// <summary>
/// A deterministic, seeded, single-threaded cluster of 2..N <see cref="PacemakerNode"/>s: a virtual
/// clock (one priority queue of (time, sequence) events), CPG with one total order for the three
/// groups (cib, crmd, attrd) and their membership changes, votequorum (simple majority, two_node with wait_for_all), the
/// scheduler run synchronously and answered after a small delay, one real
/// <see cref="ExecutorCore"/> per node running scripted agents against a simulated real state,
/// and simulated fencing. Faults (crash, clean stop, partition, agent failures and hangs,
/// administrator changes) fall in a fault phase; then everything heals and the cluster must
/// settle. The invariants are checked after every event; one seed fully determines a run.
/// </summary>
public sealed partial class ClusterSimulator
{
    private static readonly DateTimeOffset WallEpoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Every CPG event (message or membership change) takes the same time, so the queue's order is the one total order.</summary>
    private static readonly TimeSpan CpgDelay = TimeSpan.FromMilliseconds(1);

    private readonly ClusterSimConfig _c;
    private readonly SplitMix64 _rng;
    private readonly SimNode[] _nodes;
    private readonly Dictionary<uint, string> _names = [];
    private readonly PriorityQueue<Action, (TimeSpan, long)> _queue = new();
    private readonly string[] _trace;
    private long _traceCount;
    private TimeSpan _now;
    private long _seq;
    private long _events;
    private long _timerGeneration;
    private FencingMode _fencing;
    private TimeSpan _lastFault;
    private TimeSpan? _healedAt;
    private bool _settled;
    private int _transitions;
    private int _faults;
    private int _fenced;

    public ClusterSimulator(ClusterSimConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Nodes is < 2 or > 16)
            throw new ArgumentOutOfRangeException(nameof(config), $"nodes must be within 2..16, got {config.Nodes}");
        _c = config;
        _rng = new SplitMix64(SplitMix64.Mix(config.Seed, (ulong)config.Nodes));
        _nodes = new SimNode[config.Nodes];
        for (var i = 0; i < config.Nodes; i++)
        {
            var id = (uint)(i + 1);
            _nodes[i] = new SimNode(id, $"node{id}");
            _names[id] = _nodes[i].Name;
        }
        _trace = new string[Math.Max(1, config.HistoryLength)];
    }

    public ClusterSimResult Run()
    {
        string? violation = null;
        try
        {
            Setup();
            while (!_settled && _queue.TryDequeue(out var step, out var key))
            {
                _now = key.Item1;
                if (++_events > _c.MaxEvents)
                    throw new SimViolation($"no quiescence after {_c.MaxEvents} events (a message or timer storm)");
                step();
                CheckStep();
                if (_healedAt is { } healed && _now > healed + _c.SettleBound)
                    throw new SimViolation($"not settled {_c.SettleBound.TotalSeconds}s after the faults healed: {Describe()}");
            }
            if (!_settled)
                throw new SimViolation("the event queue ran dry before the cluster settled");
        }
        catch (SimViolation v)
        {
            violation = $"t={Ms(_now)}ms: {v.Message}";
            Trace($"VIOLATION {v.Message}");
        }
        return new ClusterSimResult(_c, _fencing, violation, _events, _transitions, _faults, _fenced,
            _healedAt is { } h && _settled ? _now - h : TimeSpan.Zero, TraceTail())
        {
            FinalCib = (_nodes.FirstOrDefault(n => n.Up && n.Core!.Controller.IsDc) ?? _nodes.FirstOrDefault(n => n.Up))?.Core!.Cib.Cib.ToString(),
        };
    }

    // ---- set-up ---------------------------------------------------------------------------------

    private void Setup()
    {
        var draw = _rng.NextDouble();
        _fencing = draw < 0.6 ? FencingMode.Device : draw < 0.8 ? FencingMode.Disabled : FencingMode.NoDevice;
        var initial = SimConfiguration.Initial(_rng, _nodes.Length, _fencing);
        var everyone = _rng.Chance(0.7);
        foreach (var node in _nodes)
            node.StoredCib = everyone || node.Id == 1 ? new XElement(initial) : null;
        Trace($"seed {_c.Seed}: {_nodes.Length} nodes, profile {_c.Profile.Name}, fencing {_fencing}, " +
              $"resources {string.Join(",", initial.Descendants("primitive").Select(p => (string?)p.Attribute("id")))}, configured on {(everyone ? "every node" : "node1")}");
        foreach (var node in _nodes)
            At(TimeSpan.FromMilliseconds(_rng.Range(0, 3000)), () => Boot(node));
        ScheduleFaults();
        At(_c.FaultPhase, Heal);
    }

    private void Boot(SimNode node)
    {
        if (node.Up)
            return;
        node.Incarnation++;
        var uuid = new Guid([.. BitConverter.GetBytes(_rng.Next()), .. BitConverter.GetBytes(_rng.Next())]).ToString();
        node.Core = new PacemakerNode(node.Id, _names, node.StoredCib is null ? null : new XElement(node.StoredCib),
            clusterName: "simcluster", dcUuid: uuid);
        node.Executor = new ExecutorCore();
        node.InCib = true;
        Trace($"{node.Name} boots (incarnation {node.Incarnation}, cib {node.Core.Cib.Version})");
        Reconfigure();
    }

    // ---- the event queue ---------------------------------------------------------------------------

    private void At(TimeSpan when, Action action) => _queue.Enqueue(action, (when < _now ? _now : when, _seq++));

    /// <summary>Runs <paramref name="action"/> later if <paramref name="node"/> is still the same incarnation.</summary>
    private void AtNode(TimeSpan when, SimNode node, Action action)
    {
        var incarnation = node.Incarnation;
        At(when, () =>
        {
            if (node.Up && node.Incarnation == incarnation)
                action();
        });
    }

    private void Deliver(SimNode node, NodeInput input)
    {
        var core = node.Core!;
        IReadOnlyList<NodeEffect> effects;
        try
        {
            effects = core.Handle(input, _now, WallEpoch + _now);
        }
        catch (Exception e) when (e is not SimViolation)
        {
            // A node that throws is a bug in the node: the daemon's loop would die with it.
            var at = e.StackTrace?.Split('\n').FirstOrDefault()?.Trim();
            throw new SimViolation($"{node.Name} threw {e.GetType().Name} handling {input.GetType().Name}: {e.Message} ({at})");
        }
        var version = core.Cib.Version;
        if (node.LastVersion is { } last && version.CompareTo(last) < 0)
            throw new SimViolation($"{node.Name}'s CIB went back from {last} to {version} on {input.GetType().Name}");
        node.LastVersion = version;
        Apply(node, effects);
    }

    private void Apply(SimNode node, IReadOnlyList<NodeEffect> effects)
    {
        foreach (var effect in effects)
        {
            if (!node.Up)
                return; // NodeExit: the rest dies with the process
            switch (effect)
            {
                case SendToGroup s:
                    Multicast(node, s.Group, s.Payload);
                    break;
                case JoinAttributeGroup:
                    if (!node.InAttrd)
                    {
                        node.InAttrd = true;
                        Reconfigure();
                    }
                    break;
                case AttributeClientReply:
                    break;
                case JoinControllerGroup:
                    if (!node.InCrmd)
                    {
                        node.InCrmd = true;
                        Reconfigure();
                    }
                    break;
                case CibOut { Effect: CibRespond r }:
                    OnClientReply(node, r);
                    break;
                case CibOut { Effect: CibPersist p }:
                    // cib.xml holds the configuration only, as CibStore writes it: status is rebuilt at start.
                    var stored = new XElement(p.Cib);
                    stored.Element("status")?.Remove();
                    stored.Add(new XElement("status"));
                    node.StoredCib = stored;
                    break;
                case CibOut:
                    break;
                case ArmTimer a:
                    ArmNodeTimer(node, a.Timer, a.After);
                    break;
                case CancelTimer c:
                    node.Timers.Remove(c.Timer);
                    break;
                case StartScheduler run:
                    RunScheduler(node, run);
                    break;
                case ExecutorSubmit submit:
                    var submitted = node.Executor!.Submit(submit.Agent, _now, out var callId);
                    node.Core!.Submitted(callId, submit.For);
                    ApplyExecutor(node, submitted);
                    break;
                case ExecutorCancel cancel:
                    ApplyExecutor(node, node.Executor!.Cancel(cancel.ResourceId, cancel.Action, cancel.Interval, _now, out _));
                    break;
                case FenceNode fence:
                    Fence(node, fence);
                    break;
                case LogLine line:
                    if (line.Level is "notice" or "warning" or "error" or "crit")
                        Trace($"{node.Name} {line.Daemon} {line.Level}: {line.Text}");
                    break;
                case NodeExit exit:
                    Trace($"{node.Name} exits: {exit.Reason} (still running: {(node.Running.Count == 0 ? "nothing" : string.Join(",", node.Running.Order(StringComparer.Ordinal)))})");
                    node.Down();
                    Reconfigure();
                    if (_healedAt is null || _now >= _healedAt)
                        At(_now + TimeSpan.FromSeconds(_rng.Range(5, 30)), () => Boot(node));
                    return;
            }
        }
    }

    private void ArmNodeTimer(SimNode node, NodeTimer timer, TimeSpan after)
    {
        var generation = ++_timerGeneration;
        node.Timers[timer] = generation;
        AtNode(_now + after, node, () =>
        {
            if (node.Timers.TryGetValue(timer, out var current) && current == generation)
            {
                node.Timers.Remove(timer);
                Deliver(node, new TimerFired(timer));
            }
        });
    }

    private void RunScheduler(SimNode node, StartScheduler run)
    {
        _transitions++;
        SchedulerFinished finished;
        try
        {
            var result = Scheduler.Scheduler.Schedule(CibDocument.FromElement(run.Cib), new SchedulerOptions { Now = WallEpoch + _now });
            finished = new SchedulerFinished(run.TransitionId, result.Graph, null);
        }
        catch (Exception e) when (e is CibParseException or InvalidOperationException or ArgumentException or FormatException)
        {
            finished = new SchedulerFinished(run.TransitionId, null, e.Message);
        }
        AtNode(_now + TimeSpan.FromMilliseconds(_rng.Range(2, 40)), node, () => Deliver(node, finished));
    }

    // ---- CPG and votequorum --------------------------------------------------------------------------

    private void Multicast(SimNode sender, string group, byte[] payload)
    {
        Func<SimNode, bool> member = group switch
        {
            PacemakerNode.CibGroup => n => n.InCib,
            PacemakerNode.AttrdGroup => n => n.InAttrd,
            _ => n => n.InCrmd,
        };
        if (!member(sender))
        {
            Trace($"{sender.Name} sends to {group} without being a member: dropped");
            return;
        }
        var recipients = _nodes.Where(n => n.Up && n.Partition == sender.Partition && member(n))
            .Select(n => (Node: n, n.Incarnation)).ToList();
        var from = sender.Id;
        At(_now + CpgDelay, () =>
        {
            foreach (var (node, incarnation) in recipients)
            {
                if (!node.Up || node.Incarnation != incarnation)
                    continue;
                Deliver(node, group switch
                {
                    PacemakerNode.CibGroup => new CibIn(new CibDelivered(from, payload)),
                    PacemakerNode.AttrdGroup => new AttrdDelivered(from, payload),
                    _ => new CrmdDelivered(from, payload),
                });
            }
        });
    }

    /// <summary>Recomputes every node's corosync, `cib`, `attrd` and `crmd` views and queues the changed ones, in one order for all.</summary>
    private void Reconfigure()
    {
        var up = _nodes.Where(n => n.Up).ToList();
        foreach (var node in up)
        {
            var members = Members(node, _ => true);
            var quorate = Quorate(node, members.Count);
            if (node.QuorumView is null || !node.QuorumView.SequenceEqual(members) || node.QuorateView != quorate)
            {
                node.QuorumView = members;
                node.QuorateView = quorate;
                AtNode(_now + CpgDelay, node, () => Deliver(node, new QuorumChanged(members, quorate)));
            }
        }
        foreach (var node in up.Where(n => n.InCib))
        {
            var members = Members(node, n => n.InCib);
            if (node.CibView is null || !node.CibView.SequenceEqual(members))
            {
                var joined = members.Except(node.CibView ?? []).Any();
                node.CibView = members;
                AtNode(_now + CpgDelay, node, () => Deliver(node, new CibIn(new CibMembership(members, joined))));
            }
        }
        foreach (var node in up.Where(n => n.InAttrd))
        {
            var members = Members(node, n => n.InAttrd);
            if (node.AttrdView is null || !node.AttrdView.SequenceEqual(members))
            {
                node.AttrdView = members;
                AtNode(_now + CpgDelay, node, () => Deliver(node, new AttrdMembership(members)));
            }
        }
        foreach (var node in up.Where(n => n.InCrmd))
        {
            var members = Members(node, n => n.InCrmd);
            if (node.CrmdView is null || !node.CrmdView.SequenceEqual(members))
            {
                node.CrmdView = members;
                AtNode(_now + CpgDelay, node, () => Deliver(node, new CrmdMembership(members)));
            }
        }
    }

    private List<uint> Members(SimNode node, Func<SimNode, bool> inGroup) =>
        [.. _nodes.Where(n => n.Up && n.Partition == node.Partition && inGroup(n)).Select(n => n.Id)];

    /// <summary>votequorum: a simple majority of the configured votes; two_node (with its wait_for_all) for two.</summary>
    private bool Quorate(SimNode node, int members)
    {
        if (_nodes.Length != 2)
            return members * 2 > _nodes.Length;
        if (members == 2)
            node.SawAll = true;
        return members == 2 || node.SawAll;
    }

    // ---- trace -----------------------------------------------------------------------------------

    private void Trace(string line) => _trace[_traceCount++ % _trace.Length] = $"{Ms(_now),9}ms {line}";

    private List<string> TraceTail()
    {
        var count = (int)Math.Min(_traceCount, _trace.Length);
        var lines = new List<string>(count);
        for (var i = _traceCount - count; i < _traceCount; i++)
            lines.Add(_trace[i % _trace.Length]);
        return lines;
    }

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private SimNode NodeNamed(string name) => _nodes.FirstOrDefault(n => n.Name == name) ?? throw new SimViolation($"unknown node {name}");

    private string Describe() => string.Join("; ", _nodes.Select(n => n.Up
        ? $"{n.Name} p{n.Partition} {n.Core!.Controller.State}{(n.Core.Transitions.Running ? $" running transition {n.Core.Transitions.TransitionId}" : "")} cib {n.Core.Cib.Version}"
        : $"{n.Name} down"));

    /// <summary>An invariant failed: ends the run.</summary>
    private sealed class SimViolation(string message) : Exception(message);
}
