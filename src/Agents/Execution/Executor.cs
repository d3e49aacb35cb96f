using System.Globalization;
using System.Threading.Channels;
using Cluster.Agents.Invocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Agents.Execution;

/// <summary>
/// The local executor core: runs agent actions one at a time per resource in submission
/// order, at most <c>maxConcurrent</c> at once across resources; keeps recurring monitors
/// running and reports only their changes; keeps the operation history; publishes every
/// reported result on <see cref="Results"/> for the controller.
/// </summary>
public sealed class Executor : IAsyncDisposable
{
    private readonly IAgentRunner _runner;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _slots;
    private readonly Channel<OperationRecord> _results = Channel.CreateUnbounded<OperationRecord>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly object _gate = new();
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Recurring> _recurring = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OperationRecord> _history = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ILogger _log;
    private long _nextCallId;

    public Executor(IAgentRunner runner, TimeProvider time, int maxConcurrent, ILogger<Executor>? log = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _log = log ?? NullLogger<Executor>.Instance;
        _runner = runner;
        _time = time;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    /// <summary>Every one-shot result, the first result of each recurring op and its changes, and cancellations.</summary>
    public ChannelReader<OperationRecord> Results => _results.Reader;

    /// <summary>Queues a one-shot action; completes with its record once it ran.</summary>
    public Task<OperationRecord> SubmitAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Interval > TimeSpan.Zero)
            throw new ArgumentException($"{request.ResourceId} {request.Action}: use StartRecurring for interval {request.Interval}", nameof(request));
        var callId = Interlocked.Increment(ref _nextCallId);
        return Enqueue(request, callId, cancellationToken, report: _ => true);
    }

    /// <summary>
    /// Starts a recurring operation: runs now, then every interval (each run queued behind the
    /// resource's other operations). Returns its call id.
    /// </summary>
    public long StartRecurring(AgentRequest request)
    {
        if (request.Interval <= TimeSpan.Zero)
            throw new ArgumentException($"{request.ResourceId} {request.Action}: a recurring operation needs an interval", nameof(request));
        var key = Key(request.ResourceId, request.Action, request.Interval);
        var recurring = new Recurring(request, Interlocked.Increment(ref _nextCallId), _shutdown.Token);
        lock (_gate)
        {
            if (!_recurring.TryAdd(key, recurring))
                throw new InvalidOperationException($"{key} is already recurring; cancel it first");
        }
        // Runs now; the next run is scheduled after each completes (never two at once).
        RunRecurring(recurring);
        return recurring.CallId;
    }

    /// <summary>Stops a recurring operation (aborting a run in progress) and reports it cancelled.</summary>
    public bool Cancel(string resourceId, string action, TimeSpan interval)
    {
        Recurring? recurring;
        lock (_gate)
        {
            var key = Key(resourceId, action, interval);
            if (!_recurring.Remove(key, out recurring))
                return false;
            _history.Remove(key);
        }
        recurring.Stop();
        var now = _time.GetUtcNow();
        Publish(new OperationRecord(recurring.CallId, resourceId, action, interval, ExecutionStatus.Cancelled,
            (int)OcfExitCode.ErrGeneric, null, now, now, TimeSpan.Zero, TimeSpan.Zero, now));
        return true;
    }

    /// <summary>The last record of each operation (resource, action, interval) of a resource.</summary>
    public IReadOnlyList<OperationRecord> History(string resourceId)
    {
        lock (_gate)
            return _history.Values.Where(r => r.ResourceId == resourceId).OrderBy(r => r.CallId).ToList();
    }

    public IReadOnlyList<string> RecurringKeys()
    {
        lock (_gate)
            return _recurring.Keys.Order(StringComparer.Ordinal).ToList();
    }

    private void RunRecurring(Recurring recurring)
    {
        if (recurring.Token.IsCancellationRequested)
            return;
        _ = Enqueue(recurring.Request, recurring.CallId, recurring.Token, report: record =>
        {
            // Report the first result and every change of rc or status; later equal results are silent.
            var changed = recurring.Last is not { } last || last.Rc != record.Rc || last.Status != record.Status;
            recurring.Last = record;
            return changed;
        }).ContinueWith(_ => recurring.Schedule(_time, () => RunRecurring(recurring)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private Task<OperationRecord> Enqueue(AgentRequest request, long callId, CancellationToken cancellationToken,
        Func<OperationRecord, bool> report)
    {
        var queuedAt = _time.GetUtcNow();
        Task<OperationRecord> run;
        lock (_gate)
        {
            var previous = _tails.GetValueOrDefault(request.ResourceId, Task.CompletedTask);
            run = RunAfterAsync(previous, request, callId, queuedAt, cancellationToken, report);
            _tails[request.ResourceId] = run;
        }
        return run;
    }

    private async Task<OperationRecord> RunAfterAsync(Task previous, AgentRequest request, long callId,
        DateTimeOffset queuedAt, CancellationToken cancellationToken, Func<OperationRecord, bool> report)
    {
        // The previous operation's own outcome is reported on its own task; here it only orders.
        await previous.ContinueWith(static _ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var acquired = false;
        try
        {
            await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            acquired = true;
        }
        catch (OperationCanceledException)
        {
            // Cancelled while queued: never ran.
        }
        var startedAt = _time.GetUtcNow();
        AgentResult? result = null;
        try
        {
            if (acquired)
                result = await _runner.InvokeAsync(request, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            if (acquired)
                _slots.Release();
        }
        var finishedAt = _time.GetUtcNow();
        var status = result?.Status ?? ExecutionStatus.Cancelled;
        var rc = result?.Rc ?? (int)OcfExitCode.ErrGeneric;
        var key = Key(request.ResourceId, request.Action, request.Interval);
        OperationRecord record;
        bool publish;
        lock (_gate)
        {
            var lastRcChange = _history.TryGetValue(key, out var before) && before.Rc == rc && before.Status == status
                ? before.LastRcChange
                : finishedAt;
            record = new OperationRecord(callId, request.ResourceId, request.Action, request.Interval, status, rc,
                result?.ExitReason, queuedAt, startedAt, startedAt - queuedAt, finishedAt - startedAt, lastRcChange)
            {
                Result = result,
            };
            // A recurring op cancelled meanwhile keeps no history and reports nothing more.
            var stale = request.Interval > TimeSpan.Zero && !_recurring.ContainsKey(key);
            if (!stale)
                _history[key] = record;
            publish = !stale && report(record);
        }
        LogCompletion(record);
        if (publish)
            Publish(record);
        return record;
    }

    /// <summary>Every run is logged with the agent's (capped) output; failures as warnings.</summary>
    private void LogCompletion(OperationRecord record)
    {
        var failed = record.Result is { Succeeded: false } || record.Status is not (ExecutionStatus.Done or ExecutionStatus.Cancelled);
        var level = failed ? LogLevel.Warning : LogLevel.Debug;
        if (!_log.IsEnabled(level))
            return;
        _log.Log(level, "{Key} call {CallId}: {Status} rc={Rc} ({Reason}) exec={ExecMs}ms queue={QueueMs}ms",
            record.Key, record.CallId, record.Status, record.Rc, record.ExitReason ?? ResultClassifier.Describe(record.Rc),
            ((long)record.ExecTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ((long)record.QueueTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        if (record.Result is { } result)
        {
            foreach (var (stream, text) in new[] { ("stdout", result.StandardOutput), ("stderr", result.StandardError) })
            {
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    _log.Log(level, "{Key} {Stream}: {Line}", record.Key, stream, line);
            }
        }
    }

    private void Publish(OperationRecord record) => _results.Writer.TryWrite(record);

    private static string Key(string resourceId, string action, TimeSpan interval) =>
        $"{resourceId}_{action}_{(long)interval.TotalMilliseconds}";

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        List<Recurring> all;
        lock (_gate)
        {
            all = [.. _recurring.Values];
            _recurring.Clear();
        }
        foreach (var recurring in all)
            recurring.Stop();
        Task[] tails;
        lock (_gate)
            tails = [.. _tails.Values];
        await Task.WhenAll(tails.Select(t => t.ContinueWith(static _ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
        _results.Writer.TryComplete();
        _shutdown.Dispose();
        _slots.Dispose();
    }

    /// <summary>A recurring operation's state: its timer and the last result (to report only changes).</summary>
    private sealed class Recurring(AgentRequest request, long callId, CancellationToken shutdown)
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        private readonly object _gate = new();
        private ITimer? _timer;

        public AgentRequest Request => request;
        public long CallId => callId;
        public CancellationToken Token => _stop.Token;
        public OperationRecord? Last { get; set; }

        public void Schedule(TimeProvider time, Action run)
        {
            lock (_gate)
            {
                if (_stop.IsCancellationRequested)
                    return;
                _timer?.Dispose();
                _timer = time.CreateTimer(_ => run(), null, request.Interval, Timeout.InfiniteTimeSpan);
            }
        }

        public void Stop()
        {
            lock (_gate)
            {
                _timer?.Dispose();
                _timer = null;
                _stop.Cancel();
            }
        }
    }
}
