using System.Text;
using Cluster.Crm.Controller;

namespace Cluster.Crm.Tests.Controller;

/// <summary>
/// N controllers over an in-memory network with a virtual clock, driven by a seed: nodes start at
/// random moments, crash, restart, split into two partitions and heal, or split for a moment without
/// one side or both being told (a short partition that CPG reports as one left-and-joined change). Each partition delivers in
/// order within the view it was sent in (as CPG does); a view change is installed on all its
/// members in one step. After every step: at most one DC per partition. After the faults:
/// every partition ends with one DC in S_IDLE and every other member in S_NOT_DC following it.
/// </summary>
public sealed class ControllerSimulation
{
    private static readonly ControllerOptions Options = new()
    {
        DcDeadtime = TimeSpan.FromSeconds(20),
        ElectionTimeout = TimeSpan.FromSeconds(10),
        JoinIntegrationTimeout = TimeSpan.FromSeconds(30),
    };

    private readonly Random _rng;
    private readonly int _seed;
    private readonly SimNode[] _nodes;
    private readonly PriorityQueue<Action, (TimeSpan, long)> _events = new();
    private readonly StringBuilder _trace = new();
    private readonly bool _verbose;
    private long _seq;
    private int _nextView;
    private TimeSpan _now;

    public ControllerSimulation(int nodes, int seed, bool verbose = false)
    {
        _seed = seed;
        _rng = new Random(seed);
        _verbose = verbose;
        _nodes = [.. Enumerable.Range(1, nodes).Select(i => new SimNode($"node{i}"))];
    }

    public int Steps { get; private set; }

    /// <summary>Faults injected, by kind (crash, restart, partition, heal), so a sweep can show it exercised them.</summary>
    public Dictionary<string, int> Faults { get; } = [];

    private void Count(string kind) => Faults[kind] = Faults.GetValueOrDefault(kind) + 1;

    public string Trace => _trace.ToString();

    /// <summary>Runs the scenario; returns null when every check held, else what failed and how to replay it.</summary>
    public string? Run()
    {
        try
        {
            foreach (var node in _nodes)
                At(TimeSpan.FromMilliseconds(_rng.Next(0, 2000)), () => Boot(node));
            var faults = _rng.Next(0, 9);
            var lastFault = TimeSpan.FromSeconds(2);
            for (var i = 0; i < faults; i++)
            {
                var when = TimeSpan.FromMilliseconds(_rng.Next(2000, 60000));
                lastFault = when > lastFault ? when : lastFault;
                At(when, Fault);
            }
            // Long enough for dc-deadtime plus a retried election and a join after the last fault.
            var end = lastFault + TimeSpan.FromSeconds(120);
            while (_events.TryDequeue(out var step, out var key) && key.Item1 <= end)
            {
                _now = key.Item1;
                Steps++;
                step();
                CheckAtMostOneDcPerPartition();
                if (Steps > 200_000)
                    throw new SimulationFailure("no quiescence after 200000 steps (a message storm)");
            }
            CheckConverged();
            return null;
        }
        catch (SimulationFailure failure)
        {
            return $"seed {_seed}, {_nodes.Length} nodes, t={_now.TotalMilliseconds}ms: {failure.Message}\n" +
                   $"  replay: CTL_SIM_SEED={_seed} CTL_SIM_NODES={_nodes.Length} dotnet test tests/Crm.Tests -c Release " +
                   "--filter FullyQualifiedName~ControllerSimulationTests.Replay_one_seed_from_the_environment\n" +
                   (_verbose ? _trace.ToString() : "");
        }
    }

    private void Log(string line)
    {
        if (_verbose)
            _trace.Append(_now.TotalMilliseconds).Append("ms ").AppendLine(line);
    }

    private void At(TimeSpan when, Action action) => _events.Enqueue(action, (when, _seq++));

    private IEnumerable<SimNode> Alive => _nodes.Where(n => n.Core is not null);

    private void Boot(SimNode node)
    {
        node.Core = new ControllerCore(node.Name, Options);
        node.Partition = Alive.Where(n => n != node).Select(n => n.Partition).DefaultIfEmpty(0).Min();
        Log($"{node.Name} starts in partition {node.Partition}");
        InstallViews(node.Partition, node);
    }

