using static Cluster.Crm.Controller.ControllerInput;
using static Cluster.Crm.Controller.ControllerState;

namespace Cluster.Crm.Controller;

/// <summary>
/// One node's controller (Pacemaker's crmd) as a sans-IO state machine: DC election, join,
/// node_state upkeep, scheduling and action routing. Inputs: membership and quorum changes,
/// <c>crmd</c> group messages, timers, scheduler and graph results; outputs: effects. The FSA's
/// state changes go only through <see cref="ControllerFsa"/>'s table.
/// <para>
/// Safety of the election (at most one DC among the members of one membership): a node becomes
/// DC only with a no-vote for its current round from every other member; a node sends a no-vote
/// to a voter that beats it (and then gives up being DC or candidate) or, as a follower, to any
/// voter, since the DC or candidates hear the same broadcast vote and contend for themselves;
/// a DC that sees new members steps down into an election, since a newcomer may be the DC of a
/// partition that just healed.
/// </para>
/// </summary>
public sealed class ControllerCore
{
    private readonly string _local;
    private readonly ControllerOptions _options;
    private readonly HashSet<string> _noVotes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _announceAnswered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JoinRecord> _joins = new(StringComparer.Ordinal);
    private SortedSet<string> _ccm = new(StringComparer.Ordinal);
    private SortedSet<string> _crmd = new(StringComparer.Ordinal);
    private TimeSpan _startedAt;
    private string? _leader;
    private int _round;
    private bool _namesOnly;
    private bool _peerLeads;
    private int _joinId;
    private int _offeredJoinId = -1;
    private int _transitionId;
    private bool _recalculate;

