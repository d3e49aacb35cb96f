using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.Attributes;
using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;
using Cluster.Crm.Controller;
using Cluster.Crm.Graph;

namespace Cluster.Crm.Node;

/// <summary>
/// One node's Pacemaker as a single sans-IO state machine: the CIB manager, the controller (DC
/// election, join, node_state upkeep), the DC's transition engine, the node's local resource
/// manager and its attribute manager (attrd, <see cref="AttributeCore"/>), wired to each other. Inputs are group deliveries, memberships, timers, scheduler and
/// executor results; the effects are all the I/O there is (group sends, executor calls, scheduler
/// runs, timers, the CIB manager's client answers and disk writes). The daemon's shell and the
/// simulator drive the same class.
/// <para>
/// Ordering rules that make it safe:
/// <list type="bullet">
/// <item>A node reports an action's result to the DC only after the CIB change recording it is
/// applied; both travel on one totem ring in one order, so the DC's CIB holds every result it
/// has been told of.</item>
/// <item>The DC runs the scheduler only when its own CIB writes (node_state, history) are all
/// applied, so a scheduler run never sees a CIB older than what the DC has decided.</item>
/// <item>Changes by the controllers themselves (results, node_state) do not trigger the scheduler;
/// every other change does (an administrator's, an attribute's, a sync's).</item>
/// <item>Fail counts go through attrd, as in Pacemaker: the node that ran the failed operation
/// sends <c>fail-count-…=value++</c> and <c>last-failure-…</c> to the <c>attrd</c> group before it
/// writes the result, so the update is agreed (delivered here, hence everywhere) before the result
/// is in the CIB and reported. The attrd writer's CIB write of the count is a separate change
/// (client attrd): when it lands after the report, the DC schedules again on it, as Pacemaker's
/// DC does when the count follows the result.</item>
/// </list>
/// </para>
/// </summary>
public sealed class PacemakerNode
{
    public const string CibGroup = "cib";
    public const string CrmdGroup = "crmd";
    public const string AttrdGroup = "attrd";

    /// <summary>The CIB client name the controllers write under.</summary>
    public const string ControllerClient = "crmd";

    /// <summary>The CIB client name of this node's own attribute writes (shutdown request): the DC schedules on them.</summary>
    public const string AttributeClient = "attrd";

    /// <summary>The version crm_mon shows for the DC ("2.1.5-a3f44794f94" on the reference stack).</summary>
    public const string DcVersion = "2.1.5-a3f44794f94";

    private const long InternalClientId = -1;