    private void Fault()
    {
        var alive = Alive.ToList();
        var dead = _nodes.Where(n => n.Core is null).ToList();
        switch (_rng.Next(5))
        {
            case 4 when alive.Count > 1:
                Blip(alive);
                break;
            case 0 when alive.Count > 1:
                var victim = alive[_rng.Next(alive.Count)];
                Log($"crash {victim.Name}");
                Count("crash");
                victim.Core = null;
                victim.View = -1;
                victim.Unseen = null;
                InstallViews(victim.Partition, null);
                At(_now + TimeSpan.FromMilliseconds(_rng.Next(1000, 30000)), () =>
                {
                    if (victim.Core is null)
                        Boot(victim);
                });
                break;
            case 1 when dead.Count > 0:
                Count("restart");
                Boot(dead[_rng.Next(dead.Count)]);
                break;
            case 2 when alive.Count > 1:
                var moved = alive.Where(_ => _rng.Next(2) == 0).ToList();
                if (moved.Count == 0 || moved.Count == alive.Count)
                    moved = [alive[0]];
                var from = moved.Select(n => n.Partition).Distinct().ToList();
                var to = _nodes.Max(n => n.Partition) + 1;
                Count("partition");
                Log($"partition: {string.Join(",", moved.Select(n => n.Name))} -> {to}");
                foreach (var n in moved)
                    n.Partition = to;
                foreach (var p in from.Append(to).Distinct())
                    InstallViews(p, null);
                break;
            default:
                var parts = alive.Select(n => n.Partition).Distinct().ToList();
                if (parts.Count < 2)
                    break;
                Log("heal");
                Count("heal");
                foreach (var n in alive)
                    n.Partition = parts[0];
                InstallViews(parts[0], null);
                break;
        }
    }

    /// <summary>
    /// A short partition of one partition's members: each side loses the other's messages at once,
    /// but may not be told (corosync can report the split and the heal as one change, "joined: 2 3
    /// left: 2 3"); the heal follows within three seconds.
    /// </summary>
    private void Blip(List<SimNode> alive)
    {
        var partition = alive[_rng.Next(alive.Count)].Partition;
        var members = alive.Where(n => n.Partition == partition).ToList();
        if (members.Count < 2)
            return;
        var moved = members.Where(_ => _rng.Next(2) == 0).ToList();
        if (moved.Count == 0 || moved.Count == members.Count)
            moved = [members[^1]];
        var stayed = members.Except(moved).ToList();
        var to = _nodes.Max(n => n.Partition) + 1;
        Count("blip");
        foreach (var n in moved)
            n.Partition = to;
        foreach (var (side, other, p) in new[] { (moved, stayed, to), (stayed, moved, partition) })
        {
            if (_rng.Next(2) == 0)
            {
                Log($"blip: {string.Join(",", side.Select(n => n.Name))} see the split");
                InstallViews(p, null);
                continue;
            }
            // Unseen: a view of their own (the other side's messages are lost), no membership input.
            Log($"blip: {string.Join(",", side.Select(n => n.Name))} do not see the split");
            var view = ++_nextView;
            foreach (var n in side)
            {
                n.View = view;
                n.Unseen = [.. other.Select(o => o.Name)];
            }
        }
        At(_now + TimeSpan.FromMilliseconds(_rng.Next(100, 3000)), () =>
        {
            Log("blip heals");
            foreach (var n in Alive.Where(n => n.Partition == to))
                n.Partition = partition;
            InstallViews(partition, null);
        });
    }

    /// <summary>A new view for every live member of <paramref name="partition"/>, installed in one step.</summary>
    private void InstallViews(int partition, SimNode? starting)
    {
        var members = Alive.Where(n => n.Partition == partition).ToList();
        var view = ++_nextView;
        var membership = ControllerMembership.Of(members.Select(n => n.Name));
        foreach (var n in members)
            n.View = view;
        foreach (var n in members)
        {
            // Members it lost without being told come back as left-and-joined in this change.
            var seen = n.Unseen is { } unseen ? membership with { Rejoined = unseen } : membership;
            n.Unseen = null;
            var effects = n == starting ? n.Core!.Start(seen, _now) : n.Core!.OnMembership(seen, _now);
            Apply(n, effects);
        }
    }