    public ControllerCore(string localNode, ControllerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localNode);
        _local = localNode;
        _options = options ?? new ControllerOptions();
    }

    public string LocalNode => _local;

    public ControllerState State { get; private set; } = S_STARTING;

    public bool IsDc => ControllerFsa.IsDcState(State);

    /// <summary>The DC this node follows (itself when DC), or the node it conceded to; null when unknown.</summary>
    public string? Leader => _leader;

    /// <summary>The current join round (DC) or the last one offered to this node.</summary>
    public int JoinId => IsDc ? _joinId : _offeredJoinId;

    public int TransitionId => _transitionId;

    public bool Quorate { get; private set; }

    /// <summary>
    /// Starts the controller. Alone in the <c>crmd</c> group it elects itself at once; otherwise
    /// it asks the members who leads and calls an election as soon as every one of them has
    /// answered that nobody does, instead of always sitting out dc-deadtime.
    /// </summary>
    public IReadOnlyList<ControllerEffect> Start(ControllerMembership membership, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var effects = new List<ControllerEffect>();
        if (State != S_STARTING)
            return effects;
        _startedAt = now;
        SetMembership(membership);
        Raise(I_PENDING, effects);
        if (Peers.Count == 0)
        {
            StartElection(now, effects);
            return effects;
        }
        effects.Add(new SendToControllers(null, new Announce()));
        effects.Add(new ArmControllerTimer(ControllerTimer.DcDeadtime, _options.DcDeadtime));
        return effects;
    }

    /// <summary>Membership or quorum changed (corosync and/or the <c>crmd</c> group).</summary>
    public IReadOnlyList<ControllerEffect> OnMembership(ControllerMembership membership, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var effects = new List<ControllerEffect>();
        var oldCcm = _ccm;
        var oldCrmd = _crmd;
        var wasQuorate = Quorate;
        SetMembership(membership);
        var rejoined = (membership.Rejoined ?? new HashSet<string>())
            .Where(n => n != _local && oldCrmd.Contains(n) && _crmd.Contains(n)).ToHashSet(StringComparer.Ordinal);
        var joined = _crmd.Where(n => (!oldCrmd.Contains(n) || rejoined.Contains(n)) && n != _local).ToList();
        var left = oldCrmd.Where(n => !_crmd.Contains(n) || rejoined.Contains(n)).ToList();
        foreach (var gone in left)
        {
            _noVotes.Remove(gone);
            _announceAnswered.Remove(gone);
            _joins.Remove(gone);
        }
        if (State is S_STARTING or S_STOPPING or S_TERMINATE)
            return effects;

        if (IsDc)
        {
            foreach (var n in _ccm.Where(n => !oldCcm.Contains(n)))
                effects.Add(new UpdateNodeState(new NodeStateUpdate(n, InCcm: true)));
            foreach (var n in oldCcm.Where(n => !_ccm.Contains(n)))
                effects.Add(new UpdateNodeState(new NodeStateUpdate(n, InCcm: false)));
            // expected stays "member": a node gone without a clean shutdown is unclean. A node
            // that rejoined in the same change stays online until it joins again.
            foreach (var n in left.Where(n => !rejoined.Contains(n)))
                effects.Add(new UpdateNodeState(new NodeStateUpdate(n, Crmd: CrmdState.Offline, Join: JoinState.Down)));
        }

        if (joined.Count > 0 && IsDc)
        {
            // A newcomer may be the DC of a partition that just healed: no two DCs, so elect.
            StartElection(now, effects);
            return effects;
        }
        if (joined.Count > 0 && State == S_ELECTION)
        {
            foreach (var n in joined)
                effects.Add(new SendToControllers(n, new Vote(_round, Credentials(now))));
        }
        if (_leader is not null && _leader != _local && !_crmd.Contains(_leader))
        {
            _leader = null;
            StartElection(now, effects);
            return effects;
        }
        switch (State)
        {
            case S_ELECTION:
                CheckWin(now, effects);
                break;
            case S_PENDING when _leader is null:
                CheckAnnounced(now, effects);
                break;
            case S_INTEGRATION:
                CheckIntegrated(effects);
                break;
            case S_FINALIZE_JOIN:
                CheckFinalized(effects);
                break;
            default:
                if (IsDc && (left.Count > 0 || !oldCcm.SetEquals(_ccm) || wasQuorate != Quorate))
                    Reschedule("membership changed", effects);
                break;
        }
        return effects;
    }

    /// <summary>A <c>crmd</c> group message from <paramref name="sender"/> (our own broadcasts included).</summary>
    public IReadOnlyList<ControllerEffect> OnMessage(string sender, ControllerMessage message, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var effects = new List<ControllerEffect>();
        if (State is S_STARTING or S_TERMINATE)
            return effects;
        switch (message)
        {
            case Announce when sender != _local:
                effects.Add(new SendToControllers(sender, new AnnounceReply(IsDc ? _local : _leader, State == S_ELECTION)));
                break;
            case AnnounceReply reply when State == S_PENDING && _leader is null:
                _announceAnswered.Add(sender);
                _peerLeads |= reply.Leader is not null || reply.Electing;
                CheckAnnounced(now, effects);
                break;
            case Vote vote when sender != _local:
                OnVote(sender, vote, now, effects);
                break;
            case NoVote noVote when State == S_ELECTION && noVote.Round == _round:
                _noVotes.Add(sender);
                CheckWin(now, effects);
                break;
            case NoVote when IsDc && sender != _local && _crmd.Contains(sender) && !_joins.ContainsKey(sender):
                // A late concession (it voted after we won): it waits for an offer.
                StartJoinRound([sender], fresh: false, effects);
                break;
            case NoVote when IsDc && _joins.TryGetValue(sender, out var welcomed) && welcomed.Phase == JoinPhase.Welcomed:
                // It was electing when our offer came, and ignored it; now it waits for one.
                effects.Add(new SendToControllers(sender, new JoinOffer(welcomed.JoinId)));
                break;
            case JoinOffer offer:
                OnJoinOffer(sender, offer, now, effects);
                break;
            case JoinRequest request when IsDc && InPhase(sender, request.JoinId, JoinPhase.Welcomed):
                OnJoinRequest(sender, request, effects);
                break;
            case JoinAck ack when sender == _leader && ack.JoinId == _offeredJoinId:
                OnJoinAck(sender, ack, effects);
                break;
            case JoinConfirm confirm when IsDc && InPhase(sender, confirm.JoinId, JoinPhase.Finalized):
                _joins[sender] = _joins[sender] with { Phase = JoinPhase.Confirmed };
                effects.Add(new ReplaceNodeHistory(sender));
                effects.Add(new UpdateNodeState(new NodeStateUpdate(sender, InCcm: _ccm.Contains(sender),
                    Crmd: CrmdState.Online, Join: JoinState.Member, Expected: ExpectedState.Member)));
                CheckFinalized(effects);
                break;
            case ActionRequest request when sender == _leader:
                effects.Add(new ExecuteLocalAction(request));
                break;
            case ActionResult result when IsDc:
                OnActionResult(result, effects);
                break;
        }
        return effects;
    }

    public IReadOnlyList<ControllerEffect> OnTimer(ControllerTimer timer, TimeSpan now)
    {
        var effects = new List<ControllerEffect>();
        switch (timer)
        {
            case ControllerTimer.DcDeadtime when State == S_PENDING:
                // Nobody offered a join in time; if uptimes confused the last round, names decide now.
                _namesOnly = true;
                _leader = null;
                StartElection(now, effects);
                break;
            case ControllerTimer.ElectionTimeout when State == S_ELECTION:
                _namesOnly = true;
                StartElection(now, effects);
                break;
            case ControllerTimer.IntegrationTimeout when State == S_INTEGRATION:
                foreach (var n in _joins.Where(j => j.Value.Phase == JoinPhase.Welcomed).Select(j => j.Key).ToList())
                    _joins.Remove(n);
                CheckIntegrated(effects);
                break;
        }
        return effects;
    }

    /// <summary>Something changed that the scheduler must see (a CIB change, an attribute, a recheck).</summary>
    public IReadOnlyList<ControllerEffect> RequestSchedule(string reason)
    {
        var effects = new List<ControllerEffect>();
        Reschedule(reason, effects);
        return effects;
    }

    /// <summary>The scheduler's answer to <see cref="RunScheduler"/>.</summary>
    public IReadOnlyList<ControllerEffect> OnSchedulerResult(int transitionId, ITransitionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var effects = new List<ControllerEffect>();
        if (State != S_POLICY_ENGINE || transitionId != _transitionId)
            return effects; // computed on a snapshot that is no longer current
        if (_recalculate)
        {
            _recalculate = false;
            effects.Add(new RunScheduler(++_transitionId));
            return effects;
        }
        Raise(I_PE_SUCCESS, effects);
        if (plan.IsEmpty)
            Raise(I_TE_SUCCESS, effects);
        else
            effects.Add(new ExecuteTransition(transitionId, plan));
        return effects;
    }

    /// <summary>
    /// The graph engine finished transition <paramref name="transitionId"/> (completed or aborted):
    /// the scheduler runs again on the new CIB, until it yields an empty graph. With
    /// <paramref name="rerun"/> false (fencing given up) the DC goes idle and waits for the next event.
    /// </summary>
    public IReadOnlyList<ControllerEffect> OnTransitionFinished(int transitionId, bool completed, bool rerun = true)
    {
        var effects = new List<ControllerEffect>();
        if (State != S_TRANSITION_ENGINE || transitionId != _transitionId)
            return effects;
        if (!rerun)
        {
            Raise(I_TE_SUCCESS, effects);
            return effects;
        }
        Raise(I_PE_CALC, effects);
        effects.Add(new RunScheduler(++_transitionId));
        return effects;
    }

    /// <summary>The graph engine (DC) asks for one action on <paramref name="node"/>.</summary>
    public IReadOnlyList<ControllerEffect> RequestAction(string node, ActionRequest request)
    {
        if (!IsDc)
            return [];
        return node == _local
            ? [new ExecuteLocalAction(request)]
            : [new SendToControllers(node, request)];
    }

    /// <summary>
    /// The local executor finished an action the DC asked for, and the CIB holds its result (the
    /// <see cref="LocalResourceManager"/> recorded it): tell the DC.
    /// </summary>
    public IReadOnlyList<ControllerEffect> OnLocalActionResult(ActionRequest request, int opStatus, int rc)
    {
        ArgumentNullException.ThrowIfNull(request);
        var effects = new List<ControllerEffect>();
        var result = new ActionResult(request.Key, opStatus, rc);
        if (IsDc)
            OnActionResult(result, effects);
        else if (_leader is not null)
            effects.Add(new SendToControllers(_leader, result));
        return effects;
    }

    /// <summary>A clean stop: concede every election from now on; the shell leaves the group.</summary>
    public IReadOnlyList<ControllerEffect> Shutdown()
    {
        var effects = new List<ControllerEffect>();
        if (State == S_TRANSITION_ENGINE)
            effects.Add(new AbortTransition(_transitionId, "controller shutting down"));
        Raise(I_SHUTDOWN, effects);
        Raise(I_TERMINATE, effects);
        return effects;
    }

    private IReadOnlyCollection<string> Peers => _crmd.Where(n => n != _local).ToList();

    private ElectionCredentials Credentials(TimeSpan now) =>
        new(_options.FeatureSet, now - _startedAt, _local, _namesOnly);

    private void SetMembership(ControllerMembership membership)
    {
        _ccm = new SortedSet<string>(membership.Ccm, StringComparer.Ordinal);
        _crmd = new SortedSet<string>(membership.Crmd, StringComparer.Ordinal) { _local };
        Quorate = membership.Quorate;
    }

    private bool Raise(ControllerInput input, List<ControllerEffect> effects)
    {
        if (ControllerFsa.Next(State, input) is not { } next)
            return false;
        effects.Add(new StateChanged(State, next, input));
        State = next;
        return true;
    }

    private void StartElection(TimeSpan now, List<ControllerEffect> effects)
    {
        if (State == S_TRANSITION_ENGINE)
            effects.Add(new AbortTransition(_transitionId, "election"));
        if (!Raise(I_ELECTION, effects) && State != S_ELECTION)
            return;
        _round++;
        _noVotes.Clear();
        _joins.Clear();
        _leader = null;
        _offeredJoinId = -1;
        effects.Add(new CancelControllerTimer(ControllerTimer.DcDeadtime));
        effects.Add(new CancelControllerTimer(ControllerTimer.IntegrationTimeout));
        effects.Add(new ArmControllerTimer(ControllerTimer.ElectionTimeout, _options.ElectionTimeout));
        effects.Add(new SendToControllers(null, new Vote(_round, Credentials(now))));
        CheckWin(now, effects);
    }

    private void CheckWin(TimeSpan now, List<ControllerEffect> effects)
    {
        if (State != S_ELECTION || !Peers.All(_noVotes.Contains))
            return;
        effects.Add(new CancelControllerTimer(ControllerTimer.ElectionTimeout));
        Raise(I_ELECTION_DC, effects);
        _namesOnly = false;
        _leader = _local;
        effects.Add(new ClaimDc(_local, _options.FeatureSet));
        StartJoinRound(_crmd.ToList(), fresh: true, effects);
    }

    private void CheckAnnounced(TimeSpan now, List<ControllerEffect> effects)
    {
        if (!_peerLeads && Peers.All(_announceAnswered.Contains))
            StartElection(now, effects);
    }

    private void OnVote(string sender, Vote vote, TimeSpan now, List<ControllerEffect> effects)
    {
        var namesOnly = _namesOnly || vote.Credentials.NamesOnly;
        var mine = Credentials(now) with { NamesOnly = namesOnly };
        var theirs = vote.Credentials with { NamesOnly = namesOnly };
        var following = State is S_PENDING or S_NOT_DC && _leader is not null && _leader != _local && _crmd.Contains(_leader);
        if (following)
        {
            // Not a contender: our leader heard the same vote and contends for itself; the
            // winner's join offer will tell us whom to follow.
            effects.Add(new SendToControllers(sender, new NoVote(vote.Round)));
        }
        else if (State == S_STOPPING || theirs.Beats(mine))
        {
            effects.Add(new SendToControllers(sender, new NoVote(vote.Round)));
            if (State == S_STOPPING)
                return;
            if (IsDc)
            {
                if (State == S_TRANSITION_ENGINE)
                    effects.Add(new AbortTransition(_transitionId, "lost the DC role"));
                Raise(I_RELEASE_DC, effects);
                Raise(I_RELEASE_SUCCESS, effects);
            }
            else
            {
                Raise(I_PENDING, effects);
            }
            _leader = sender;
            _offeredJoinId = -1; // join ids are per DC: the next offer is new whatever its id
            _joins.Clear();
            effects.Add(new CancelControllerTimer(ControllerTimer.ElectionTimeout));
            effects.Add(new ArmControllerTimer(ControllerTimer.DcDeadtime, _options.DcDeadtime));
        }
        else if (IsDc || State == S_ELECTION)
        {
            // A member that votes does not follow us (it lost us for a moment, maybe without
            // our seeing it leave): once it concedes, its no-vote must get a fresh join offer.
            if (IsDc)
                _joins.Remove(sender);
            effects.Add(new SendToControllers(sender, new Vote(_round, mine)));
        }
        else
        {
            StartElection(now, effects);
        }
    }

    private void OnJoinOffer(string sender, JoinOffer offer, TimeSpan now, List<ControllerEffect> effects)
    {
        if (sender == _local)
        {
            if (IsDc)
            {
                _offeredJoinId = offer.JoinId;
                effects.Add(new SendToControllers(_local, new JoinRequest(offer.JoinId, _options.FeatureSet)));
            }
            return;
        }
        if (IsDc)
        {
            StartElection(now, effects); // a second DC in our membership
            return;
        }
        if (State is not (S_PENDING or S_NOT_DC))
            return; // electing: the offerer will hear our vote
        if (sender == _leader && offer.JoinId == _offeredJoinId)
            return; // a repeated offer we already answered
        Raise(I_PENDING, effects);
        _leader = sender;
        _offeredJoinId = offer.JoinId;
        effects.Add(new CancelControllerTimer(ControllerTimer.DcDeadtime));
        effects.Add(new SendToControllers(sender, new JoinRequest(offer.JoinId, _options.FeatureSet)));
    }

    private void OnJoinRequest(string sender, JoinRequest request, List<ControllerEffect> effects)
    {
        var ours = _options.FeatureSet.Split('.')[0];
        var theirs = request.FeatureSet.Split('.')[0];
        if (ours != theirs)
        {
            _joins.Remove(sender);
            effects.Add(new UpdateNodeState(new NodeStateUpdate(sender, Join: JoinState.Banned)));
            effects.Add(new SendToControllers(sender, new JoinAck(request.JoinId, false,
                $"feature set {request.FeatureSet} is incompatible with the DC's {_options.FeatureSet}")));
        }
        else
        {
            _joins[sender] = _joins[sender] with { Phase = JoinPhase.Integrated };
            effects.Add(new UpdateNodeState(new NodeStateUpdate(sender, Crmd: CrmdState.Online, Join: JoinState.Pending)));
        }
        CheckIntegrated(effects);
    }

    private void OnJoinAck(string sender, JoinAck ack, List<ControllerEffect> effects)
    {
        if (!ack.Accepted)
        {
            effects.Add(new ControllerExit($"refused by the DC {sender} at join: {ack.Reason}"));
            Raise(I_SHUTDOWN, effects);
            return;
        }
        effects.Add(new SendToControllers(sender, new JoinConfirm(ack.JoinId)));
        if (!IsDc)
            Raise(I_NOT_DC, effects);
    }

    /// <summary>
    /// Offers a join to <paramref name="nodes"/>; a fresh round (after winning) forgets earlier
    /// joins, a partial one (a late node) leaves the others' joins running.
    /// </summary>
    private void StartJoinRound(IReadOnlyList<string> nodes, bool fresh, List<ControllerEffect> effects)
    {
        if (State == S_TRANSITION_ENGINE)
            effects.Add(new AbortTransition(_transitionId, "node join"));
        if (State != S_INTEGRATION)
            Raise(I_NODE_JOIN, effects);
        _joinId++;
        if (fresh)
            _joins.Clear();
        foreach (var n in nodes)
        {
            _joins[n] = new JoinRecord(JoinPhase.Welcomed, _joinId);
            effects.Add(new SendToControllers(n, new JoinOffer(_joinId)));
        }
        effects.Add(new ArmControllerTimer(ControllerTimer.IntegrationTimeout, _options.JoinIntegrationTimeout));
    }

    private void CheckIntegrated(List<ControllerEffect> effects)
    {
        if (State != S_INTEGRATION || _joins.Values.Any(p => p.Phase == JoinPhase.Welcomed))
            return;
        effects.Add(new CancelControllerTimer(ControllerTimer.IntegrationTimeout));
        Raise(I_INTEGRATED, effects);
        effects.Add(new SyncCib(_joinId));
        foreach (var (n, record) in _joins.Where(j => j.Value.Phase == JoinPhase.Integrated).ToList())
        {
            _joins[n] = record with { Phase = JoinPhase.Finalized };
            effects.Add(new SendToControllers(n, new JoinAck(record.JoinId, true)));
        }
        CheckFinalized(effects);
    }

    private void CheckFinalized(List<ControllerEffect> effects)
    {
        if (State != S_FINALIZE_JOIN || _joins.Values.Any(p => p.Phase == JoinPhase.Finalized))
            return;
        Raise(I_FINALIZED, effects);
        _recalculate = false;
        effects.Add(new RunScheduler(++_transitionId));
    }

    private void Reschedule(string reason, List<ControllerEffect> effects)
    {
        switch (State)
        {
            case S_IDLE:
                Raise(I_PE_CALC, effects);
                effects.Add(new RunScheduler(++_transitionId));
                break;
            case S_TRANSITION_ENGINE:
                effects.Add(new AbortTransition(_transitionId, reason));
                break;
            case S_POLICY_ENGINE:
                _recalculate = true;
                break;
        }
    }

    private void OnActionResult(ActionResult result, List<ControllerEffect> effects)
    {
        effects.Add(new ActionConfirmed(result.Key, result.OpStatus, result.Rc));
        if (result.OpStatus == 0 && result.Rc == result.Key.ExpectedRc)
            return;
        var reason = $"unexpected result rc={result.Rc} status={result.OpStatus} for action {result.Key.ActionId}";
        if (State == S_TRANSITION_ENGINE && result.Key.TransitionId == _transitionId)
            effects.Add(new AbortTransition(_transitionId, reason));
        else
            Reschedule(reason, effects); // a recurring monitor of an earlier transition failed

    }

    private bool InPhase(string node, int joinId, JoinPhase phase) =>
        _joins.TryGetValue(node, out var record) && record.JoinId == joinId && record.Phase == phase;

    private enum JoinPhase { Welcomed, Integrated, Finalized, Confirmed }

    private readonly record struct JoinRecord(JoinPhase Phase, int JoinId);
}
