using Cluster.Crm.Cib;
using Cluster.Crm.Controller;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.ClusterSim;

/// <summary>The invariants, checked after every event, and the settle check after the faults.</summary>
public sealed partial class ClusterSimulator
{
    private readonly Dictionary<int, TimeSpan> _twoDcsSince = [];
    private readonly Dictionary<(uint Node, int Incarnation, int Transition), TimeSpan> _transitionsSeen = [];

    private void CheckStep()
    {
        CheckAtMostOneDc();
        if (_fencing != FencingMode.Disabled)
            CheckActiveOnce();
        CheckTransitionsEnd();
    }

    /// <summary>At most one DC per quorate partition, once the election the membership change started has had its time.</summary>
    private void CheckAtMostOneDc()
    {
        foreach (var partition in _nodes.Where(n => n.Up).GroupBy(n => n.Partition))
        {
            var dcs = partition.Where(n => n.Core!.Controller.IsDc).ToList();
            if (dcs.Count > 1 && partition.Any(n => n.QuorateView))
            {
                if (!_twoDcsSince.TryGetValue(partition.Key, out var since))
                    _twoDcsSince[partition.Key] = _now;
                else if (_now - since > _c.DcOverlapBound)
                    throw new SimViolation($"{dcs.Count} DCs in one quorate partition for {(_now - since).TotalSeconds}s: {string.Join(", ", dcs.Select(n => n.Name))}");
            }
            else
            {
                _twoDcsSince.Remove(partition.Key);
            }
        }
    }

    /// <summary>With stonith enabled, no primitive is really running on two machines (clean stops and pacemaker-less machines included).</summary>
    private void CheckActiveOnce()
    {
        for (var i = 0; i < _nodes.Length; i++)
            foreach (var rsc in _nodes[i].Running)
                for (var j = i + 1; j < _nodes.Length; j++)
                    if (_nodes[j].Running.Contains(rsc))
                        throw new SimViolation($"{rsc} is active on {_nodes[i].Name} and {_nodes[j].Name}");
    }

    /// <summary>A start that left <paramref name="rsc"/> running on <paramref name="node"/>: no node that lost it in a crash may be unfenced and unprobed.</summary>
    private void CheckStartedSafely(SimNode node, string rsc)
    {
        if (_fencing == FencingMode.Disabled)
            return;
        var lost = _nodes.FirstOrDefault(n => n != node && n.LostUnfenced.Contains(rsc));
        if (lost is not null)
            throw new SimViolation($"{rsc} started on {node.Name} while {lost.Name}, which crashed running it, was neither fenced nor seen without it");
    }

    /// <summary>Every transition completes or aborts within a bound of its start or of the last fault, whichever is later.</summary>
    private void CheckTransitionsEnd()
    {
        foreach (var node in _nodes)
        {
            if (!node.Up || !node.Core!.Transitions.Running)
                continue;
            var key = (node.Id, node.Incarnation, node.Core.Transitions.TransitionId);
            if (!_transitionsSeen.TryGetValue(key, out var since))
            {
                _transitionsSeen[key] = _now;
                continue;
            }
            var from = since > _lastFault ? since : _lastFault;
            if (_now - from > _c.TransitionBound)
                throw new SimViolation($"{node.Name}'s transition {key.TransitionId} has run for {(_now - since).TotalSeconds}s " +
                    $"(in flight: {string.Join(", ", node.Core.Transitions.InFlight.Select(a => $"{a.Task} {a.Resource?.Id} on {a.OnNode}"))})");
        }
    }

    /// <summary>After the heal, once a second: is the cluster settled? Then the end checks run and the run stops.</summary>
    private void SettleProbe()
    {
        if (Settled())
        {
            CheckEnd();
            _settled = true;
            Trace($"settled {(_now - _healedAt!.Value).TotalSeconds}s after the heal: {Describe()}");
            return;
        }
        At(_now + TimeSpan.FromSeconds(1), SettleProbe);
    }

