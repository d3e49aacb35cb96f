using System.Globalization;
using Cluster.Agents.Invocation;

namespace Cluster.Crm.Execd;

/// <summary>
/// The local executor (Pacemaker's execd) as a sans-IO state machine. Inputs: submissions,
/// cancels, agent exits and timer expiries, each with the current monotonic time. Outputs:
/// effects. It runs one action at a time per resource in submission order (agents are not
/// written to cope with two actions on one resource at once), keeps recurring operations
/// running until cancelled, reports a recurring op only when its outcome changes, and turns an
/// expired timeout into a kill of the agent's process group.
/// </summary>
public sealed class ExecutorCore
{
    private readonly Dictionary<string, ResourceLane> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Recurring> _recurring = [];
    private readonly Dictionary<string, long> _recurringByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Run> _runs = [];
    private long _nextCallId;
    private long _nextRunId;

    /// <summary>Operations waiting or running, over all resources.</summary>
    public int Outstanding => _lanes.Values.Sum(l => l.Waiting.Count + (l.Running is null ? 0 : 1));

    /// <summary>Recurring operations currently scheduled (running, queued or waiting for their interval).</summary>
    public int RecurringCount => _recurring.Count;

    /// <summary>The run in progress on <paramref name="resourceId"/>, if any.</summary>
    public long? RunningOn(string resourceId) =>
        _lanes.TryGetValue(resourceId, out var lane) ? lane.Running?.RunId : null;

    /// <summary>
    /// Queues an operation behind the resource's others; <paramref name="callId"/> identifies it
    /// in every result. A recurring op (interval &gt; 0) replaces a recurring op with the same
    /// resource, action and interval (the old one is reported cancelled).
    /// </summary>
    public IReadOnlyList<ExecutorEffect> Submit(AgentRequest request, TimeSpan now, out long callId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var effects = new List<ExecutorEffect>();
        callId = ++_nextCallId;
        if (request.Interval > TimeSpan.Zero)
        {
            var key = KeyOf(request.ResourceId, request.Action, request.Interval);
            if (_recurringByKey.TryGetValue(key, out var old))
                CancelRecurring(old, now, effects);
            _recurring[callId] = new Recurring(callId, request);
            _recurringByKey[key] = callId;
        }
        Enqueue(new Pending(callId, request, now), now, effects);
        return effects;
    }

    /// <summary>
    /// Cancels the recurring op of <paramref name="resourceId"/> with this action and interval.
    /// A run in progress finishes first (killing a monitor midway helps nobody); then a
    /// Cancelled result is reported and the op never runs again. <paramref name="found"/> is
    /// false, and nothing happens, when no such op is scheduled.
    /// </summary>
    public IReadOnlyList<ExecutorEffect> Cancel(string resourceId, string action, TimeSpan interval, TimeSpan now, out bool found)
    {
        var effects = new List<ExecutorEffect>();
        found = _recurringByKey.TryGetValue(KeyOf(resourceId, action, interval), out var callId);
        if (found)
            CancelRecurring(callId, now, effects);
        return effects;
    }

    /// <summary>The shell's report that run <paramref name="runId"/>'s process (group) has ended.</summary>
    public IReadOnlyList<ExecutorEffect> OnAgentExited(long runId, AgentExit exit, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(exit);
        var effects = new List<ExecutorEffect>();
        if (!_runs.Remove(runId, out var run))
            return effects; // a stale or duplicate report: the run is already accounted for
        var lane = _lanes[run.Op.Request.ResourceId];
        lane.Running = null;
        if (!run.TimedOut)
            effects.Add(new CancelExecutorTimer(new RunTimeout(runId)));

        var request = run.Op.Request;
        var result = run.TimedOut
            ? new OperationResult(run.Op.CallId, request.ResourceId, request.Action, request.Interval,
                ExecutionStatus.TimedOut, (int)OcfExitCode.ErrGeneric,
                $"{request.Action} timed out after {((long)request.Timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}ms",
                run.Op.QueuedAt, run.StartedAt, now - run.StartedAt)
            : new OperationResult(run.Op.CallId, request.ResourceId, request.Action, request.Interval,
                exit.Status, exit.Rc, exit.ExitReason, run.Op.QueuedAt, run.StartedAt, now - run.StartedAt);
        result = result with { StandardOutput = exit.StandardOutput, StandardError = exit.StandardError };

        if (_recurring.TryGetValue(run.Op.CallId, out var recurring))
        {
            if (recurring.Cancelled)
            {
                Forget(recurring);
                effects.Add(new ReportResult(result with { Status = ExecutionStatus.Cancelled }));
            }
            else
            {
                if (!result.SameOutcome(recurring.LastReported))
                {
                    recurring.LastReported = result;
                    effects.Add(new ReportResult(result));
                }
                recurring.State = RecurringState.Waiting;
                effects.Add(new ArmExecutorTimer(new RecurringDue(recurring.CallId), request.Interval));
            }
        }
        else
        {
            effects.Add(new ReportResult(result));
        }
        StartNext(lane, now, effects);
        return effects;
    }

