using System.Threading.Channels;
using Cluster.Agents.Discovery;
using Cluster.Agents.Invocation;
using Cluster.Common.Paths;
using Cluster.Common.Processes;

namespace Cluster.Crm.Execd;

/// <summary>
/// The thin shell around <see cref="ExecutorCore"/>: runs agents through an
/// <see cref="IAgentRunner"/> (the real one kills a cancelled agent's whole process group),
/// owns the timers, and publishes results on <see cref="Results"/>. Every input goes through
/// one lock, so the core sees one input at a time as it does in the simulator.
/// </summary>
public sealed class ExecutorShell : IDisposable
{
    /// <summary>
    /// How much longer than the core's timeout the runner's own deadline is: the core's timer
    /// kills the agent, the runner's is only a backstop should the shell's timer be lost.
    /// </summary>
    private static readonly TimeSpan RunnerBackstop = TimeSpan.FromSeconds(30);

    private readonly ExecutorCore _core = new();
    private readonly IAgentRunner _runner;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly object _gate = new();
    private readonly Dictionary<long, CancellationTokenSource> _running = [];
    private readonly Dictionary<ExecutorTimer, ITimer> _timers = [];
    private readonly Channel<OperationResult> _results = Channel.CreateUnbounded<OperationResult>();
    private bool _disposed;

    public ExecutorShell(IAgentRunner runner, TimeProvider time)
    {
        _runner = runner;
        _time = time;
        _origin = time.GetTimestamp();
    }

    /// <summary>Results for the controller, in the order the core reported them.</summary>
    public ChannelReader<OperationResult> Results => _results.Reader;

    /// <summary>
    /// The real agent runner for one node: agents get <c>HA_ROOT</c> and <c>HA_RSCTMP</c> =
    /// <c>$HA_ROOT/run/resource-agents</c> (created here), so agents that keep state files
    /// (ocf:pacemaker:Dummy) stay per node when several nodes share one machine.
    /// </summary>
    public static AgentInvoker CreateAgentRunner(Func<string, string?> getEnv)
    {
        var environment = AgentInvoker.BaseEnvironmentFrom(getEnv);
        var rscTmp = HaPaths.FromEnvironment(getEnv).Under("/run/resource-agents");
        Directory.CreateDirectory(rscTmp);
        environment["HA_RSCTMP"] = rscTmp;
        return new AgentInvoker(new AgentCatalog(AgentSearchPaths.FromEnvironment(getEnv)), ProcessRunner.Default, environment);
    }

    /// <summary>Queues an operation; returns its call-id.</summary>
    public long Submit(AgentRequest request)
    {
        lock (_gate)
        {
            Apply(_core.Submit(request, Now, out var callId));
            return callId;
        }
    }

    /// <summary>Cancels a recurring operation; false when none is scheduled.</summary>
    public bool Cancel(string resourceId, string action, TimeSpan interval)
    {
        lock (_gate)
        {
            Apply(_core.Cancel(resourceId, action, interval, Now, out var found));
            return found;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var timer in _timers.Values)
                timer.Dispose();
            _timers.Clear();
            foreach (var cts in _running.Values)
                _ = cts.CancelAsync();
            _results.Writer.TryComplete();
        }
    }

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    private void Apply(IReadOnlyList<ExecutorEffect> effects)
    {
        if (_disposed)
            return;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case RunAgent run:
                    Start(run);
                    break;
                case KillAgent kill when _running.TryGetValue(kill.RunId, out var cts):
                    // Asynchronously: the runner's kill and exit report must not run inside this lock.
                    _ = cts.CancelAsync();
                    break;
                case ArmExecutorTimer arm:
                    Disarm(arm.Timer);
                    ITimer? created = null;
                    created = _time.CreateTimer(_ => Fire(arm.Timer, created!), null, arm.After, Timeout.InfiniteTimeSpan);
                    _timers[arm.Timer] = created;
                    break;
                case CancelExecutorTimer cancel:
                    Disarm(cancel.Timer);
                    break;
                case ReportResult report:
                    _results.Writer.TryWrite(report.Result);
                    break;
            }
        }
    }

    private void Disarm(ExecutorTimer timer)
    {
        if (_timers.Remove(timer, out var old))
            old.Dispose();
    }

    private void Fire(ExecutorTimer timer, ITimer instance)
    {
        lock (_gate)
        {
            // A timer re-armed or cancelled after this callback was queued is stale.
            if (!_timers.TryGetValue(timer, out var current) || !ReferenceEquals(current, instance))
                return;
            _timers.Remove(timer);
            instance.Dispose();
            Apply(_core.OnTimer(timer, Now));
        }
    }

    private void Start(RunAgent run)
    {
        var cts = new CancellationTokenSource();
        _running[run.RunId] = cts;
        var request = run.Request with { Timeout = run.Request.Timeout + RunnerBackstop };
        _ = Task.Run(async () =>
        {
            AgentExit exit;
            try
            {
                exit = AgentExit.From(await _runner.InvokeAsync(request, cts.Token).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                exit = new AgentExit(ExecutionStatus.Error, (int)OcfExitCode.ErrGeneric, e.Message);
            }
            lock (_gate)
            {
                _running.Remove(run.RunId);
                cts.Dispose();
                Apply(_core.OnAgentExited(run.RunId, exit, Now));
            }
        });
    }
}
