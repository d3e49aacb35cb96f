using System.Xml.Linq;
using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Crm.CibClient;
using Cluster.Crm.Controller;
using Cluster.Crm.Execd;

namespace Cluster.Crm.Tests.Controller;

public class LocalResourceManagerTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    private static ActionRequest Request(string op, int intervalMs = 0, int expected = 0, int actionId = 3, string cls = "ocf") =>
        new(new TransitionKey(actionId, 9, expected, "dc"), "D1", op, TimeSpan.FromMilliseconds(intervalMs))
        {
            Agent = cls == "stonith" ? new ActionAgent("stonith", null, "fence_dummy") : new ActionAgent("ocf", "pacemaker", "Dummy"),
            Attributes = [new("CRM_meta_timeout", "20000"), new("state", "/tmp/x")],
        };

    private static OperationResult Result(long callId, ActionRequest r, int rc, ExecutionStatus status = ExecutionStatus.Done) =>
        new(callId, r.ResourceId, r.Operation, r.Interval, status, rc, rc == 0 ? null : "it broke", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(12));

    private static (LocalResourceManager Lrm, long CallId) Submit(LocalResourceManager lrm, ActionRequest r)
    {
        var submit = Assert.Single(lrm.OnRequest(r, Now).OfType<SubmitOperation>());
        Assert.Equal(AgentId.Ocf("pacemaker", "Dummy"), submit.Agent.Agent);
        Assert.Equal("/tmp/x", submit.Agent.Parameters["state"]);
        Assert.Equal("20000", submit.Agent.Meta["timeout"]);
        Assert.Equal(TimeSpan.FromSeconds(20), submit.Agent.Timeout);
        var callId = 40 + lrm.Calls;
        lrm.Submitted(callId, r);
        return (lrm, callId);
    }

    private static XElement NodeState(WriteHistory w)
    {
        Assert.Equal(CibCommand.Modify, w.Request.Command);
        Assert.Equal("status", w.Request.Scope);
        return w.Request.Data!;
    }

    [Fact]
    public void A_result_is_recorded_with_key_magic_and_digest_then_reported()
    {
        var (lrm, callId) = Submit(new LocalResourceManager("node2", "2"), Request("start"));
        var write = Assert.Single(lrm.OnResult(Result(callId, Request("start"), 0), Now).OfType<WriteHistory>());
        Assert.Equal(Request("start"), write.Report);
        Assert.Equal((0, 0), (write.OpStatus, write.Rc));
        var op = NodeState(write).Descendants("lrm_rsc_op").Single();
        Assert.Equal("D1_last_0", (string?)op.Attribute("id"));
        Assert.Equal("3:9:0:dc", (string?)op.Attribute("transition-key"));
        Assert.Equal("0:0;3:9:0:dc", (string?)op.Attribute("transition-magic"));
        Assert.Equal("node2", (string?)op.Attribute("on_node"));
        Assert.Equal(LocalResourceManager.Digest(Request("start")), (string?)op.Attribute("op-digest"));
        Assert.Empty(NodeState(write).Descendants("transient_attributes"));
        Assert.Single(lrm.History().Descendants("lrm_rsc_op"));
    }

    [Fact]
    public void A_stop_runs_with_the_parameters_the_resource_was_started_with_even_once_it_is_deleted_from_the_configuration()
    {
        var (lrm, callId) = Submit(new LocalResourceManager("node2", "2"), Request("start"));
        lrm.OnResult(Result(callId, Request("start"), 0), Now);
        // The orphan's stop, as the graph has it: no instance parameters, only meta.
        var stop = Request("stop", actionId: 4) with { Attributes = [new("CRM_meta_timeout", "20000")] };
        var submit = Assert.Single(lrm.OnRequest(stop, Now).OfType<SubmitOperation>());
        Assert.Equal("/tmp/x", submit.Agent.Parameters["state"]);
        // A changed parameter: the stop still stops what was started.
        var changed = Request("stop", actionId: 5) with { Attributes = [new("CRM_meta_timeout", "20000"), new("state", "/tmp/y")] };
        Assert.Equal("/tmp/x", Assert.Single(lrm.OnRequest(changed, Now).OfType<SubmitOperation>()).Agent.Parameters["state"]);
        // Once the history is deleted, nothing is remembered.
        lrm.OnRequest(Request("delete", actionId: 6), Now);
        Assert.False(Assert.Single(lrm.OnRequest(stop, Now).OfType<SubmitOperation>()).Agent.Parameters.ContainsKey("state"));
    }

    [Fact]
    public void A_failed_monitor_adds_a_last_failure_entry_and_counts_the_failure_through_attrd_before_the_write()
    {
        var monitor = Request("monitor", 10000);
        var (lrm, callId) = Submit(new LocalResourceManager("node2", "2"), monitor);
        var effects = lrm.OnResult(Result(callId, monitor, 7), Now);
        var count = Assert.IsType<CountFailure>(effects[0]);
        Assert.Equal(new CountFailure("D1", "monitor", TimeSpan.FromSeconds(10), "value++"), count);
        var state = NodeState(Assert.IsType<WriteHistory>(Assert.Single(effects.Skip(1))));
        Assert.Equal(["D1_monitor_10000", "D1_last_failure_0"], state.Descendants("lrm_rsc_op").Select(o => (string)o.Attribute("id")!));
        // The count is attrd's to write: the result's own write carries none.
        Assert.Empty(state.Descendants("transient_attributes"));
    }

    [Fact]
    public void A_failed_start_makes_the_fail_count_infinite()
    {
        var (lrm, callId) = Submit(new LocalResourceManager("node2", "2"), Request("start"));
        var count = Assert.Single(lrm.OnResult(Result(callId, Request("start"), 1), Now).OfType<CountFailure>());
        Assert.Equal("INFINITY", count.FailCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    public void A_probe_that_finds_the_resource_running_or_stopped_is_not_a_failure(int rc)
    {
        var probe = Request("monitor", 0, expected: 7);
        var (lrm, callId) = Submit(new LocalResourceManager("node2", "2"), probe);
        var effects = lrm.OnResult(Result(callId, probe, rc), Now);
        Assert.Empty(effects.OfType<CountFailure>());
        var state = NodeState(effects.OfType<WriteHistory>().Single());
        Assert.Single(state.Descendants("lrm_rsc_op"));
    }

    [Fact]
    public void Stop_cancels_the_resource_recurring_monitors_first_and_forgets_their_history()
    {
        var monitor = Request("monitor", 10000);
        var (lrm, callId) = Submit(new LocalResourceManager("node2", "2"), monitor);
        lrm.OnResult(Result(callId, monitor, 0), Now);
        var effects = lrm.OnRequest(Request("stop", actionId: 8), Now);
        Assert.IsType<CancelOperation>(effects[0]);
        Assert.Equal(new CancelOperation("D1", "monitor", TimeSpan.FromSeconds(10)), effects[0]);
        Assert.Contains(effects, e => e is WriteHistory { Request.Command: CibCommand.Delete, Report: null });
        Assert.IsType<SubmitOperation>(effects[^1]);
        Assert.Empty(lrm.History().Descendants("lrm_rsc_op"));
        // The cancelled monitor's last word is not recorded.
        Assert.Empty(lrm.OnResult(Result(callId, monitor, 0, ExecutionStatus.Cancelled), Now));
    }

    [Fact]
    public void A_fencing_device_is_running_where_it_is_registered_and_only_there_is_its_agent_asked()
    {
        var lrm = new LocalResourceManager("node2", "2");
        int ProbeRc() => Assert.IsType<WriteHistory>(Assert.Single(lrm.OnRequest(Request("monitor", 0, expected: 7, cls: "stonith"), Now))).Rc;
        Assert.Equal(7, ProbeRc());
        var start = Assert.Single(lrm.OnRequest(Request("start", cls: "stonith"), Now));
        Assert.Equal(0, Assert.IsType<WriteHistory>(start).Rc);
        Assert.Equal(0, ProbeRc());
        Assert.Single(lrm.OnRequest(Request("monitor", 60000, cls: "stonith"), Now).OfType<SubmitOperation>());
        lrm.OnRequest(Request("stop", cls: "stonith"), Now);
        Assert.Equal(7, ProbeRc());
        Assert.Empty(lrm.OnRequest(Request("monitor", 60000, cls: "stonith"), Now).OfType<SubmitOperation>());
    }

    [Fact]
    public void A_request_without_a_usable_agent_is_recorded_as_not_installed()
    {
        var lrm = new LocalResourceManager("node2", "2");
        var bad = Request("start") with { Agent = new ActionAgent("ocf", "pacemaker", "../../bin/sh") };
        var effects = lrm.OnRequest(bad, Now);
        // A failed start like any other: counted INFINITY (through attrd), then recorded.
        Assert.Equal("INFINITY", Assert.IsType<CountFailure>(effects[0]).FailCount);
        var write = Assert.IsType<WriteHistory>(Assert.Single(effects.Skip(1)));
        Assert.Equal((int)ExecutionStatus.NotInstalled, write.OpStatus);
        Assert.Equal((int)OcfExitCode.ErrInstalled, write.Rc);
        Assert.Contains("no usable agent", NodeState(write).Descendants("lrm_rsc_op").First().Attribute("exit-reason")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ClearFailcount_RunsNoAgent_ForgetsTheFailCount_AndReportsDoneWithoutHistory()
    {
        var lrm = new LocalResourceManager("node2", "2");
        var request = Request("clear_failcount");

        var effects = lrm.OnRequest(request, Now);

        Assert.Empty(effects.OfType<SubmitOperation>());
        Assert.Empty(effects.OfType<WriteHistory>());
        Assert.Equal(new ClearFailCount("D1", null, TimeSpan.Zero), Assert.Single(effects.OfType<ClearFailCount>()));
        var done = Assert.Single(effects.OfType<ReportDone>());
        Assert.Equal((request, 0, 0), (done.Request, done.OpStatus, done.Rc));
    }
}
