using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Crm.Execd;

namespace Cluster.Crm.Tests.Execd;

public class ExecutorCoreTests
{
    private static readonly AgentId Dummy = new(AgentStandard.Ocf, "pacemaker", "Dummy");
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);

    private static AgentRequest Op(string rsc, string action, int intervalMs = 0, int timeoutMs = 20000) =>
        new(Dummy, action, rsc) { Interval = TimeSpan.FromMilliseconds(intervalMs), Timeout = TimeSpan.FromMilliseconds(timeoutMs) };

    private static AgentExit Ok => new(ExecutionStatus.Done, 0, null);
    private static AgentExit NotRunning => new(ExecutionStatus.Done, 7, null);

    private static List<RunAgent> Runs(IReadOnlyList<ExecutorEffect> effects) => effects.OfType<RunAgent>().ToList();
    private static List<OperationResult> Reports(IReadOnlyList<ExecutorEffect> effects) =>
        effects.OfType<ReportResult>().Select(r => r.Result).ToList();

    [Fact]
    public void Second_action_on_one_resource_waits_until_the_first_has_exited()
    {
        var core = new ExecutorCore();
        var first = Runs(core.Submit(Op("A", "start"), T0, out _));
        var second = core.Submit(Op("A", "stop"), T0, out _);
        Assert.Single(first);
        Assert.Empty(Runs(second));
        var after = core.OnAgentExited(first[0].RunId, Ok, T0 + TimeSpan.FromSeconds(1));
        Assert.Equal("stop", Assert.Single(Runs(after)).Request.Action);
    }

    [Fact]
    public void Actions_on_different_resources_run_at_the_same_time()
    {
        var core = new ExecutorCore();
        Assert.Single(Runs(core.Submit(Op("A", "start"), T0, out _)));
        Assert.Single(Runs(core.Submit(Op("B", "start"), T0, out _)));
    }

    [Fact]
    public void Queued_actions_of_one_resource_run_in_submission_order()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "start"), T0, out _)).Single();
        core.Submit(Op("A", "monitor"), T0, out _);
        core.Submit(Op("A", "stop"), T0, out _);
        var order = new List<string> { run.Request.Action };
        for (var i = 0; i < 2; i++)
        {
            run = Runs(core.OnAgentExited(run.RunId, Ok, T0)).Single();
            order.Add(run.Request.Action);
        }
        Assert.Equal(["start", "monitor", "stop"], order);
    }

    [Fact]
    public void A_one_shot_result_is_reported_with_the_call_id_given_at_submission()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "start"), T0, out var callId)).Single();
        var report = Reports(core.OnAgentExited(run.RunId, new AgentExit(ExecutionStatus.Done, 5, "no such file"), T0 + TimeSpan.FromSeconds(2))).Single();
        Assert.Equal(callId, report.CallId);
        Assert.Equal(5, report.Rc);
        Assert.Equal("no such file", report.ExitReason);
        Assert.Equal(TimeSpan.FromSeconds(2), report.ExecTime);
        Assert.Equal("A_start_0", report.Key);
    }

    [Fact]
    public void A_recurring_monitor_is_rearmed_after_each_result_and_reported_only_when_it_changes()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "monitor", 10000), T0, out var callId)).Single();
        var reported = new List<int>();
        var exits = new[] { Ok, Ok, Ok, NotRunning, NotRunning, Ok };
        foreach (var exit in exits)
        {
            var effects = core.OnAgentExited(run.RunId, exit, T0);
            reported.AddRange(Reports(effects).Select(r => r.Rc));
            var arm = effects.OfType<ArmExecutorTimer>().Single(a => a.Timer is RecurringDue);
            Assert.Equal(new RecurringDue(callId), arm.Timer);
            Assert.Equal(TimeSpan.FromSeconds(10), arm.After);
            run = Runs(core.OnTimer(arm.Timer, T0 + arm.After)).Single();
            Assert.Equal(callId, run.CallId);
        }
        Assert.Equal([0, 7, 0], reported);
    }

    [Fact]
    public void A_recurring_run_queues_behind_other_actions_of_its_resource()
    {
        var core = new ExecutorCore();
        var monitor = Runs(core.Submit(Op("A", "monitor", 10000), T0, out var callId)).Single();
        core.OnAgentExited(monitor.RunId, Ok, T0);
        var stop = Runs(core.Submit(Op("A", "stop"), T0, out _)).Single();
        Assert.Empty(Runs(core.OnTimer(new RecurringDue(callId), T0 + TimeSpan.FromSeconds(10))));
        Assert.Equal(callId, Runs(core.OnAgentExited(stop.RunId, Ok, T0)).Single().CallId);
    }

    [Fact]
    public void Cancel_of_a_waiting_recurring_op_disarms_it_and_reports_it_cancelled()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "monitor", 10000), T0, out var callId)).Single();
        core.OnAgentExited(run.RunId, Ok, T0);
        var effects = core.Cancel("A", "monitor", TimeSpan.FromSeconds(10), T0, out var found);
        Assert.True(found);
        Assert.Contains(new CancelExecutorTimer(new RecurringDue(callId)), effects);
        var report = Reports(effects).Single();
        Assert.Equal((callId, ExecutionStatus.Cancelled), (report.CallId, report.Status));
        Assert.Empty(core.OnTimer(new RecurringDue(callId), T0 + TimeSpan.FromSeconds(10)));
        Assert.Equal(0, core.RecurringCount);
    }

    [Fact]
    public void Cancel_of_a_running_recurring_op_reports_when_the_run_ends_and_never_rearms()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "monitor", 10000), T0, out var callId)).Single();
        Assert.Empty(core.Cancel("A", "monitor", TimeSpan.FromSeconds(10), T0, out var found));
        Assert.True(found);
        var effects = core.OnAgentExited(run.RunId, Ok, T0);
        Assert.Equal(ExecutionStatus.Cancelled, Reports(effects).Single().Status);
        Assert.DoesNotContain(effects, e => e is ArmExecutorTimer { Timer: RecurringDue });
    }

    [Fact]
    public void Cancel_of_an_unknown_op_changes_nothing()
    {
        var core = new ExecutorCore();
        Assert.Empty(core.Cancel("A", "monitor", TimeSpan.FromSeconds(10), T0, out var found));
        Assert.False(found);
    }

    [Fact]
    public void A_timeout_kills_the_agent_and_the_result_is_reported_timed_out_once_it_has_exited()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "start", timeoutMs: 5000), T0, out var callId)).Single();
        var stop = core.Submit(Op("A", "stop"), T0, out _);
        Assert.Empty(Runs(stop));
        var fired = core.OnTimer(new RunTimeout(run.RunId), T0 + TimeSpan.FromSeconds(5));
        Assert.Equal([new KillAgent(run.RunId)], fired);
        var exited = core.OnAgentExited(run.RunId, new AgentExit(ExecutionStatus.Cancelled, 1, null), T0 + TimeSpan.FromSeconds(6));
        var report = Reports(exited).Single();
        Assert.Equal((callId, ExecutionStatus.TimedOut), (report.CallId, report.Status));
        Assert.Equal("start timed out after 5000ms", report.ExitReason);
        Assert.Equal("stop", Runs(exited).Single().Request.Action);
    }

    [Fact]
    public void A_timeout_timer_that_fires_after_the_exit_is_ignored()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "start"), T0, out _)).Single();
        core.OnAgentExited(run.RunId, Ok, T0);
        Assert.Empty(core.OnTimer(new RunTimeout(run.RunId), T0 + TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void A_recurring_op_submitted_again_replaces_the_old_one()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "monitor", 10000), T0, out var first)).Single();
        core.OnAgentExited(run.RunId, Ok, T0);
        var effects = core.Submit(Op("A", "monitor", 10000), T0, out var second);
        Assert.NotEqual(first, second);
        Assert.Equal(first, Reports(effects).Single(r => r.Status == ExecutionStatus.Cancelled).CallId);
        Assert.Equal(1, core.RecurringCount);
    }

    [Fact]
    public void A_duplicate_exit_report_is_ignored()
    {
        var core = new ExecutorCore();
        var run = Runs(core.Submit(Op("A", "start"), T0, out _)).Single();
        Assert.Single(Reports(core.OnAgentExited(run.RunId, Ok, T0)));
        Assert.Empty(core.OnAgentExited(run.RunId, Ok, T0));
        Assert.Equal(0, core.Outstanding);
    }
}