    private readonly uint _localId;
    private readonly string _localName;
    private readonly IReadOnlyDictionary<uint, string> _names;
    private readonly string? _clusterName;
    private readonly CibCore _cib;
    private readonly ControllerCore _controller;
    private readonly TransitionEngine _engine;
    private readonly LocalResourceManager _lrm;
    private readonly AttributeCore _attrd;
    private readonly Dictionary<long, PendingReport?> _cibCalls = [];
    private readonly Dictionary<string, XElement> _joinHistory = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Transition, int Action), TimeSpan> _actionDeadlines = [];
    private readonly Dictionary<string, TransitionKey> _fencing = new(StringComparer.Ordinal);
    // Failed fencing per target since its last success or its return (the DC's count, as Pacemaker's).
    private readonly Dictionary<string, int> _fenceFailures = new(StringComparer.Ordinal);
    private IReadOnlyList<uint> _crmdMembers = [];
    private IReadOnlyList<uint> _ccm = [];
    private bool _quorate;
    private bool _quorumKnown;
    private bool _groupJoinRequested;
    private bool _controllerStarted;
    private bool _shuttingDown;
    private int? _scheduleWanted;
    private int? _supersededBy;
    private long _nextCall;
    private long _exitAfterCall = -1;
    private TimeSpan? _armedActionDeadline;

    // The context of the input being handled (single-threaded: one input at a time).
    private List<NodeEffect> _out = [];
    private TimeSpan _now;
    private DateTimeOffset _wall;

    public PacemakerNode(uint localId, IReadOnlyDictionary<uint, string> names, XElement? storedCib,
        ControllerOptions? options = null, string? clusterName = null, string? dcUuid = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        _localId = localId;
        _names = names;
        _localName = NameOf(localId);
        _clusterName = clusterName;
        _cib = new CibCore(localId, _localName, storedCib);
        _controller = new ControllerCore(_localName, options);
        _engine = new TransitionEngine(dcUuid ?? Guid.NewGuid().ToString());
        _lrm = new LocalResourceManager(_localName, Id(localId));
        _attrd = new AttributeCore(_localName);
    }

    public string LocalName => _localName;

    public CibCore Cib => _cib;

    public ControllerCore Controller => _controller;

    public TransitionEngine Transitions => _engine;

    /// <summary>This node's attribute manager (attrd): every node's transient attributes as the <c>attrd</c> group agreed them.</summary>
    public AttributeCore Attributes => _attrd;

    /// <summary>The executor took the operation <paramref name="request"/> under <paramref name="callId"/> (called by the shell right after <see cref="ExecutorSubmit"/>).</summary>
    public void Submitted(long callId, ActionRequest request) => _lrm.Submitted(callId, request);

    public IReadOnlyList<NodeEffect> Handle(NodeInput input, TimeSpan now, DateTimeOffset wall)
    {
        ArgumentNullException.ThrowIfNull(input);
        _out = [];
        _now = now;
        _wall = wall;
        switch (input)
        {
            case CibIn c:
                ApplyCib(_cib.Handle(c.Input));
                break;
            case CrmdDelivered d:
                OnCrmdDelivered(d);
                break;
            case CrmdMembership m:
                OnCrmdMembership(m.Members, m.Joined ?? []);
                break;
            case QuorumChanged q:
                OnQuorum(q);
                break;
            case TimerFired t:
                OnTimer(t.Timer);
                break;
            case SchedulerFinished s:
                OnSchedulerFinished(s);
                break;
            case ExecutorReported r:
                if (r.Result.Status != Agents.Invocation.ExecutionStatus.Cancelled && (r.Result.Status != 0 || r.Result.Rc != 0))
                    Log("pacemaker-execd", "log_finished", "info", $"{r.Result.Key} call {r.Result.CallId} exited with status {(int)r.Result.Status} rc {r.Result.Rc}{(r.Result.ExitReason is { Length: > 0 } why ? $" ({why})" : "")}");
                ApplyLrm(_lrm.OnResult(r.Result, _wall));
                break;
            case FencingFinished f:
                OnFencingFinished(f);
                break;
            case ShutdownRequested:
                OnShutdownRequested();
                break;
            case AttrdDelivered a:
                OnAttrdDelivered(a);
                break;
            case AttrdMembership m:
                ApplyAttrd(_attrd.OnMembership([.. m.Members.Select(NameOf)], _now));
                break;
            case AttributeClientRequest r:
                OnAttributeClient(r);
                break;
        }
        return _out;
    }

    // ---- CIB ------------------------------------------------------------------------------

    private void ApplyCib(IReadOnlyList<CibEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case CibSend s:
                    _out.Add(new SendToGroup(CibGroup, s.Payload));
                    break;
                case CibRespond r when r.ClientId == InternalClientId:
                    OnInternalReply(r);
                    break;
                case CibNotify n:
                    _out.Add(new CibOut(n));
                    if (n.Client is null)
                        ApplyAttrd(_attrd.RewriteAll());
                    if (_controller.IsDc && n.Client != ControllerClient)
                        ApplyController(_controller.RequestSchedule($"CIB changed by {n.Client ?? "a sync"}"));
                    break;
                default:
                    _out.Add(new CibOut(effect));
                    break;
            }
        }
        if (!_groupJoinRequested && _cib.Joined && !_cib.Syncing)
        {
            // The controller starts on a synced CIB: it decides from it.
            _groupJoinRequested = true;
            // attrd first: the controller counts failures through it from its first action on.
            _out.Add(new JoinAttributeGroup());
            _out.Add(new JoinControllerGroup());
        }
    }

    private void WriteCib(CibRequest request, PendingReport? then = null, string client = ControllerClient)
    {
        var callId = ++_nextCall;
        _cibCalls[callId] = then;
        ApplyCib(_cib.Handle(new CibClientRequest(InternalClientId, callId, request, client, "hacluster", _wall)));
    }

    private void OnInternalReply(CibRespond r)
    {
        if (!_cibCalls.Remove(r.CallId, out var then))
            return;
        if (r.Reply.Code != CibResultCode.Ok)
            Log("pacemaker-controld", "cib_update_callback", "warning", $"CIB update {r.CallId} failed: {r.Reply.Error ?? r.Reply.Code.ToString()}{(r.Reply.Details.Count > 0 ? ": " + string.Join("; ", r.Reply.Details) : "")}");
        if (then is { } report)
            ApplyController(_controller.OnLocalActionResult(report.Request, report.OpStatus, report.Rc));
        if (r.CallId == _exitAfterCall)
            _out.Add(new NodeExit("shutdown complete: nothing was running here"));
        TryStartScheduler();
    }

    private void ModifyStatus(XElement nodeState) =>
        WriteCib(new CibRequest(CibCommand.Modify, "status", Data: nodeState, Options: CibCallOptions.AllowCreate));

    // ---- controller --------------------------------------------------------------------------

    private void OnCrmdDelivered(CrmdDelivered d)
    {
        var envelope = ControllerWire.Decode(d.Payload, out var error);
        if (envelope is null)
        {
            Log("pacemaker-controld", "crmd_ha_msg_filter", "warning", $"Ignoring a message from node {d.Sender}: {error}");
            return;
        }
        if (envelope.To is not null && envelope.To != _localName)
            return;
        if (envelope.From != NameOf(d.Sender))
        {
            Log("pacemaker-controld", "crmd_ha_msg_filter", "warning", $"Ignoring a message from node {d.Sender} that claims to come from {envelope.From}");
            return;
        }
        if (!_controllerStarted)
            return;
        if (envelope.Message is JoinConfirm && envelope.History is { } history)
            _joinHistory[envelope.From] = history;
        if (envelope.Message is ActionRequest { Operation: "do_shutdown" } shutdown && envelope.From == _controller.Leader)
        {
            // The DC moved our resources away: confirm and leave.
            ApplyController(_controller.OnLocalActionResult(shutdown, 0, shutdown.Key.ExpectedRc));
            _out.Add(new NodeExit("shutdown complete"));
            return;
        }
        ApplyController(_controller.OnMessage(envelope.From, envelope.Message, _now));
    }

    private void OnCrmdMembership(IReadOnlyList<uint> members, IReadOnlyList<uint> joined)
    {
        var before = _crmdMembers;
        _crmdMembers = members;
        var rejoined = joined.Where(n => n != _localId && before.Contains(n) && members.Contains(n)).ToList();
        // A node back in the cluster needs no fencing any more: its count starts again.
        foreach (var m in members)
            _fenceFailures.Remove(NameOf(m));
        if (!members.Contains(_localId))
            return;
        if (!_controllerStarted)
        {
            _controllerStarted = true;
            // As pacemaker-attrd does at start-up: attributes of an earlier life (a shutdown request,
            // fail counts) go, also when no DC saw this node leave (it was the DC itself).
            EraseTransientAttributes(Id(_localId));
            Log("pacemaker-controld", "do_started", "notice", $"Pacemaker controller successfully started and accepting connections");
            ApplyController(_controller.Start(Membership(), _now));
            return;
        }
        foreach (var gone in before.Where(n => !members.Contains(n)))
        {
            ApplyTransition(_engine.OnNodeLost(NameOf(gone)));
            // Transient attributes (fail counts, a shutdown request) die with the node, as attrd
            // forgets a peer that leaves: a node that comes back starts clean.
            if (_controller.IsDc)
                EraseTransientAttributes(Id(gone));
        }
        // Back within one change: what we sent it in the gap is lost, so its actions in flight
        // are too; its attributes live on in its own attrd.
        foreach (var back in rejoined)
            ApplyTransition(_engine.OnNodeLost(NameOf(back)));
        ApplyController(_controller.OnMembership(Membership(rejoined), _now));
    }

    private void OnQuorum(QuorumChanged q)
    {
        var changed = !_quorumKnown || q.Quorate != _quorate;
        var before = _ccm;
        _ccm = q.Members;
        _quorate = q.Quorate;
        _quorumKnown = true;
        if (changed)
            Log("pacemaker-controld", "pcmk_quorum_notification", "notice", $"Quorum {(q.Quorate ? "acquired" : "lost")}");
        if (!_controllerStarted)
            return;
        foreach (var gone in before.Where(n => !q.Members.Contains(n)))
            ApplyTransition(_engine.OnNodeLost(NameOf(gone)));
        if (_controller.IsDc && changed)
            WriteCib(new CibRequest(CibCommand.Modify, Data: new XElement("cib", new XAttribute("have-quorum", q.Quorate ? "1" : "0"))));
        ApplyController(_controller.OnMembership(Membership(), _now));
    }

    private ControllerMembership Membership(IReadOnlyList<uint>? rejoined = null)
    {
        var crmd = new SortedSet<string>(_crmdMembers.Select(NameOf), StringComparer.Ordinal);
        // Before votequorum has spoken, the controllers' group stands for corosync's membership.
        var ccm = new SortedSet<string>((_quorumKnown ? _ccm : _crmdMembers).Select(NameOf), StringComparer.Ordinal);
        return new ControllerMembership(ccm, crmd, _quorumKnown && _quorate,
            rejoined is { Count: > 0 } ? new SortedSet<string>(rejoined.Select(NameOf), StringComparer.Ordinal) : null);
    }

    private void ApplyController(IReadOnlyList<ControllerEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendToControllers s:
                    var history = s.Message is JoinConfirm ? _lrm.History() : null;
                    _out.Add(new SendToGroup(CrmdGroup, ControllerWire.Encode(new ControllerEnvelope(_localName, s.Target, s.Message, history))));
                    break;
                case ArmControllerTimer a:
                    _out.Add(new ArmTimer(new ControllerTimerKey(a.Timer), a.After));
                    break;
                case CancelControllerTimer c:
                    _out.Add(new CancelTimer(new ControllerTimerKey(c.Timer)));
                    break;
                case StateChanged sc:
                    Log("pacemaker-controld", "do_state_transition", "notice", $"State transition {sc.From} -> {sc.To} (input {sc.Input})");
                    if (sc.To == ControllerState.S_IDLE)
                    {
                        _out.Add(new ArmTimer(new RecheckTimerKey(), RecheckInterval()));
                        ReleaseShutdowns();
                    }
                    break;
                case ClaimDc claim:
                    ClaimDcRole(claim);
                    break;
                case SyncCib:
                    break; // the CIB manager syncs the members' copies itself on every join
                case UpdateNodeState u:
                    var state = new XElement("node_state", new XAttribute("id", IdOfName(u.Update.Node)), new XAttribute("uname", u.Update.Node),
                        new XAttribute("crm-debug-origin", "do_update_node_state"));
                    foreach (var (k, v) in u.Update.Attributes()) state.SetAttributeValue(k, v);
                    ModifyStatus(state);
                    break;
                case ReplaceNodeHistory r:
                    ReplaceHistory(r.Node);
                    break;
                case RunScheduler run:
                    _scheduleWanted = run.TransitionId;
                    TryStartScheduler();
                    break;
                case ExecuteTransition x:
                    var graph = ((TransitionPlan)x.Plan).Graph;
                    if (_engine.Running)
                    {
                        // As Pacemaker's do_te_invoke: another transition is still active (its actions in
                        // flight have not reported). Abort it and drop this graph; once the old one ends
                        // the scheduler runs again on the CIB its results left.
                        Log("pacemaker-controld", "do_te_invoke", "info", $"Another transition ({_engine.TransitionId}) is already active: graph {x.TransitionId} dropped");
                        _supersededBy = x.TransitionId;
                        ApplyTransition(_engine.Abort(_engine.TransitionId, "Transition Active"));
                        break;
                    }
                    Log("pacemaker-controld", "do_te_invoke", "notice", $"Processing graph {x.TransitionId} with {graph.Synapses.Count} actions");
                    ApplyTransition(_engine.Start(x.TransitionId, graph));
                    break;
                case AbortTransition a:
                    Log("pacemaker-controld", "abort_transition_graph", "notice", $"Transition {a.TransitionId} aborted: {a.Reason}");
                    ApplyTransition(_engine.Abort(a.TransitionId, a.Reason));
                    break;
                case ExecuteLocalAction l:
                    Log("pacemaker-controld", "do_lrm_rsc_op", "notice", $"Requesting local execution of {l.Request.Operation} operation for {l.Request.ResourceId} on {_localName}");
                    ApplyLrm(_lrm.OnRequest(l.Request, _wall));
                    break;
                case ActionConfirmed c:
                    ApplyTransition(_engine.OnResult(c.Key, c.OpStatus, c.Rc));
                    break;
                case ControllerExit e:
                    Log("pacemaker-controld", "do_exit", "error", e.Reason);
                    _out.Add(new NodeExit(e.Reason));
                    break;
            }
        }
    }

    private void ClaimDcRole(ClaimDc claim)
    {
        Log("pacemaker-controld", "do_dc_takeover", "notice", $"Taking over DC status for this partition");
        // A transition left from an earlier reign as DC waits for results that went to the DC in
        // between: drop it, or every new graph would be refused as "another transition is active"
        // until its actions' timers expired (crash-fault campaign seed 20: no failover for 100 s).
        if (_engine.Halt() is { } stale)
        {
            Log("pacemaker-controld", "do_te_control", "info", $"Transition {stale} from an earlier term as DC dropped: its results go elsewhere");
            foreach (var k in _actionDeadlines.Keys.Where(k => k.Transition == stale).ToList())
                _actionDeadlines.Remove(k);
            _supersededBy = null;
        }
        WriteCib(new CibRequest(CibCommand.Modify, Data: new XElement("cib",
            new XAttribute("dc-uuid", Id(_localId)), new XAttribute("have-quorum", _quorumKnown && _quorate ? "1" : "0"))));
        var options = new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"),
            Nv("have-watchdog", "false"), Nv("dc-version", DcVersion), Nv("cluster-infrastructure", "corosync"));
        if (_clusterName is not null) options.Add(Nv("cluster-name", _clusterName));
        WriteCib(new CibRequest(CibCommand.Modify, "crm_config", Data: new XElement("crm_config", options), Options: CibCallOptions.AllowCreate));
        // Every node of corosync's nodelist gets its <node> entry, as Pacemaker adds peers it learns of.
        var nodes = new XElement("nodes", _names.OrderBy(n => n.Key).Select(n => new XElement("node", new XAttribute("id", Id(n.Key)), new XAttribute("uname", n.Value))));
        if (!_names.ContainsKey(_localId)) nodes.Add(new XElement("node", new XAttribute("id", Id(_localId)), new XAttribute("uname", _localName)));
        WriteCib(new CibRequest(CibCommand.Modify, "nodes", Data: nodes, Options: CibCallOptions.AllowCreate));
        // Nodes whose controller is not here: what the last DC wrote may be stale (it may be the
        // node that just died). expected stays as it was: a node that did not leave cleanly is
        // unclean. A node without any node_state gets none: never seen since the cluster started,
        // it must stay unknown so that the scheduler fences it (startup-fencing) before its
        // resources, which may be running there, start elsewhere.
        var membership = Membership();
        var known = (_cib.Cib.Element("status")?.Elements("node_state") ?? []).Select(e => (string?)e.Attribute("id")).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, nodeName) in _names.Where(n => !membership.Crmd.Contains(n.Value) && known.Contains(Id(n.Key))))
        {
            ModifyStatus(new XElement("node_state", new XAttribute("id", Id(id)), new XAttribute("uname", nodeName),
                new XAttribute("crm-debug-origin", "do_dc_takeover"), new XAttribute("in_ccm", membership.Ccm.Contains(nodeName) ? "true" : "false"),
                new XAttribute("crmd", "offline"), new XAttribute("join", "down")));
            EraseTransientAttributes(Id(id));
        }

        static XElement Nv(string name, string value) =>
            new("nvpair", new XAttribute("id", $"cib-bootstrap-options-{name}"), new XAttribute("name", name), new XAttribute("value", value));
    }

    private void EraseTransientAttributes(string id) =>
        WriteCib(new CibRequest(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{id}']/transient_attributes"));

    private void ReplaceHistory(string node)
    {
        var id = IdOfName(node);
        WriteCib(new CibRequest(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{id}']/lrm"));
        var lrm = _joinHistory.Remove(node, out var h) ? h : new XElement("lrm", new XAttribute("id", id), new XElement("lrm_resources"));
        lrm.SetAttributeValue("id", id);
        ModifyStatus(new XElement("node_state", new XAttribute("id", id), new XAttribute("uname", node), lrm));
    }

    private void TryStartScheduler()
    {
        if (_scheduleWanted is not { } id || _cibCalls.Count > 0)
            return;
        _scheduleWanted = null;
        _out.Add(new StartScheduler(id, _cib.Cib));
    }

    private void OnSchedulerFinished(SchedulerFinished s)
    {
        if (s.Graph is null)
            Log("pacemaker-schedulerd", "pcmk__schedule_actions", "error", $"Scheduler run for transition {s.TransitionId} failed: {s.Error}");
        var graph = s.Graph ?? TransitionGraph.Empty(new GraphSettings(TransitionId: s.TransitionId));
        ApplyController(_controller.OnSchedulerResult(s.TransitionId, new TransitionPlan(graph)));
    }

    // ---- transitions (DC) ----------------------------------------------------------------------

    private void ApplyTransition(IReadOnlyList<TransitionEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case DispatchAction d:
                    Log("pacemaker-controld", "te_rsc_command", "notice", $"Initiating {d.Request.Operation} operation {d.Request.ResourceId}_{d.Request.Operation}_{(long)d.Request.Interval.TotalMilliseconds} on {d.Node}");
                    ApplyController(_controller.RequestAction(d.Node, d.Request));
                    break;
                case RunClusterAction r:
                    RunClusterAction(r.Action, r.Key);
                    break;
                case ArmActionTimer t:
                    _actionDeadlines[(t.TransitionId, t.ActionId)] = _now + t.After;
                    ArmActionWatchdog();
                    break;
                case TransitionDone done:
                    foreach (var k in _actionDeadlines.Keys.Where(k => k.Transition == done.TransitionId).ToList())
                        _actionDeadlines.Remove(k);
                    Log("pacemaker-controld", "run_graph", "notice", $"Transition {done.TransitionId} ({done.Outcome}): {done.Detail}");
                    // A failed transition reruns the scheduler at once, unless fencing a node failed
                    // stonith-max-attempts times: then, as Pacemaker, wait for the next event (a CIB
                    // change, a node joining, the recheck timer) instead of retrying in a tight loop.
                    var rerun = done.Outcome == TransitionOutcome.Completed || !FencingGivenUp();
                    ApplyController(_controller.OnTransitionFinished(done.TransitionId, done.Outcome == TransitionOutcome.Completed, rerun));
                    if (_supersededBy is { } dropped && dropped != done.TransitionId)
                    {
                        // The controller waits for the graph it dropped: it ended without running.
                        _supersededBy = null;
                        ApplyController(_controller.OnTransitionFinished(dropped, false));
                    }
                    break;
            }
        }
    }

    private void RunClusterAction(GraphAction action, TransitionKey key)
    {
        switch (action.Task)
        {
            case ActionTask.Stonith when action.OnNode is { } target:
                var how = action.Attribute("CRM_meta_stonith_action") ?? "reboot";
                Log("pacemaker-controld", "te_fence_node", "notice", $"Requesting fencing ({how}) of node {target}");
                _fencing[target] = key;
                _out.Add(new FenceNode(target, how));
                return;
            case ActionTask.DoShutdown when action.OnNode is { } node && node != _localName:
                ApplyController(_controller.RequestAction(node, new ActionRequest(key, "", "do_shutdown", TimeSpan.Zero)));
                return;
            case ActionTask.DoShutdown when action.OnNode == _localName:
                // The DC itself is done: its resources are elsewhere; the others elect a new DC.
                ApplyTransition(_engine.OnResult(key, 0, key.ExpectedRc));
                _out.Add(new NodeExit("shutdown complete"));
                return;
            case ActionTask.ClearFailcount when action.OnNode is { } node && action.Resource is { } rsc:
                // attrd forgets them (or a later value++ would count on from them), and the CIB
                // loses any the table does not hold (written by an earlier writer).
                foreach (var name in _attrd.Names.Where(n => IsFailureOf(n, rsc.Id) && _attrd.Value(node, n) is not null).ToList())
                    ApplyAttrd(_attrd.Request(new AttributeUpdate(node, name, null), out _));
                var id = IdOfName(node);
                WriteCib(new CibRequest(CibCommand.Delete,
                    XPath: $"/cib/status/node_state[@id='{id}']/transient_attributes/instance_attributes/nvpair[starts-with(@name,'fail-count-{rsc.Id}#') or starts-with(@name,'last-failure-{rsc.Id}#')]",
                    Options: CibCallOptions.Multiple));
                break;
        }
        ApplyTransition(_engine.OnResult(key, 0, key.ExpectedRc));
    }

    private void OnFencingFinished(FencingFinished f)
    {
        if (!_fencing.Remove(f.Target, out var key))
            return;
        Log("pacemaker-controld", "tengine_stonith_callback", f.Succeeded ? "notice" : "error",
            $"Fence operation for {f.Target} {(f.Succeeded ? "succeeded" : "failed")}: {f.Detail}");
        if (f.Succeeded)
            _fenceFailures.Remove(f.Target);
        else if ((_fenceFailures[f.Target] = _fenceFailures.GetValueOrDefault(f.Target) + 1) >= StonithMaxAttempts())
            Log("pacemaker-controld", "too_many_st_failures", "notice", $"Too many failures ({_fenceFailures[f.Target]}) to fence {f.Target}, giving up");
        if (f.Succeeded)
        {
            // The node is down and its resources are stopped: say so before anything starts elsewhere.
            var id = IdOfName(f.Target);
            ModifyStatus(new XElement("node_state", new XAttribute("id", id), new XAttribute("uname", f.Target),
                new XAttribute("in_ccm", "false"), new XAttribute("crmd", "offline"), new XAttribute("join", "down"), new XAttribute("expected", "down"),
                new XAttribute("crm-debug-origin", "send_stonith_update")));
            WriteCib(new CibRequest(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{id}']/lrm"));
            WriteCib(new CibRequest(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{id}']/transient_attributes"));
            ApplyTransition(_engine.OnResult(key, 0, key.ExpectedRc));
        }
        else
        {
            ApplyTransition(_engine.OnResult(key, (int)Agents.Invocation.ExecutionStatus.Error, TransitionEngine.LostActionRc));
        }
    }

    private void ArmActionWatchdog()
    {
        if (_actionDeadlines.Count == 0)
            return;
        var next = _actionDeadlines.Values.Min();
        if (_armedActionDeadline == next)
            return;
        _armedActionDeadline = next;
        _out.Add(new ArmTimer(new ActionTimerKey(0, 0), next - _now));
    }

    private void OnTimer(NodeTimer timer)
    {
        switch (timer)
        {
            case ControllerTimerKey c:
                ApplyController(_controller.OnTimer(c.Timer, _now));
                break;
            case ActionTimerKey:
                _armedActionDeadline = null;
                foreach (var (k, due) in _actionDeadlines.Where(d => d.Value <= _now).ToList())
                {
                    _actionDeadlines.Remove(k);
                    Log("pacemaker-controld", "action_timer_callback", "error", $"Action {k.Action} of transition {k.Transition} timed out");
                    ApplyTransition(_engine.OnActionTimeout(k.Transition, k.Action));
                }
                ArmActionWatchdog();
                break;
            case RecheckTimerKey when _controller.IsDc:
                ApplyController(_controller.RequestSchedule("cluster-recheck-interval"));
                break;
            case DampeningTimerKey d:
                ApplyAttrd(_attrd.OnDampeningExpired(d.Name, _now));
                break;
        }
    }

    // ---- local resources ---------------------------------------------------------------------

    private void ApplyLrm(IReadOnlyList<LrmEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SubmitOperation s:
                    _out.Add(new ExecutorSubmit(s.Agent, s.For));
                    break;
                case CancelOperation c:
                    _out.Add(new ExecutorCancel(c.ResourceId, c.Action, c.Interval));
                    break;
                case WriteHistory w:
                    WriteCib(w.Request, w.Report is null ? null : new PendingReport(w.Report, w.OpStatus, w.Rc));
                    break;
                case ClearFailCount c:
                    Log("pacemaker-controld", "handle_failcount_op", "info", $"Removing failcount for {c.ResourceId}");
                    foreach (var name in _attrd.Names.Where(n => IsFailureAttributeOf(n, c)).ToList())
                        ApplyAttrd(_attrd.Request(new AttributeUpdate(_localName, name, null), out _));
                    break;
                case ReportDone d:
                    ApplyController(_controller.OnLocalActionResult(d.Request, d.OpStatus, d.Rc));
                    break;
                case CountFailure f:
                    Log("pacemaker-controld", "update_failcount", "info", $"Updating failcount for {f.ResourceId} on {_localName} after failed {f.Operation}: {f.FailCount}");
                    ApplyAttrd(_attrd.Request(new AttributeUpdate(_localName, AttributeNames.FailCount(f.ResourceId, f.Operation, f.Interval), f.FailCount), out _));
                    ApplyAttrd(_attrd.Request(new AttributeUpdate(_localName, AttributeNames.LastFailure(f.ResourceId, f.Operation, f.Interval),
                        _wall.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)), out _));
                    break;
            }
        }
    }

    /// <summary>fail-count-/last-failure- attributes of the resource (of the one operation when named).</summary>
    private static bool IsFailureAttributeOf(string name, ClearFailCount c)
    {
        if (c.Operation is { Length: > 0 } op)
            return name == AttributeNames.FailCount(c.ResourceId, op, c.Interval) || name == AttributeNames.LastFailure(c.ResourceId, op, c.Interval);
        return name.StartsWith($"fail-count-{c.ResourceId}#", StringComparison.Ordinal)
            || name.StartsWith($"last-failure-{c.ResourceId}#", StringComparison.Ordinal);
    }

    // ---- attributes (attrd) -------------------------------------------------------------------

    private void OnAttrdDelivered(AttrdDelivered d)
    {
        var message = AttributeWire.Decode(d.Payload, out var error);
        if (message is null)
        {
            Log("pacemaker-attrd", "attrd_peer_message", "warning", $"Ignoring a message from node {d.Sender}: {error}");
            return;
        }
        ApplyAttrd(_attrd.OnDelivery(NameOf(d.Sender), message, _now));
    }

    private void OnAttributeClient(AttributeClientRequest r)
    {
        switch (r.Operation)
        {
            case AttributeQuery q:
                var values = q.Node is { } node
                    ? (_attrd.Value(node, q.Name) is { } v ? new Dictionary<string, string>(StringComparer.Ordinal) { [node] = v } : [])
                    : _attrd.ValuesOf(q.Name);
                _out.Add(new AttributeClientReply(r.ClientId, r.CallId, null, values));
                break;
            case AttributeSetRequest u:
                ApplyAttrd(_attrd.Request(u.Update, out var error));
                _out.Add(new AttributeClientReply(r.ClientId, r.CallId, error, null));
                break;
            case AttributeRefreshRequest:
                _out.Add(new SendToGroup(AttrdGroup, AttributeWire.Encode(new AttributeRefresh())));
                _out.Add(new AttributeClientReply(r.ClientId, r.CallId, null, null));
                break;
            default:
                _out.Add(new AttributeClientReply(r.ClientId, r.CallId, $"unsupported request {r.Operation.GetType().Name}", null));
                break;
        }
    }

    private void ApplyAttrd(IReadOnlyList<AttributeEffect> effects)
    {
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case SendToAttributeGroup s:
                    _out.Add(new SendToGroup(AttrdGroup, AttributeWire.Encode(s.Message)));
                    break;
                case ArmDampening a:
                    _out.Add(new ArmTimer(new DampeningTimerKey(a.Name), a.After));
                    break;
                case WriteAttribute w:
                    WriteAttribute(w);
                    break;
            }
        }
    }

    /// <summary>
    /// The attrd writer's CIB write of one attribute: every node's value in one modify of the status
    /// section, and the deleted ones in one delete; only the nodes named are touched.
    /// </summary>
    private void WriteAttribute(WriteAttribute w)
    {
        var set = w.ValuesByNode.Where(v => v.Value is not null).OrderBy(v => v.Key, StringComparer.Ordinal).ToList();
        if (set.Count > 0)
        {
            var status = new XElement("status", set.Select(v =>
            {
                var id = IdOfName(v.Key);
                return new XElement("node_state", new XAttribute("id", id), new XAttribute("uname", v.Key),
                    new XElement("transient_attributes", new XAttribute("id", id),
                        new XElement("instance_attributes", new XAttribute("id", $"status-{id}"),
                            new XElement("nvpair", new XAttribute("id", NvpairId(id, w.Name)), new XAttribute("name", w.Name), new XAttribute("value", v.Value!)))));
            }));
            WriteCib(new CibRequest(CibCommand.Modify, "status", Data: status, Options: CibCallOptions.AllowCreate), client: AttributeClient);
        }
        var gone = w.ValuesByNode.Where(v => v.Value is null).Select(v => $"@id='{IdOfName(v.Key)}'").Order(StringComparer.Ordinal).ToList();
        if (gone.Count > 0)
        {
            WriteCib(new CibRequest(CibCommand.Delete,
                XPath: $"/cib/status/node_state[{string.Join(" or ", gone)}]/transient_attributes/instance_attributes/nvpair[@name='{w.Name}']",
                Options: CibCallOptions.Multiple), client: AttributeClient);
        }
    }

    /// <summary>Pacemaker's nvpair id for a transient attribute: <c>status-1-fail-count-WebIP.monitor_10000</c> (characters an XML id cannot hold become '.').</summary>
    public static string NvpairId(string nodeId, string name) =>
        $"status-{nodeId}-{string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '.'))}";

    private static bool IsFailureOf(string name, string resourceId) =>
        name.StartsWith($"fail-count-{resourceId}#", StringComparison.Ordinal) || name.StartsWith($"last-failure-{resourceId}#", StringComparison.Ordinal);

    // ---- shutdown ---------------------------------------------------------------------------

    private void OnShutdownRequested()
    {
        if (_shuttingDown)
            return;
        _shuttingDown = true;
        Log("pacemaker-controld", "crm_shutdown", "notice", "Requesting shutdown");
        if (!_controllerStarted || _crmdMembers.Count <= 1 || _controller.Leader is null)
        {
            // Nobody to hand the resources to, or no DC to ask: leave now.
            _out.Add(new NodeExit("shutdown requested"));
            return;
        }
        if (!_lrm.AnyActive)
        {
            // Nothing runs here: say we leave on purpose (expected=down, so nobody fences us),
            // and go once that is in the CIB.
            var me = Id(_localId);
            _exitAfterCall = _nextCall + 1;
            WriteCib(new CibRequest(CibCommand.Modify, "status", Options: CibCallOptions.AllowCreate, Data:
                new XElement("node_state", new XAttribute("id", me), new XAttribute("uname", _localName), new XAttribute("expected", "down"))));
            return;
        }
        // The shutdown attribute makes the DC move our resources away and then send do_shutdown.
        var id = Id(_localId);
        WriteCib(new CibRequest(CibCommand.Modify, "status", Options: CibCallOptions.AllowCreate, Data:
            new XElement("node_state", new XAttribute("id", id), new XAttribute("uname", _localName), new XAttribute("expected", "down"),
                new XElement("transient_attributes", new XAttribute("id", id),
                    new XElement("instance_attributes", new XAttribute("id", $"status-{id}"),
                        new XElement("nvpair", new XAttribute("id", $"status-{id}-shutdown"), new XAttribute("name", "shutdown"),
                            new XAttribute("value", _wall.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))))))),
            client: AttributeClient);
    }

    /// <summary>
    /// The DC is idle (the last graph was empty): a node that asked to shut down has nothing left
    /// to move, so it may leave. This does what the graph's do_shutdown does when the scheduler
    /// adds one, and is harmless when it already did.
    /// </summary>
    private void ReleaseShutdowns()
    {
        if (!_controller.IsDc)
            return;
        foreach (var state in _cib.Cib.Element("status")?.Elements("node_state") ?? [])
        {
            var uname = (string?)state.Attribute("uname");
            var requested = state.Elements("transient_attributes").Elements("instance_attributes").Elements("nvpair")
                .Any(nv => (string?)nv.Attribute("name") == "shutdown" && (string?)nv.Attribute("value") is { Length: > 0 } v && v != "0");
            if (uname is null || !requested || (string?)state.Attribute("crmd") != "online")
                continue;
            if (uname == _localName)
            {
                _out.Add(new NodeExit("shutdown complete"));
                continue;
            }
            Log("pacemaker-controld", "do_shutdown", "notice", $"Telling {uname} it may shut down: its resources are elsewhere");
            _out.Add(new SendToGroup(CrmdGroup, ControllerWire.Encode(new ControllerEnvelope(_localName, uname,
                new ActionRequest(new TransitionKey(0, -1, 0, _engine.DcUuid), "", "do_shutdown", TimeSpan.Zero)))));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private bool FencingGivenUp()
    {
        var max = StonithMaxAttempts();
        return _fenceFailures.Values.Any(n => n >= max);
    }

    /// <summary>stonith-max-attempts: failed fencing of one node before the DC stops retrying at once (default 10).</summary>
    private int StonithMaxAttempts()
    {
        var text = _cib.Cib.Element("configuration")?.Element("crm_config")?.Descendants("nvpair")
            .FirstOrDefault(n => (string?)n.Attribute("name") == "stonith-max-attempts")?.Attribute("value")?.Value;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10;
    }

    private TimeSpan RecheckInterval()
    {
        var text = _cib.Cib.Element("configuration")?.Element("crm_config")?.Descendants("nvpair")
            .FirstOrDefault(n => (string?)n.Attribute("name") == "cluster-recheck-interval")?.Attribute("value")?.Value;
        // Default 15 min; an unparsable or zero value falls back to it too.
        return Digests.TimeSpec.TryParseMs(text, out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : TimeSpan.FromMinutes(15);
    }

    private string NameOf(uint id) => _names.TryGetValue(id, out var n) ? n : Id(id);

    private string IdOfName(string name)
    {
        foreach (var (id, n) in _names)
            if (n == name) return Id(id);
        return name;
    }

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);

    private void Log(string daemon, string function, string level, string text) => _out.Add(new LogLine(daemon, function, level, text));

    private readonly record struct PendingReport(ActionRequest Request, int OpStatus, int Rc);
}
