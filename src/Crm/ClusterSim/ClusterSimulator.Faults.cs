using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;
using Cluster.Crm.Node;

namespace Cluster.Crm.ClusterSim;

/// <summary>The faults: crash, clean stop, partition and heal, scripted agents, administrator changes; and fencing.</summary>
public sealed partial class ClusterSimulator
{
    private const long AdminClientId = 1_000;
    private readonly Dictionary<long, AdminChange> _adminPending = [];
    private readonly List<AdminChange> _adminAcked = [];
    private int _adminSerial;
    private long _adminCall;
    private int _partitionSerial;
    private TimeSpan? _lastDeath;

    private void ScheduleFaults()
    {
        var p = _c.Profile;
        var start = TimeSpan.FromSeconds(5);
        TimeSpan When() => start + TimeSpan.FromMilliseconds(_rng.Range(0, (long)(_c.FaultPhase - start).TotalMilliseconds));
        void Many(int most, Action fault)
        {
            var count = _rng.Range(most > 0 ? 1 : 0, most + 1);
            for (var i = 0; i < count; i++) At(When(), fault);
        }
        Many(p.Crashes, CrashSomeone);
        Many(p.CleanStops, StopSomeone);
        Many(p.Partitions, PartitionSomeone);
        Many(p.AgentFaults, ScriptSomeAgent);
        Many(p.AdminChanges, ChangeConfiguration);
    }

    private void Fault(string what)
    {
        _faults++;
        _lastFault = _now;
        Trace($"FAULT {what}");
    }

    private void CrashSomeone()
    {
        var up = _nodes.Where(n => n.Up).ToList();
        if (up.Count == 0) return;
        var victim = up[_rng.Range(0, up.Count)];
        Fault($"crash {victim.Name}");
        Crash(victim, fenced: false);
        At(_now + TimeSpan.FromSeconds(_rng.Range(3, 60)), () => Boot(victim));
    }

    /// <summary>The machine dies: Pacemaker's state and the resources running on it are gone; cib.xml stays.</summary>
    private void Crash(SimNode node, bool fenced)
    {
        if (!fenced && _fencing != FencingMode.Disabled)
            node.LostUnfenced.UnionWith(node.Running);
        node.Running.Clear();
        if (node.Up)
        {
            node.Down();
            Reconfigure();
        }
    }

    private void StopSomeone()
    {
        var up = _nodes.Where(n => n.Up).ToList();
        if (up.Count == 0) return;
        var node = up[_rng.Range(0, up.Count)];
        Fault($"clean stop of {node.Name}");
        node.Stopping = true;
        AtNode(_now, node, () => Deliver(node, new ShutdownRequested()));
        // pacemakerd gives up waiting for the DC after its grace and leaves anyway (as the daemon's shell does).
        var incarnation = node.Incarnation;
        At(_now + TimeSpan.FromSeconds(60), () =>
        {
            if (node.Up && node.Incarnation == incarnation)
            {
                Trace($"{node.Name} shutdown grace expired: leaving (still running: {string.Join(",", node.Running)})");
                node.Down();
                Reconfigure();
                At(_now + TimeSpan.FromSeconds(_rng.Range(5, 30)), () => Boot(node));
            }
        });
    }

    private void PartitionSomeone()
    {
        var side = _nodes.Where(_ => _rng.Chance(0.5)).ToList();
        if (side.Count == 0 || side.Count == _nodes.Length)
            side = [_nodes[_rng.Range(0, _nodes.Length)]];
        var id = ++_partitionSerial;
        Fault($"partition {string.Join(",", side.Select(n => n.Name))} away from the rest");
        foreach (var node in side) node.Partition = id;
        Reconfigure();
        At(_now + TimeSpan.FromSeconds(_rng.Range(5, 60)), () =>
        {
            if (_nodes.All(n => n.Partition == 0)) return;
            Fault("heal partitions");
            foreach (var node in _nodes) node.Partition = 0;
            Reconfigure();
        });
    }

