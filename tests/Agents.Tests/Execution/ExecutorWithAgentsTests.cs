using Cluster.Agents.Execution;
using Cluster.Agents.Invocation;
using Cluster.Agents.Tests.Support;

namespace Cluster.Agents.Tests.Execution;

/// <summary>The executor over real agent processes: a recurring monitor notices a resource dying.</summary>
public sealed class ExecutorWithAgentsTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public async Task RecurringMonitorOfDummyReportsRunningThenTheFailureOnce()
    {
        var root = _dirs.New();
        await using var executor = new Executor(TestAgents.Ours(root), TimeProvider.System, maxConcurrent: 2);
        var dummy = AgentId.Ocf("pacemaker", "Dummy");
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var start = await executor.SubmitAsync(new AgentRequest(dummy, "start", "D1"));
        Assert.Equal((ExecutionStatus.Done, 0), (start.Status, start.Rc));
        Assert.Equal(start, await executor.Results.ReadAsync(guard.Token));

        executor.StartRecurring(new AgentRequest(dummy, "monitor", "D1") { Interval = TimeSpan.FromMilliseconds(100) });
        var running = await executor.Results.ReadAsync(guard.Token);
        Assert.Equal(("monitor", 0), (running.Action, running.Rc));

        // The resource dies behind the cluster's back.
        File.Delete(Path.Combine(root, "run", "resource-agents", "Dummy-D1.state"));
        var failed = await executor.Results.ReadAsync(guard.Token);

        Assert.Equal(("monitor", 7, FailureSeverity.Soft), (failed.Action, failed.Rc, failed.Result!.Severity));
        Assert.Equal(running.CallId, failed.CallId);
        Assert.True(executor.Cancel("D1", "monitor", TimeSpan.FromMilliseconds(100)));
        Assert.Equal(ExecutionStatus.Cancelled, (await executor.Results.ReadAsync(guard.Token)).Status);
        Assert.Equal(["D1_start_0"], executor.History("D1").Select(h => h.Key));
    }
}