    private void Apply(SimNode node, IReadOnlyList<ControllerEffect> effects)
    {
        var core = node.Core!;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendToControllers send:
                    var view = node.View;
                    var targets = send.Target is null
                        ? Alive.Where(n => n.View == view).ToList()
                        : _nodes.Where(n => n.Name == send.Target).ToList();
                    // One delay per send keeps a broadcast's copies and later sends in order.
                    node.LastSend = Max(node.LastSend, _now + TimeSpan.FromMicroseconds(_rng.Next(200, 3000)));
                    foreach (var target in targets)
                    {
                        At(node.LastSend, () =>
                        {
                            if (target.Core is null || target.View != view)
                                return; // sent in a view the target is no longer in
                            Log($"{node.Name} -> {target.Name}: {send.Message}");
                            Apply(target, target.Core.OnMessage(node.Name, send.Message, _now));
                        });
                    }
                    break;
                case ArmControllerTimer arm:
                    var generation = node.Arm(arm.Timer);
                    At(_now + arm.After, () =>
                    {
                        if (node.Core == core && node.IsCurrent(arm.Timer, generation))
                            Apply(node, core.OnTimer(arm.Timer, _now));
                    });
                    break;
                case CancelControllerTimer cancel:
                    node.Arm(cancel.Timer);
                    break;
                case StateChanged changed:
                    Log($"{node.Name}: {changed.From} -> {changed.To} ({changed.Input})");
                    break;
                case RunScheduler run:
                    At(_now + TimeSpan.FromMilliseconds(10), () =>
                    {
                        if (node.Core == core)
                            Apply(node, core.OnSchedulerResult(run.TransitionId, new SimPlan(_rng.Next(10) < 7)));
                    });
                    break;
                case ExecuteTransition execute:
                    At(_now + TimeSpan.FromMilliseconds(_rng.Next(20, 200)), () =>
                    {
                        if (node.Core == core)
                            Apply(node, core.OnTransitionFinished(execute.TransitionId, completed: true));
                    });
                    break;
            }
        }
    }

    private void CheckAtMostOneDcPerPartition()
    {
        foreach (var partition in Alive.GroupBy(n => n.Partition))
        {
            var dcs = partition.Where(n => n.Core!.IsDc).Select(n => n.Name).ToList();
            if (dcs.Count > 1)
                throw new SimulationFailure($"{dcs.Count} DCs in one partition: {string.Join(", ", dcs)}");
        }
    }

    private void CheckConverged()
    {
        foreach (var partition in Alive.GroupBy(n => n.Partition))
        {
            var states = string.Join(", ", partition.Select(n => $"{n.Name}={n.Core!.State}/{n.Core.Leader}"));
            var dc = partition.SingleOrDefault(n => n.Core!.IsDc)
                     ?? throw new SimulationFailure($"no DC in a partition after the faults: {states}");
            if (dc.Core!.State != ControllerState.S_IDLE)
                throw new SimulationFailure($"DC {dc.Name} is not idle after the faults: {states}");
            if (partition.Any(n => n != dc && (n.Core!.State != ControllerState.S_NOT_DC || n.Core.Leader != dc.Name)))
                throw new SimulationFailure($"a member has not joined DC {dc.Name}: {states}");
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class SimNode(string name)
    {
        private readonly Dictionary<ControllerTimer, int> _timers = [];

        public string Name { get; } = name;
        public ControllerCore? Core { get; set; }
        public int Partition { get; set; }
        public int View { get; set; } = -1;
        public TimeSpan LastSend { get; set; }

        /// <summary>Members lost in a short partition this node was not told of (null: none).</summary>
        public SortedSet<string>? Unseen { get; set; }

        /// <summary>Arms (or, for a cancel, invalidates) a timer; returns the generation that may fire.</summary>
        public int Arm(ControllerTimer timer) => _timers[timer] = _timers.GetValueOrDefault(timer) + 1;

        public bool IsCurrent(ControllerTimer timer, int generation) => _timers.GetValueOrDefault(timer) == generation;
    }

    private sealed record SimPlan(bool IsEmpty) : ITransitionPlan;

    private sealed class SimulationFailure(string message) : Exception(message);
}