    /// <summary>Every node up in one partition, one DC in S_IDLE and the rest following it, one CIB, and nothing left to do.</summary>
    private bool Settled()
    {
        if (_nodes.Any(n => !n.Up || n.Partition != 0 || !n.InCrmd || n.Stopping))
            return false;
        // A resource that died is noticed at its next monitor (60 s for the fence device): not settled before.
        if (_lastDeath is { } died && _now - died < TimeSpan.FromSeconds(70))
            return false;
        var dcs = _nodes.Where(n => n.Core!.Controller.IsDc).ToList();
        if (dcs.Count != 1)
            return false;
        var dc = dcs[0];
        if (dc.Core!.Controller.State != ControllerState.S_IDLE || dc.Core.Transitions.Running)
            return false;
        if (_nodes.Any(n => n != dc && (n.Core!.Controller.State != ControllerState.S_NOT_DC || n.Core.Controller.Leader != dc.Name)))
            return false;
        var version = dc.Core.Cib.Version;
        if (_nodes.Any(n => !n.Core!.Cib.Version.Equals(version)))
            return false;
        if (_nodes.Any(n => n.Runs.Count > 0 || n.Executor!.Outstanding > 0 && n.Executor.Outstanding > n.Executor.RecurringCount))
            return false;
        var result = Scheduler.Scheduler.Schedule(CibDocument.FromElement(dc.Core.Cib.Cib), new SchedulerOptions { Now = WallEpoch + _now });
        if (result.Graph.Synapses.Count != 0)
            return false;
        _settledView = result;
        return true;
    }

    private ScheduleResult? _settledView;

    /// <summary>What the settled cluster believes runs where is what really runs where.</summary>
    private void CheckBeliefMatchesReality()
    {
        var believed = new HashSet<(string Rsc, string Node)>();
        var failed = new HashSet<(string Rsc, string Node)>();
        // A fencing device "runs" where the controller registered it: no process to compare with.
        foreach (var primitive in _settledView!.Primitives.Where(p => !p.IsStonith))
            foreach (var node in primitive.RunningOn)
                (primitive.Failed ? failed : believed).Add((primitive.Id, node.Uname));
        var real = _nodes.SelectMany(n => n.Running.Select(r => (Rsc: r, Node: n.Name))).ToHashSet();
        // A FAILED resource may or may not run (a probe that failed on a stopped resource): only
        // what the cluster believes healthy must be true, and nothing may run unknown to it.
        foreach (var (rsc, node) in real.Except(believed).Except(failed))
            throw new SimViolation($"{rsc} really runs on {node}, but the settled CIB does not say so");
        foreach (var (rsc, node) in believed.Except(real))
            throw new SimViolation($"the settled CIB says {rsc} runs on {node}, but it does not");
        Trace($"running: {(real.Count == 0 ? "nothing" : string.Join(", ", real.Order().Select(r => $"{r.Rsc}@{r.Node}")))}");
    }

    /// <summary>The end state: one CIB everywhere, every acknowledged administrator change in it, the CIB's view matching reality.</summary>
    private void CheckEnd()
    {
        var dc = _nodes.Single(n => n.Core!.Controller.IsDc);
        var reference = dc.Core!.Cib.Cib.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        foreach (var node in _nodes.Where(n => n != dc))
            if (node.Core!.Cib.Cib.ToString(System.Xml.Linq.SaveOptions.DisableFormatting) != reference)
                throw new SimViolation($"{node.Name}'s CIB differs from the DC's ({dc.Name}) at the same version {dc.Core.Cib.Version}");
        CheckBeliefMatchesReality();
        // Transient attributes die with the node (attrd forgets a peer that leaves): a node that is
        // up and settled must not still carry the shutdown request of an earlier life.
        foreach (var state in dc.Core.Cib.Cib.Element("status")?.Elements("node_state") ?? [])
            foreach (var nv in state.Descendants("nvpair").Where(n => (string?)n.Attribute("name") == "shutdown"))
                throw new SimViolation($"settled, yet {(string?)state.Attribute("uname")} still has shutdown={(string?)nv.Attribute("value")} in its transient attributes");
        var expected = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var change in _adminAcked)
            expected[change.Id] = change.Expected;
        foreach (var (id, value) in expected)
        {
            var holds = SimConfiguration.Holds(dc.Core.Cib.Cib, id);
            if (holds != value)
                throw new SimViolation($"an acknowledged change is lost: {id} should be {value ?? "absent"}, the CIB has {holds ?? "nothing"}");
        }
    }
}
