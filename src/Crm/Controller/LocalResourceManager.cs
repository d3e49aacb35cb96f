using System.Globalization;
using System.Xml.Linq;
using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Crm.CibClient;
using Cluster.Crm.Digests;
using Cluster.Crm.Execd;

namespace Cluster.Crm.Controller;

/// <summary>
/// The controller's local half (Pacemaker's "LRM" side of crmd), sans-IO: turns the DC's action
/// requests into executor operations, records their results as <c>lrm_rsc_op</c> history (with
/// transition key and magic, op digest) in this node's <c>node_state</c>, and
/// reports them to the DC once the CIB holds them; failures are counted through attrd. It also keeps this node's history in memory,
/// which the node hands the DC at join.
/// <para>
/// Invariants: a resource's recurring operations are cancelled before it is stopped (an agent
/// never monitors what it was told to stop); a recurring result is reported only when it changes
/// (the executor filters), and each report follows its CIB write.
/// </para>
/// </summary>
public sealed class LocalResourceManager(string localNode, string localNodeId, string featureSet = "3.16.1")
{
    private const string MetaPrefix = "CRM_meta_";
    private readonly Dictionary<long, ActionRequest> _calls = [];
    private readonly Dictionary<string, XElement> _resources = new(StringComparer.Ordinal);
    private long _lastCallId;
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);

    // The parameters each resource was last started, reloaded or monitored with (Pacemaker's
    // stop_params). A stop runs with them: an orphan's stop (deleted from the configuration, so its
    // graph action carries no parameters) or a stop after a parameter change must stop what was started.
    private readonly Dictionary<string, Dictionary<string, string>> _stopParameters = new(StringComparer.Ordinal);

    public string LocalNode => localNode;

    /// <summary>Executor operations this node is waiting on: one-shot ones until they end, recurring ones until cancelled.</summary>
    public int Calls => _calls.Count;

    /// <summary>A request from the DC (or from this node as DC).</summary>
    public IReadOnlyList<LrmEffect> OnRequest(ActionRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var effects = new List<LrmEffect>();
        switch (request.Operation)
        {
            case "cancel":
                {
                    var op = request.Attribute(MetaPrefix + "operation") ?? "monitor";
                    var interval = request.Attribute(MetaPrefix + "interval") is { } iv && long.TryParse(iv, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
                    effects.Add(new CancelOperation(request.ResourceId, op, TimeSpan.FromMilliseconds(interval)));
                    Forget(request.ResourceId, $"{request.ResourceId}_{op}_{interval.ToString(CultureInfo.InvariantCulture)}");
                    effects.Add(new WriteHistory(DeleteOp(request.ResourceId, $"{request.ResourceId}_{op}_{interval.ToString(CultureInfo.InvariantCulture)}"), request, 0, request.Key.ExpectedRc));
                    return effects;
                }
            case "clear_failcount":
                {
                    // Carried out by the controller itself, as Pacemaker's crmd does: attrd forgets
                    // the fail count and the action succeeds; nothing is recorded in the history.
                    var op = request.Attribute(MetaPrefix + "operation");
                    var interval = request.Attribute(MetaPrefix + "interval") is { } iv && long.TryParse(iv, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : 0;
                    effects.Add(new ClearFailCount(request.ResourceId, op, TimeSpan.FromMilliseconds(interval)));
                    effects.Add(new ReportDone(request, 0, request.Key.ExpectedRc));
                    return effects;
                }
            case "delete":
                _resources.Remove(request.ResourceId);
                _stopParameters.Remove(request.ResourceId);
                effects.Add(new WriteHistory(DeleteResource(request.ResourceId), request, 0, request.Key.ExpectedRc));
                return effects;
        }
        AgentId? agent = null;
        string? agentError = "the request names none";
        if (request.Agent is null || !AgentId.TryParse(AgentText(request.Agent), out agent, out agentError) || agent is null)
        {
            return Refuse(request, ExecutionStatus.NotInstalled, (int)OcfExitCode.ErrInstalled,
                $"no usable agent for {request.ResourceId}: {agentError}", now);
        }
        if (!AgentRequest.IsSafeResourceId(request.ResourceId))
            return Refuse(request, ExecutionStatus.Error, (int)OcfExitCode.ErrArgs, $"resource id \"{request.ResourceId}\" cannot be given to an agent", now);

        if (agent.Standard == AgentStandard.Stonith)
        {
            // A fencing device's start and stop register it with this node's fencer (and back): no
            // agent runs. Whether it is "running" here is whether it is registered, so a probe
            // answers from that, and a recurring monitor runs the agent only where it is.
            switch (request.Operation)
            {
                case "start":
                    _registered.Add(request.ResourceId);
                    return Record(request, 0, 0, null, NextSyntheticCall(), TimeSpan.Zero, now);
                case "stop":
                    _registered.Remove(request.ResourceId);
                    return Record(request, 0, 0, null, NextSyntheticCall(), TimeSpan.Zero, now);
                case "monitor" when request.Interval == TimeSpan.Zero || !_registered.Contains(request.ResourceId):
                    return Record(request, 0, _registered.Contains(request.ResourceId) ? 0 : (int)OcfExitCode.NotRunning,
                        null, NextSyntheticCall(), TimeSpan.Zero, now);
            }
        }
        if (request.Operation == "stop")
        {
            // Stop cancels the resource's recurring operations first, as Pacemaker's executor does.
            foreach (var (callId, recurring) in _calls.Where(c => c.Value.ResourceId == request.ResourceId && c.Value.Interval > TimeSpan.Zero).ToList())
            {
                effects.Add(new CancelOperation(recurring.ResourceId, recurring.Operation, recurring.Interval));
                _calls.Remove(callId);
                var opId = OpId(recurring.ResourceId, recurring.Operation, recurring.Interval);
                Forget(recurring.ResourceId, opId);
                effects.Add(new WriteHistory(DeleteOp(recurring.ResourceId, opId), null, 0, 0));
            }
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in request.Attributes)
        {
            if (k.StartsWith(MetaPrefix, StringComparison.Ordinal)) meta[k[MetaPrefix.Length..]] = v;
            else parameters[k] = v;
        }
        if (request.Operation is "start" or "monitor" or "reload" or "reload-agent")
            _stopParameters[request.ResourceId] = new Dictionary<string, string>(parameters, StringComparer.Ordinal);
        else if (request.Operation == "stop" && _stopParameters.TryGetValue(request.ResourceId, out var started))
            foreach (var (k, v) in started) parameters[k] = v;
        var timeout = meta.TryGetValue("timeout", out var t) && long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var tms) && tms > 0
            ? TimeSpan.FromMilliseconds(tms) : TimeSpan.FromSeconds(20);
        if (request.Operation is "start" or "promote" or "migrate_from" && request.Interval == TimeSpan.Zero)
            effects.Add(RecordPending(request, now));
        effects.Add(new SubmitOperation(new AgentRequest(agent, request.Operation, request.ResourceId)
        {
            Parameters = parameters,
            Meta = meta,
            Timeout = timeout,
            Interval = request.Interval,
            ExpectedRc = request.Key.ExpectedRc,
        }, request));
        return effects;
    }

    /// <summary>The executor took the operation under <paramref name="callId"/>.</summary>
    public void Submitted(long callId, ActionRequest request)
    {
        _calls[callId] = request;
        _lastCallId = Math.Max(_lastCallId, callId);
    }

    /// <summary>An operation ended (a recurring one: its result changed).</summary>
    public IReadOnlyList<LrmEffect> OnResult(OperationResult result, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!_calls.TryGetValue(result.CallId, out var request))
            return []; // a cancelled recurring operation's last word, or unknown
        if (result.Status == ExecutionStatus.Cancelled)
        {
            _calls.Remove(result.CallId);
            return [];
        }
        if (!result.IsRecurring)
            _calls.Remove(result.CallId);
        return Record(request, (int)result.Status, result.Rc, result.ExitReason, result.CallId, result.ExecTime, now);
    }

    /// <summary>
    /// Whether any resource may be active here: its last one-shot operation is not a successful
    /// stop and not a probe that found it stopped (a failed stop counts as active).
    /// </summary>
    public bool AnyActive => _resources.Values.Any(r =>
    {
        var last = r.Elements("lrm_rsc_op").FirstOrDefault(o => ((string?)o.Attribute("id") ?? "").EndsWith("_last_0", StringComparison.Ordinal));
        if (last is null) return false;
        var op = (string?)last.Attribute("operation");
        var rc = (string?)last.Attribute("rc-code");
        var status = (string?)last.Attribute("op-status");
        return !(status == "0" && ((op == "stop" && rc == "0") || (op == "monitor" && rc == "7")));
    });

    /// <summary>This node's history as an <c>&lt;lrm&gt;</c> element (sent with join_confirm).</summary>
    public XElement History() =>
        new("lrm", new XAttribute("id", localNodeId),
            new XElement("lrm_resources", _resources.Values.Select(r => new XElement(r))));

    private List<LrmEffect> Refuse(ActionRequest request, ExecutionStatus status, int rc, string reason, DateTimeOffset now) =>
        Record(request, (int)status, rc, reason, NextSyntheticCall(), TimeSpan.Zero, now);

    // Results that no agent produced still need a call-id above the resource's earlier ones:
    // the scheduler reads a resource's history in call-id order.
    private long NextSyntheticCall() => ++_lastCallId;

    private List<LrmEffect> Record(ActionRequest request, int opStatus, int rc, string? exitReason, long callId, TimeSpan execTime, DateTimeOffset now)
    {
        var effects = new List<LrmEffect>();
        var key = request.Key;
        var probe = request.Operation == "monitor" && request.Interval == TimeSpan.Zero;
        // A probe finding the resource running or stopped is information, not a failure.
        var failed = opStatus != 0 || (rc != key.ExpectedRc && !(probe && rc is 0 or 7 or 8));
        var opId = request.Interval > TimeSpan.Zero ? OpId(request.ResourceId, request.Operation, request.Interval) : $"{request.ResourceId}_last_0";
        var unix = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var op = OpElement(opId, request, opStatus, rc, exitReason, callId, execTime, unix);
        var resource = new XElement("lrm_resource", new XAttribute("id", request.ResourceId));
        if (request.Agent is { } agent)
        {
            resource.SetAttributeValue("class", agent.Class);
            if (agent.Provider is not null) resource.SetAttributeValue("provider", agent.Provider);
            resource.SetAttributeValue("type", agent.Type);
        }
        resource.Add(op);
        if (failed)
            resource.Add(OpElement($"{request.ResourceId}_last_failure_0", request, opStatus, rc, exitReason, callId, execTime, unix));
        Remember(resource);

        var nodeState = new XElement("node_state", new XAttribute("id", localNodeId), new XAttribute("uname", localNode),
            new XElement("lrm", new XAttribute("id", localNodeId), new XElement("lrm_resources", resource)));
        if (failed)
        {
            // Counted through attrd before the result is written: the count is agreed before the
            // DC hears of the failure. A failed start makes the node ineligible at once
            // (start-failure-is-fatal's default).
            effects.Add(new CountFailure(request.ResourceId, request.Operation, request.Interval, request.Operation == "start" ? "INFINITY" : "value++"));
        }
        effects.Add(new WriteHistory(new CibRequest(CibCommand.Modify, "status", Data: nodeState, Options: CibCallOptions.AllowCreate), request, opStatus, rc));
        return effects;
    }

    /// <summary>
    /// record-pending (Pacemaker 2.1's default): an activating operation is in the CIB before it
    /// runs, so a DC elected while it runs sees the resource as starting here (the scheduler
    /// counts a pending start as active) and does not start it elsewhere. Not for stop: a pending
    /// stop would replace the start it undoes and make the resource look stopped too early.
    /// </summary>
    private WriteHistory RecordPending(ActionRequest request, DateTimeOffset now)
    {
        var unix = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var resource = new XElement("lrm_resource", new XAttribute("id", request.ResourceId));
        if (request.Agent is { } agent)
        {
            resource.SetAttributeValue("class", agent.Class);
            if (agent.Provider is not null) resource.SetAttributeValue("provider", agent.Provider);
            resource.SetAttributeValue("type", agent.Type);
        }
        resource.Add(OpElement($"{request.ResourceId}_last_0", request, opStatus: -1, rc: 193, exitReason: null, callId: -1, TimeSpan.Zero, unix));
        Remember(resource);
        var nodeState = new XElement("node_state", new XAttribute("id", localNodeId), new XAttribute("uname", localNode),
            new XElement("lrm", new XAttribute("id", localNodeId), new XElement("lrm_resources", resource)));
        return new WriteHistory(new CibRequest(CibCommand.Modify, "status", Data: nodeState, Options: CibCallOptions.AllowCreate), null, 0, 0);
    }

    private XElement OpElement(string id, ActionRequest request, int opStatus, int rc, string? exitReason, long callId, TimeSpan execTime, string unix)
    {
        var intervalMs = (long)request.Interval.TotalMilliseconds;
        var e = new XElement("lrm_rsc_op",
            new XAttribute("id", id),
            new XAttribute("operation_key", $"{request.ResourceId}_{request.Operation}_{intervalMs.ToString(CultureInfo.InvariantCulture)}"),
            new XAttribute("operation", request.Operation),
            new XAttribute("crm-debug-origin", "do_update_resource"),
            new XAttribute("crm_feature_set", featureSet),
            new XAttribute("transition-key", request.Key.ToString()),
            new XAttribute("transition-magic", new TransitionMagic(opStatus, rc, request.Key).ToString()),
            new XAttribute("exit-reason", exitReason ?? ""),
            new XAttribute("on_node", localNode),
            new XAttribute("call-id", callId.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("rc-code", rc.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("op-status", opStatus.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("interval", intervalMs.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("last-rc-change", unix),
            new XAttribute("exec-time", ((long)execTime.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)),
            new XAttribute("queue-time", "0"),
            new XAttribute("op-digest", Digest(request)));
        return e;
    }

    /// <summary>The op-digest Pacemaker's controller records: the action's parameters (and, for a recurring op, its timeout).</summary>
    public static string Digest(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = request.Attributes.Where(kv => !kv.Key.StartsWith(MetaPrefix, StringComparison.Ordinal)).ToList();
        var timeoutMs = request.Attribute(MetaPrefix + "timeout") is { } t && long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : TimeSpec.DefaultTimeoutMs;
        return OpDigest.ComputeRecorded(new OpDigestInput(request.Operation, (long)request.Interval.TotalMilliseconds, parameters, [], timeoutMs,
            request.Agent?.Class == "stonith"));
    }

    private void Remember(XElement update)
    {
        var id = (string)update.Attribute("id")!;
        if (!_resources.TryGetValue(id, out var known))
        {
            _resources[id] = new XElement(update);
            return;
        }
        foreach (var a in update.Attributes()) known.SetAttributeValue(a.Name, a.Value);
        foreach (var op in update.Elements("lrm_rsc_op"))
        {
            known.Elements("lrm_rsc_op").Where(o => (string?)o.Attribute("id") == (string?)op.Attribute("id")).Remove();
            known.Add(new XElement(op));
        }
    }

    private void Forget(string resourceId, string opId)
    {
        if (_resources.TryGetValue(resourceId, out var known))
            known.Elements("lrm_rsc_op").Where(o => (string?)o.Attribute("id") == opId).Remove();
    }

    private static string OpId(string resourceId, string operation, TimeSpan interval) =>
        $"{resourceId}_{operation}_{((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}";

    private CibRequest DeleteOp(string resourceId, string opId) =>
        new(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{localNodeId}']/lrm/lrm_resources/lrm_resource[@id='{XPathText(resourceId)}']/lrm_rsc_op[@id='{XPathText(opId)}']");

    private CibRequest DeleteResource(string resourceId) =>
        new(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{localNodeId}']/lrm/lrm_resources/lrm_resource[@id='{XPathText(resourceId)}']");

    // Ids come from the CIB's own validated ids; a quote would end the literal, so it is dropped.
    private static string XPathText(string s) => s.Replace("'", "", StringComparison.Ordinal);

    private static string AgentText(ActionAgent agent) =>
        agent.Provider is null ? $"{agent.Class}:{agent.Type}" : $"{agent.Class}:{agent.Provider}:{agent.Type}";
}
