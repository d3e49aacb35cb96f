using System.Collections.Concurrent;
using Cluster.Agents;
using Cluster.Agents.Execution;
using Cluster.Agents.Invocation;
using Cluster.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Agents.Tests.Execution;

public sealed class ExecutorTests
{
    /// <summary>An agent runner whose calls complete when the test says so.</summary>
    private sealed class ScriptedRunner : IAgentRunner
    {
        public ConcurrentQueue<(AgentRequest Request, TaskCompletionSource<AgentResult> Done)> Calls { get; } = new();
        public int Running;
        public int MaxRunning;
        public Func<AgentRequest, int>? AutoRc { get; set; }

        public async Task<AgentResult> InvokeAsync(AgentRequest request, CancellationToken cancellationToken = default)
        {
            var now = Interlocked.Increment(ref Running);
            InterlockedMax(ref MaxRunning, now);
            try
            {
                if (AutoRc is { } auto)
                    return Result(request, auto(request));
                var done = new TaskCompletionSource<AgentResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                using var reg = cancellationToken.Register(() => done.TrySetResult(
                    new AgentResult(request, ExecutionStatus.Cancelled, 1, null, "", "", TimeSpan.Zero)));
                Calls.Enqueue((request, done));
                return await done.Task;
            }
            finally
            {
                Interlocked.Decrement(ref Running);
            }
        }

        public static AgentResult Result(AgentRequest request, int rc) =>
            new(request, ExecutionStatus.Done, rc, null, "", "", TimeSpan.Zero);

        public async Task<(AgentRequest Request, TaskCompletionSource<AgentResult> Done)> NextCallAsync()
        {
            for (var i = 0; i < 500; i++)
            {
                if (Calls.TryDequeue(out var call))
                    return call;
                await Task.Delay(10);
            }
            throw new TimeoutException("the executor did not call the agent");
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private static AgentRequest Op(string rsc, string action, int intervalSeconds = 0) =>
        new(AgentId.Ocf("pacemaker", "Dummy"), action, rsc) { Interval = TimeSpan.FromSeconds(intervalSeconds) };

    private static async Task<OperationRecord> NextResultAsync(Executor executor)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await executor.Results.ReadAsync(guard.Token);
    }

    [Fact]
    public async Task OperationsOfOneResourceRunOneAtATimeInSubmissionOrder()
    {
        var runner = new ScriptedRunner();
        await using var executor = new Executor(runner, TimeProvider.System, maxConcurrent: 4);

        var start = executor.SubmitAsync(Op("A", "start"));
        var monitor = executor.SubmitAsync(Op("A", "monitor"));
        var stop = executor.SubmitAsync(Op("A", "stop"));

        foreach (var expected in new[] { "start", "monitor", "stop" })
        {
            var call = await runner.NextCallAsync();
            Assert.Equal(expected, call.Request.Action);
            await Task.Delay(50); // give a wrongly parallel executor the chance to start the next one
            Assert.True(runner.Calls.IsEmpty, $"another operation of A started while {expected} was running");
            call.Done.SetResult(ScriptedRunner.Result(call.Request, 0));
        }
        var records = await Task.WhenAll(start, monitor, stop);
        Assert.Equal(records.Select(r => r.CallId).Order(), records.Select(r => r.CallId));
    }

    [Fact]
    public async Task ConcurrencyLimitHoldsAcrossResources()
    {
        var runner = new ScriptedRunner();
        await using var executor = new Executor(runner, TimeProvider.System, maxConcurrent: 2);

        var ops = new[] { "A", "B", "C", "D" }.Select(r => executor.SubmitAsync(Op(r, "start"))).ToList();
        var first = await runner.NextCallAsync();
        var second = await runner.NextCallAsync();
        await Task.Delay(50);
        Assert.True(runner.Calls.IsEmpty, "a third operation started beyond the limit of 2");

        first.Done.SetResult(ScriptedRunner.Result(first.Request, 0));
        second.Done.SetResult(ScriptedRunner.Result(second.Request, 0));
        for (var i = 0; i < 2; i++)
        {
            var call = await runner.NextCallAsync();
            call.Done.SetResult(ScriptedRunner.Result(call.Request, 0));
        }
        await Task.WhenAll(ops);
        Assert.Equal(2, runner.MaxRunning);
    }

