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
        if (_nodes.Any(n => !n.Up || n.Partition != 0 || !n.InCrmd))
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
        var graph = Scheduler.Scheduler.Schedule(CibDocument.FromElement(dc.Core.Cib.Cib), new SchedulerOptions { Now = WallEpoch + _now }).Graph;
        return graph.Synapses.Count == 0;
    }

    /// <summary>The end state: one CIB everywhere, every acknowledged administrator change in it, the CIB's view matching reality.</summary>
    private void CheckEnd()
    {
        var dc = _nodes.Single(n => n.Core!.Controller.IsDc);
        var reference = dc.Core!.Cib.Cib.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
        foreach (var node in _nodes.Where(n => n != dc))
            if (node.Core!.Cib.Cib.ToString(System.Xml.Linq.SaveOptions.DisableFormatting) != reference)
                throw new SimViolation($"{node.Name}'s CIB differs from the DC's ({dc.Name}) at the same version {dc.Core.Cib.Version}");
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
