using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Crm.Execd;
using Cluster.Crm.Node;

namespace Cluster.Crm.ClusterSim;

/// <summary>The simulated executor shell: the real <see cref="ExecutorCore"/> per node, scripted agents, the real resource state.</summary>
public sealed partial class ClusterSimulator
{
    /// <summary>Scripted misbehaviour by (node, resource, action): how, and for how many more runs.</summary>
    private readonly Dictionary<(string Node, string Resource, string Action), (AgentBehaviour How, int Left)> _scripts = [];

    private void ApplyExecutor(SimNode node, IReadOnlyList<ExecutorEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case RunAgent run:
                    StartAgent(node, run);
                    break;
                case KillAgent kill:
                    // The process group dies; the shell still reports the exit (the core turns it into a timeout).
                    AtNode(_now + TimeSpan.FromMilliseconds(5), node, () => AgentExited(node, kill.RunId, killed: true));
                    break;
                case ArmExecutorTimer arm:
                    {
                        var generation = ++_timerGeneration;
                        node.ExecutorTimers[arm.Timer] = generation;
                        var timer = arm.Timer;
                        AtNode(_now + arm.After, node, () =>
                        {
                            if (node.ExecutorTimers.TryGetValue(timer, out var current) && current == generation)
                            {
                                node.ExecutorTimers.Remove(timer);
                                ApplyExecutor(node, node.Executor!.OnTimer(timer, _now));
                            }
                        });
                        break;
                    }
                case CancelExecutorTimer cancel:
                    node.ExecutorTimers.Remove(cancel.Timer);
                    break;
                case ReportResult report:
                    // Through the loop's inbox, as the daemon's results channel does.
                    var result = report.Result;
                    AtNode(_now, node, () => Deliver(node, new ExecutorReported(result)));
                    break;
            }
        }
    }

    private void StartAgent(SimNode node, RunAgent run)
    {
        var how = AgentBehaviour.Succeed;
        (string, string, string) key = (node.Name, run.Request.ResourceId, run.Request.Action);
        if (_scripts.TryGetValue(key, out var script))
        {
            how = script.How;
            if (script.Left <= 1) _scripts.Remove(key);
            else _scripts[key] = (script.How, script.Left - 1);
        }
        node.Runs[run.RunId] = new SimAgentRun(run.RunId, run.Request, how);
        var takes = how switch
        {
            AgentBehaviour.Hang => (TimeSpan?)null,
            AgentBehaviour.Slow => TimeSpan.FromMilliseconds(_rng.Range(1_000, (long)(run.Request.Timeout.TotalMilliseconds * 1.5))),
            _ => TimeSpan.FromMilliseconds(_rng.Range(5, 300)),
        };
        if (takes is { } t)
            AtNode(_now + t, node, () => AgentExited(node, run.RunId, killed: false));
    }

    /// <summary>The agent's process ended (or was killed): the real state changes, then the core hears of it.</summary>
    private void AgentExited(SimNode node, long runId, bool killed)
    {
        if (!node.Runs.Remove(runId, out var run))
            return; // already exited (a slow run that was killed first)
        var request = run.Request;
        var rsc = request.ResourceId;
        var fails = run.Behaviour == AgentBehaviour.Fail;
        int rc;
        switch (request.Action)
        {
            case "start":
                // A killed start may have got as far as starting the resource: the worst case.
                if (!fails || killed) node.Running.Add(rsc);
                rc = fails || killed ? (int)OcfExitCode.ErrGeneric : 0;
                if (node.Running.Contains(rsc)) CheckStartedSafely(node, rsc);
                break;
            case "stop":
                if (!fails && !killed) node.Running.Remove(rsc);
                rc = fails || killed ? (int)OcfExitCode.ErrGeneric : 0;
                if (!node.Running.Contains(rsc)) node.LostUnfenced.Remove(rsc);
                break;
            case "monitor" when request.Agent.Standard == Agents.AgentStandard.Stonith:
                // The controller asks a fencing device's agent only where the device is registered:
                // the agent checks the device, which is always reachable here.
                rc = fails ? (int)OcfExitCode.ErrGeneric : 0;
                break;
            case "monitor":
                rc = fails ? (int)OcfExitCode.ErrGeneric : node.Running.Contains(rsc) ? 0 : (int)OcfExitCode.NotRunning;
                if (request.Interval == TimeSpan.Zero && !node.Running.Contains(rsc)) node.LostUnfenced.Remove(rsc);
                break;
            default:
                rc = fails ? (int)OcfExitCode.ErrGeneric : 0;
                break;
        }
        if (killed || run.Behaviour != AgentBehaviour.Succeed || rc is not (0 or 7) || request.Action != "monitor")
            Trace($"{node.Name} agent {rsc} {request.Action}{(request.Interval > TimeSpan.Zero ? $"/{(long)request.Interval.TotalSeconds}s" : "")} " +
                  $"{(killed ? "killed" : $"rc {rc}")}{(run.Behaviour == AgentBehaviour.Succeed ? "" : $" ({run.Behaviour})")}; running here: {node.Running.Contains(rsc)}");
        var exit = killed
            ? new AgentExit(ExecutionStatus.Error, (int)OcfExitCode.ErrGeneric, "killed")
            : new AgentExit(ExecutionStatus.Done, rc, fails ? "scripted failure" : null);
        ApplyExecutor(node, node.Executor!.OnAgentExited(runId, exit, _now));
    }
}