    [Fact]
    public async Task RecurringMonitorReportsItsFirstResultAndThenOnlyChanges()
    {
        var manual = new FakeTimeProvider();
        var time = new CountingTime(manual);
        var rcs = new ConcurrentQueue<int>([0, 0, 0, 7, 7, 0]);
        var runner = new ScriptedRunner { AutoRc = _ => rcs.TryDequeue(out var rc) ? rc : 0 };
        await using var executor = new Executor(runner, time, maxConcurrent: 1);

        executor.StartRecurring(Op("A", "monitor", 10));
        var first = await NextResultAsync(executor);
        Assert.Equal(0, first.Rc);
        var firstChange = first.LastRcChange;

        // Five more runs: 0, 0, 7, 7, 0 -> only the two changes are reported.
        for (var i = 0; i < 5; i++)
        {
            await time.WaitForTimersAsync(i + 1);
            manual.Advance(TimeSpan.FromSeconds(10));
        }
        await time.WaitForTimersAsync(6); // the sixth run finished and the seventh is scheduled
        var change1 = await NextResultAsync(executor);
        var change2 = await NextResultAsync(executor);
        Assert.Equal((7, 0), (change1.Rc, change2.Rc));
        Assert.True(change1.LastRcChange > firstChange);
        Assert.Equal(first.CallId, change1.CallId); // a recurring op keeps its call id
        Assert.False(executor.Results.TryRead(out _));
    }

    [Fact]
    public async Task CancelledRecurringMonitorStopsRunningAndIsReportedCancelled()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        var runner = new ScriptedRunner { AutoRc = _ => { Interlocked.Increment(ref calls); return 0; } };
        await using var executor = new Executor(runner, time, maxConcurrent: 1);
        executor.StartRecurring(Op("A", "monitor", 10));
        await NextResultAsync(executor);

        Assert.True(executor.Cancel("A", "monitor", TimeSpan.FromSeconds(10)));
        var cancelled = await NextResultAsync(executor);
        time.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(50);

        Assert.Equal(ExecutionStatus.Cancelled, cancelled.Status);
        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Empty(executor.RecurringKeys());
        Assert.False(executor.Cancel("A", "monitor", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task HistoryKeepsLastResultPerOperationWithQueueAndExecTime()
    {
        var time = new FakeTimeProvider();
        var runner = new ScriptedRunner();
        await using var executor = new Executor(runner, time, maxConcurrent: 1);

        var start = executor.SubmitAsync(Op("A", "start"));
        var probe = executor.SubmitAsync(Op("A", "monitor"));
        var call = await runner.NextCallAsync();
        time.Advance(TimeSpan.FromSeconds(3));
        call.Done.SetResult(ScriptedRunner.Result(call.Request, 0));
        call = await runner.NextCallAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        call.Done.SetResult(ScriptedRunner.Result(call.Request, 7));
        await Task.WhenAll(start, probe);

        var history = executor.History("A");
        Assert.Equal(["A_start_0", "A_monitor_0"], history.Select(h => h.Key));
        Assert.Equal(TimeSpan.FromSeconds(3), history[0].ExecTime);
        Assert.Equal(TimeSpan.FromSeconds(3), history[1].QueueTime);
        Assert.Equal(TimeSpan.FromSeconds(1), history[1].ExecTime);
        Assert.Equal(7, history[1].Rc);
    }

    [Fact]
    public async Task CancellingAQueuedOperationReportsCancelledWithoutRunningIt()
    {
        var runner = new ScriptedRunner();
        await using var executor = new Executor(runner, TimeProvider.System, maxConcurrent: 1);
        using var cts = new CancellationTokenSource();

        var blocker = executor.SubmitAsync(Op("A", "start"));
        var queued = executor.SubmitAsync(Op("B", "start"), cts.Token);
        var call = await runner.NextCallAsync();
        await cts.CancelAsync();
        var record = await queued;
        call.Done.SetResult(ScriptedRunner.Result(call.Request, 0));
        await blocker;

        Assert.Equal(ExecutionStatus.Cancelled, record.Status);
        Assert.Null(record.Result);
        Assert.True(runner.Calls.IsEmpty);
    }

    /// <summary>Counts timers the executor creates, so a test advances time only once the next run is scheduled.</summary>
    private sealed class CountingTime(FakeTimeProvider inner) : TimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = inner.CreateTimer(callback, state, dueTime, period);
            if (period == Timeout.InfiniteTimeSpan && dueTime != Timeout.InfiniteTimeSpan)
                Interlocked.Increment(ref _timers);
            return timer;
        }

        public async Task WaitForTimersAsync(int count)
        {
            for (var i = 0; i < 500 && Timers < count; i++)
                await Task.Delay(10);
            Assert.True(Timers >= count, $"expected {count} scheduled runs, saw {Timers}");
        }
    }
}