    public IReadOnlyList<ExecutorEffect> OnTimer(ExecutorTimer timer, TimeSpan now)
    {
        var effects = new List<ExecutorEffect>();
        switch (timer)
        {
            case RunTimeout t when _runs.TryGetValue(t.RunId, out var run) && !run.TimedOut:
                // The result waits for the exit report so the next action on this resource
                // never overlaps with what is left of this one.
                run.TimedOut = true;
                effects.Add(new KillAgent(t.RunId));
                break;
            case RecurringDue d when _recurring.TryGetValue(d.CallId, out var recurring)
                                     && recurring.State == RecurringState.Waiting:
                Enqueue(new Pending(recurring.CallId, recurring.Request, now), now, effects);
                break;
        }
        return effects;
    }

    private void Enqueue(Pending op, TimeSpan now, List<ExecutorEffect> effects)
    {
        if (!_lanes.TryGetValue(op.Request.ResourceId, out var lane))
            _lanes[op.Request.ResourceId] = lane = new ResourceLane();
        if (_recurring.TryGetValue(op.CallId, out var recurring))
            recurring.State = RecurringState.Queued;
        lane.Waiting.Enqueue(op);
        StartNext(lane, now, effects);
    }

    private void StartNext(ResourceLane lane, TimeSpan now, List<ExecutorEffect> effects)
    {
        if (lane.Running is not null || !lane.Waiting.TryDequeue(out var op))
            return;
        var run = new Run(++_nextRunId, op, now);
        lane.Running = run;
        _runs[run.RunId] = run;
        if (_recurring.TryGetValue(op.CallId, out var recurring))
            recurring.State = RecurringState.Running;
        effects.Add(new RunAgent(run.RunId, op.CallId, op.Request));
        effects.Add(new ArmExecutorTimer(new RunTimeout(run.RunId), op.Request.Timeout));
    }

    private void CancelRecurring(long callId, TimeSpan now, List<ExecutorEffect> effects)
    {
        var recurring = _recurring[callId];
        var request = recurring.Request;
        var lane = _lanes[request.ResourceId];
        switch (recurring.State)
        {
            case RecurringState.Running:
                // Reported when the run ends; the key is freed now so a replacement can start.
                recurring.Cancelled = true;
                _recurringByKey.Remove(KeyOf(request.ResourceId, request.Action, request.Interval));
                return;
            case RecurringState.Waiting:
                effects.Add(new CancelExecutorTimer(new RecurringDue(callId)));
                break;
            case RecurringState.Queued:
                var kept = lane.Waiting.Where(p => p.CallId != callId).ToList();
                lane.Waiting.Clear();
                foreach (var p in kept)
                    lane.Waiting.Enqueue(p);
                break;
        }
        Forget(recurring);
        effects.Add(new ReportResult(new OperationResult(callId, request.ResourceId, request.Action, request.Interval,
            ExecutionStatus.Cancelled, recurring.LastReported?.Rc ?? 0, null, now, now, TimeSpan.Zero)));
    }

    private void Forget(Recurring recurring)
    {
        _recurring.Remove(recurring.CallId);
        var key = KeyOf(recurring.Request.ResourceId, recurring.Request.Action, recurring.Request.Interval);
        if (_recurringByKey.TryGetValue(key, out var id) && id == recurring.CallId)
            _recurringByKey.Remove(key);
    }

    private static string KeyOf(string resourceId, string action, TimeSpan interval) =>
        $"{resourceId}_{action}_{(long)interval.TotalMilliseconds}";

    private sealed record Pending(long CallId, AgentRequest Request, TimeSpan QueuedAt);

    private sealed class Run(long runId, Pending op, TimeSpan startedAt)
    {
        public long RunId { get; } = runId;
        public Pending Op { get; } = op;
        public TimeSpan StartedAt { get; } = startedAt;
        public bool TimedOut { get; set; }
    }

    private sealed class ResourceLane
    {
        public Queue<Pending> Waiting { get; } = new();
        public Run? Running { get; set; }
    }

    private enum RecurringState { Queued, Running, Waiting }

    private sealed class Recurring(long callId, AgentRequest request)
    {
        public long CallId { get; } = callId;
        public AgentRequest Request { get; } = request;
        public RecurringState State { get; set; } = RecurringState.Queued;
        public bool Cancelled { get; set; }
        public OperationResult? LastReported { get; set; }
    }
}
