using Microsoft.Extensions.Time.Testing;
using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Crm.Execd;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Execd;

public class ExecutorShellTests
{
    [Fact]
    public void Agents_get_HA_ROOT_and_an_HA_RSCTMP_inside_it()
    {
        var root = Directory.CreateTempSubdirectory("execd-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["HA_ROOT"] = root };
            var invoker = ExecutorShell.CreateAgentRunner(n => env.GetValueOrDefault(n));
            var spec = invoker.BuildSpec(new AgentRequest(new AgentId(AgentStandard.Ocf, "pacemaker", "Dummy"), "start", "D"), "/bin/true");
            Assert.Equal(root, spec.Environment["HA_ROOT"]);
            Assert.Equal(root + "/run/resource-agents", spec.Environment["HA_RSCTMP"]);
            Assert.True(Directory.Exists(root + "/run/resource-agents"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_result_from_the_runner_reaches_the_results_channel_with_its_call_id()
    {
        using var shell = new ExecutorShell(new FixedRunner(3), TimeProvider.System);
        var callId = shell.Submit(new AgentRequest(new AgentId(AgentStandard.Ocf, "pacemaker", "Dummy"), "start", "D"));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await shell.Results.ReadAsync(cts.Token);
        Assert.Equal((callId, 3), (result.CallId, result.Rc));
    }

    [Fact]
    public async Task A_timeout_cancels_the_run_and_reports_it_timed_out()
    {
        var time = new FakeTimeProvider();
        var runner = new HangingRunner();
        using var shell = new ExecutorShell(runner, time);
        var callId = shell.Submit(new AgentRequest(new AgentId(AgentStandard.Ocf, "pacemaker", "Dummy"), "start", "D") { Timeout = TimeSpan.FromSeconds(5) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await runner.Started.Task.WaitAsync(cts.Token);
        time.Advance(TimeSpan.FromSeconds(5));
        var result = await shell.Results.ReadAsync(cts.Token);
        Assert.Equal((callId, ExecutionStatus.TimedOut), (result.CallId, result.Status));
        Assert.True(runner.WasCancelled);
    }

    /// <summary>Stands for an agent that never exits: only the cancellation (the kill) ends it.</summary>
    private sealed class HangingRunner : IAgentRunner
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool WasCancelled { get; private set; }

        public async Task<AgentResult> InvokeAsync(AgentRequest request, CancellationToken cancellationToken = default)
        {
            Started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WasCancelled = true;
            }
            return new AgentResult(request, ExecutionStatus.Cancelled, 1, null, "", "", TimeSpan.Zero);
        }
    }

    private sealed class FixedRunner(int rc) : IAgentRunner
    {
        public Task<AgentResult> InvokeAsync(AgentRequest request, CancellationToken cancellationToken = default) =>
            Task.FromResult(new AgentResult(request, ExecutionStatus.Done, rc, null, "", "", TimeSpan.Zero));
    }
}