    private void ScriptSomeAgent()
    {
        var node = _nodes[_rng.Range(0, _nodes.Length)];
        var resources = (node.Core?.Cib.Cib ?? node.StoredCib)?.Element("configuration")?.Element("resources")?.Elements("primitive")
            .Select(p => (string)p.Attribute("id")!).ToList() ?? [];
        if (resources.Count == 0) return;
        var rsc = resources[_rng.Range(0, resources.Count)];
        if (_rng.Chance(0.3))
        {
            // The resource dies under the agent's feet: the next monitor finds it stopped.
            Fault($"{rsc} dies on {node.Name} (was running: {node.Running.Contains(rsc)})");
            node.Running.Remove(rsc);
            _lastDeath = _now;
            return;
        }
        string[] actions = ["start", "stop", "monitor"];
        var action = actions[_rng.Range(0, actions.Length)];
        var how = (AgentBehaviour)_rng.Range(1, 4);
        var times = _rng.Range(1, 4);
        Fault($"agent {rsc} {action} on {node.Name}: {how} x{times}");
        _scripts[(node.Name, rsc, action)] = (how, times);
    }

    private void ChangeConfiguration()
    {
        // An administrator works on a whole, quorate cluster: a change made in one partition, or on
        // a node that started alone with an older copy, may be lost at heal when the other copy
        // wins (equal or higher epoch), as with Pacemaker; the invariant covers the rest.
        if (_nodes.Any(n => n.Partition != 0)) return;
        var up = _nodes.Where(n => n.Up && n.InCib && n.QuorateView).ToList();
        if (up.Count == 0) return;
        var node = up[_rng.Range(0, up.Count)];
        var change = SimConfiguration.NextChange(_rng, node.Core!.Cib.Cib, _nodes.Length, ref _adminSerial);
        var call = ++_adminCall;
        Fault($"admin on {node.Name}: {change.Description} (call {call})");
        _adminPending[call] = change;
        Deliver(node, new CibIn(new CibClientRequest(AdminClientId, call, change.Request, "cibadmin", "root", WallEpoch + _now)));
    }

    private void OnClientReply(SimNode node, CibRespond reply)
    {
        if (reply.ClientId != AdminClientId || !_adminPending.Remove(reply.CallId, out var change))
            return;
        if (reply.Reply.Ok)
        {
            _adminAcked.Add(change);
            Trace($"{node.Name} acknowledged admin call {reply.CallId}: {change.Description}");
        }
        else
        {
            Trace($"{node.Name} refused admin call {reply.CallId} ({change.Description}): {reply.Reply.Error} {string.Join("; ", reply.Reply.Details)}");
        }
    }

    private void Fence(SimNode requester, FenceNode fence)
    {
        var incarnation = requester.Incarnation;
        void Answer(bool ok, string detail) => At(_now, () =>
        {
            if (requester.Up && requester.Incarnation == incarnation)
                Deliver(requester, new FencingFinished(fence.Target, ok, detail));
        });
        var target = _nodes.FirstOrDefault(n => n.Name == fence.Target);
        if (_fencing != FencingMode.Device || target is null)
        {
            Trace($"{requester.Name} asks to fence {fence.Target}: no device");
            At(_now + TimeSpan.FromMilliseconds(20), () => Answer(false, "No such device"));
            return;
        }
        At(_now + TimeSpan.FromMilliseconds(_rng.Range(100, 3000)), () =>
        {
            _fenced++;
            Trace($"FENCE {fence.Action} {target.Name} for {requester.Name} (running there: {string.Join(",", target.Running)})");
            Crash(target, fenced: true);
            target.LostUnfenced.Clear();
            if (fence.Action != "off")
                At(_now + TimeSpan.FromSeconds(_rng.Range(5, 40)), () => Boot(target));
            Answer(true, "OK");
        });
    }

    /// <summary>The end of the fault phase: partitions merge, agents behave, every node is started.</summary>
    private void Heal()
    {
        Fault("heal everything");
        _healedAt = _now;
        _scripts.Clear();
        foreach (var node in _nodes) node.Partition = 0;
        Reconfigure();
        foreach (var node in _nodes.Where(n => !n.Up))
            At(_now + TimeSpan.FromMilliseconds(_rng.Range(0, 5000)), () => Boot(node));
        At(_now + TimeSpan.FromSeconds(1), SettleProbe);
    }
}
