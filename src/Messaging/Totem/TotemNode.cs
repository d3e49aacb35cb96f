using System.Collections.Immutable;
using System.Globalization;
using Cluster.Common.Diagnostics;
using Cluster.Messaging.Fragmentation;
using Cluster.Messaging.Totem.Wire;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Totem;

/// <summary>
/// The Totem single-ring protocol as corosync implements it (messaging-spec §2), with totempg
/// packing/fragmentation (§3), as a sans-IO state machine. Single-threaded: the shell calls one
/// method at a time and interprets the returned effects.
/// </summary>
public sealed class TotemNode : ITotemNode
{
    private const uint AruUndefined = 0xFFFFFFFF;
    private const int SortWindow = 16384;

    /// <summary>Headroom kept below 2^64 (see <see cref="RingSequenceCeiling"/>).</summary>
    public const ulong MaxRingSequenceLead = 1UL << 32;

    /// <summary>
    /// How far one join or commit token may move our sequence. A gap larger than this closes
    /// over several gather rounds; reaching the end of the sequence space takes some 2^33 forged
    /// packets instead of one. (Dropping joins far ahead of our own sequence instead split rings
    /// for good in the forged-profile sweep: members moved by a forged header, or a node that
    /// restarted with an old sequence, were refused by the others forever.)
    /// </summary>
    public const ulong MaxRingSequenceStep = MaxRingSequenceLead / 2;

    /// <summary>
    /// The highest ring sequence accepted from a peer: well below 2^64, so that our next ring
    /// (+4) can never wrap into "stale" (a forged join with ring_seq 2^64-1 split the ring into
    /// singletons for good, the persisted sequence going backwards).
    /// </summary>
    public const ulong RingSequenceCeiling = ulong.MaxValue - MaxRingSequenceLead;

    private sealed record StoredFrame(McastMessage Message, byte[] Raw);

    private readonly TotemOptions _o;
    private readonly NodeId _me;
    private List<TotemEffect> _fx = [];
    private readonly HashSet<TotemTimer> _armed = [];

    private RingId _ringId, _oldRingId;
    private ulong _tokenRingIdSeq;
    private NodeId[] _memb = [];
    private NodeId[] _newMemb = [];
    private NodeId[] _trans = [];
    private readonly SortedSet<NodeId> _proc = [];
    private readonly SortedSet<NodeId> _failed = [];
    private readonly HashSet<NodeId> _consensus = [];
    private readonly HashSet<NodeId> _leftVoluntarily = [];
    // Peers the transport reports with no working link: nothing we send reaches them, so waiting
    // the consensus timeout for their join only delays the new ring.
    private readonly HashSet<NodeId> _unreachable = [];
    // Only a round begun by a token loss skips the wait: at a partition's heal the reports lag
    // the links coming back, and failing a peer we are about to hear from again makes the
    // merging rings flap (seen on the namespace harness: quorum lost and regained for 2 s).
    private bool _roundFromTokenLoss;
    private readonly Dictionary<NodeId, ulong> _joinRingSeen = [];
    private bool _failedToRecv;
    private TimeSpan _now;
    private readonly LogThrottle _implausibleLog = new(TimeSpan.FromSeconds(10));

    // Current ring's sort queue and bookkeeping.
    private Dictionary<uint, StoredFrame> _queue = [];
    private uint _myAru, _highSeqReceived, _highDelivered, _lastAru, _lastReleased;
    private long _myTokenSeq = -1;
    private uint _lastTokenSeqSeen;
    private int _seqUnchanged, _aruCount;
    private bool _holding, _holdCancelSent;
    private readonly Dictionary<uint, int> _missCount = [];
    private int _myTrc, _myPbl, _myCbl;

    // Recovery.
    private int _retransFlgCount, _rotationCounter;
    private uint _installSeq;
    private bool _receivedFlg, _setRetransFlg, _originatedOrf;
    private readonly Queue<byte[]> _retransQueue = new();

    // Old ring state, saved once at the first COMMIT after OPERATIONAL.
    private bool _oldSaved;
    private Dictionary<uint, StoredFrame> _oldQueue = [];
    private uint _oldAru, _oldHighSeq, _oldHighDelivered;

    // Saved token (ORF or commit) for retransmission.
    private byte[]? _savedToken;
    private NodeId _savedTarget;

    private readonly Packer _packer = new();
    private readonly Assembler _assembler;
    private readonly List<Delivery> _deliveries = [];

    public TotemNode(TotemOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var invalid = options.Validate();
        if (invalid is not null) throw new ArgumentException($"invalid totem options: {invalid}", nameof(options));
        _o = options;
        _me = options.LocalNode;
        _assembler = new Assembler(options.MaxMessageSize);
    }

    public NodeId LocalNode => _me;
    public TotemOptions Options => _o;
    public MembershipState State { get; private set; } = MembershipState.NotStarted;
    public RingId RingId => _ringId;
    /// <summary>Members of the current regular configuration.</summary>
    public IReadOnlyList<NodeId> Members => _memb;
    /// <summary>Bytes of application messages waiting to be sent.</summary>
    public long PendingBytes => _packer.PendingBytes;

    // ------------------------------------------------------------------ public entry points

    public IReadOnlyList<TotemEffect> Start(ulong persistedRingSequence, TimeSpan now)
    {
        Begin();
        if (State != MembershipState.NotStarted) throw new InvalidOperationException($"node {_me} already started");
        var seq = persistedRingSequence + 1;
        if (persistedRingSequence >= RingSequenceCeiling)
        {
            // Only an older build that accepted a forged header gets here. Peers drop joins past
            // the ceiling, so staying there would keep us out for good: continue from it.
            seq = RingSequenceCeiling;
            Log(LogLevel.Warning, $"Persisted ring sequence {persistedRingSequence:x} is past the last usable one; continuing from {seq:x}.");
        }
        _fx.Add(new PersistRingSequence(seq));
        _ringId = new RingId(_me, seq);
        _oldRingId = _ringId;
        _tokenRingIdSeq = seq;
        _proc.Add(_me);
        GatherEnter("interface change");
        return End();
    }

    public IReadOnlyList<TotemEffect> OnFrame(ReadOnlySpan<byte> frame, TimeSpan now)
    {
        Begin();
        _now = now;
        if (State is MembershipState.NotStarted or MembershipState.Left) return End();
        var raw = frame.ToArray();
        if (!TotemCodec.TryDecode(raw, out var message, out var error))
        {
            Log(LogLevel.Warning, $"Received invalid frame ({raw.Length} bytes): {error}. Ignoring.");
            return End();
        }
        switch (message)
        {
            case OrfToken t: OnOrfToken(t); break;
            case McastMessage m: OnMcast(m, raw); break;
            case JoinMessage j: OnJoin(j); break;
            case CommitToken c: OnCommitToken(c); break;
            case MergeDetectMessage d: OnMergeDetect(d); break;
            case TokenHoldCancelMessage h: OnHoldCancel(h); break;
        }
        return End();
    }

    public IReadOnlyList<TotemEffect> OnTimer(TotemTimer timer, TimeSpan now)
    {
        Begin();
        if (!_armed.Remove(timer) || State is MembershipState.NotStarted or MembershipState.Left) return End();
        switch (timer)
        {
            case TotemTimer.TokenLoss: OnTokenLoss(); break;
            case TotemTimer.TokenRetransmit:
                if (_savedToken is not null && State is MembershipState.Operational or MembershipState.Commit or MembershipState.Recovery)
                {
                    _fx.Add(new SendTo(_savedTarget, _savedToken));
                    Arm(TotemTimer.TokenRetransmit, _o.TokenRetransmit);
                }
                break;
            case TotemTimer.TokenHold:
                // Idle ring: let the held token make one more rotation (the rep holds it again
                // on return, so an idle ring costs one rotation per hold period).
                if (State == MembershipState.Operational && _holding && _savedToken is not null)
                {
                    _holding = false;
                    _fx.Add(new SendTo(_savedTarget, _savedToken));
                }
                break;
            case TotemTimer.Join:
                if (State == MembershipState.Gather)
                {
                    SendJoin();
                    Arm(TotemTimer.Join, _o.Join);
                    CheckConsensus();
                }
                break;
            case TotemTimer.Consensus:
                if (State == MembershipState.Gather) ConsensusTimeout();
                break;
            case TotemTimer.MergeDetect:
                if (State == MembershipState.Operational && IsRep)
                    _fx.Add(new Broadcast(TotemCodec.Encode(new MergeDetectMessage(_me, _me, _ringId))));
                break;
            case TotemTimer.Downcheck:
                break;
        }
        return End();
    }

    public IReadOnlyList<TotemEffect> Submit(ReadOnlyMemory<byte> message, TimeSpan now, out bool accepted)
    {
        Begin();
        accepted = false;
        if (State is MembershipState.NotStarted or MembershipState.Left) return End();
        if (message.Length > _o.MaxMessageSize)
        {
            Log(LogLevel.Warning, $"Message of {message.Length} bytes exceeds the maximum of {_o.MaxMessageSize} bytes; refused.");
            return End();
        }
        if (_packer.PendingBytes + message.Length > _o.SendQueueBytes) return End();
        _packer.Enqueue(message);
        accepted = true;
        if (State == MembershipState.Operational && _seqUnchanged >= _o.SeqnoUnchangedConst)
        {
            // The ring is idle and the representative may hold the token: ask for it back.
            if (IsRep)
            {
                if (_holding) ReleaseHeldToken();
            }
            else if (!_holdCancelSent)
            {
                _holdCancelSent = true;
                _fx.Add(new Broadcast(TotemCodec.Encode(new TokenHoldCancelMessage(_me, _ringId))));
            }
        }
        return End();
    }

    public IReadOnlyList<TotemEffect> OnPeerReachability(NodeId peer, bool reachable, TimeSpan now)
    {
        Begin();
        if (peer == _me) return End();
        if (reachable)
        {
            _unreachable.Remove(peer);
            return End();
        }
        if (_unreachable.Add(peer) && State == MembershipState.Gather && _roundFromTokenLoss && FailUnreachable())
            GatherEnter("a peer became unreachable during gather");
        return End();
    }

    /// <summary>Moves unreachable candidates to the failed set; true when one moved.</summary>
    private bool FailUnreachable()
    {
        bool any = false;
        foreach (var n in _unreachable)
        {
            if (n == _me || !_proc.Contains(n) || !_failed.Add(n)) continue;
            any = true;
            Log(LogLevel.Information, $"host {n.Value} has no active links: failed without waiting for consensus.");
        }
        return any;
    }

    public IReadOnlyList<TotemEffect> Leave(TimeSpan now)
    {
        Begin();
        if (State is MembershipState.NotStarted or MembershipState.Left) return End();
        var proc = _proc.Where(n => n != _me).ToImmutableArray();
        var failed = _failed.Where(n => n != _me).Append(_me).ToImmutableArray();
        var leave = TotemCodec.Encode(new JoinMessage(new NodeId(0), _me, _ringId.Sequence, proc, failed));
        // Sent twice: a leave is idempotent and losing it costs the others a token timeout.
        _fx.Add(new Broadcast(leave));
        _fx.Add(new Broadcast(leave));
        foreach (var t in _armed.ToArray()) Cancel(t);
        State = MembershipState.Left;
        Log(LogLevel.Information, "Leaving the ring.");
        return End();
    }

    // ------------------------------------------------------------------ helpers

    private void Begin() => _fx = [];

    private List<TotemEffect> End() => _fx;

    private bool IsRep => _ringId.Representative == _me;

    private void Log(LogLevel level, string text) => _fx.Add(new LogLine(level, text));

    private void Arm(TotemTimer timer, int ms)
    {
        _armed.Add(timer);
        _fx.Add(new ArmTimer(timer, TimeSpan.FromMilliseconds(ms)));
    }

    private void Cancel(TotemTimer timer)
    {
        if (_armed.Remove(timer)) _fx.Add(new CancelTimer(timer));
    }

    private static NodeId NextAfter(NodeId[] ring, NodeId me)
    {
        var i = Array.IndexOf(ring, me);
        return ring[(i + 1) % ring.Length];
    }

    private NodeId[] ProcMinusFailed() => _proc.Where(n => !_failed.Contains(n)).ToArray();

    private static string List(IEnumerable<NodeId> nodes) =>
        string.Join(' ', nodes.Select(n => n.Value.ToString(CultureInfo.InvariantCulture)));

    private void SendToken(NodeId target, byte[] raw)
    {
        _savedToken = raw;
        _savedTarget = target;
        _fx.Add(new SendTo(target, raw));
    }

    private void ReleaseHeldToken()
    {
        _holding = false;
        _seqUnchanged = 0;
        Cancel(TotemTimer.TokenHold);
        if (_savedToken is not null) _fx.Add(new SendTo(_savedTarget, _savedToken));
    }

    // ------------------------------------------------------------------ ORF token

    private void OnOrfToken(OrfToken t)
    {
        if (State is not (MembershipState.Operational or MembershipState.Recovery)) return;   // discarded in GATHER/COMMIT
        if (t.RingId != _ringId) return;
        if ((long)t.TokenSeq <= _myTokenSeq) return;   // retransmitted duplicate
        if (State == MembershipState.Operational) MessagesFree(t.Aru);

        if (t.Seq == _lastTokenSeqSeen && State == MembershipState.Operational)
        {
            if (!_armed.Contains(TotemTimer.MergeDetect)) Arm(TotemTimer.MergeDetect, _o.Merge);
            _seqUnchanged++;
        }
        else
        {
            Cancel(TotemTimer.MergeDetect);
            Cancel(TotemTimer.TokenHold);
            _seqUnchanged = 0;
        }
        _lastTokenSeqSeen = t.Seq;
        _holdCancelSent = false;
        bool held = IsRep ? _seqUnchanged > _o.SeqnoUnchangedConst : _seqUnchanged >= _o.SeqnoUnchangedConst;

        var lastAru = _lastAru;
        _lastAru = t.Aru;
        int allowed = FccCalculate(t);
        int remcast = ServeRetransmits(t, ref allowed);
        if (held && (t.RetransmitList.Count > 0 || remcast > 0 || _packer.HasPending)) held = false;
        // Keep the sort window from overflowing while the aru lags.
        if (t.Aru != AruUndefined)
        {
            long inFlight = unchecked((int)(t.Seq - t.Aru));
            allowed = (int)Math.Max(0, Math.Min(allowed, SortWindow / 2 - inFlight));
        }
        int sent = SendNewFrames(t, allowed);
        UpdateAru();

        t.Fcc = (uint)Math.Max(0L, (long)t.Fcc + remcast + sent - _myTrc);
        t.Backlog = (uint)Math.Max(0L, (long)t.Backlog + _myCbl - _myPbl);
        _myTrc = remcast + sent;
        _myPbl = _myCbl;

        if (SeqNumber.Lt(_myAru, t.Aru) || t.AruAddr == _me || t.AruAddr.Value == 0)
        {
            t.Aru = _myAru;
            t.AruAddr = t.Aru == t.Seq ? new NodeId(0) : _me;
        }
        _aruCount = t.Aru == lastAru && t.AruAddr.Value != 0 ? _aruCount + 1 : 0;
        if (_aruCount > _o.FailReceiveConst && t.AruAddr == _me)
        {
            Log(LogLevel.Error, "FAILED TO RECEIVE");
            _failedToRecv = true;
            _failed.Add(_me);
            GatherEnter("failed to receive");
            return;
        }
        _myTokenSeq = t.TokenSeq;
        t.TokenSeq++;
        if (State == MembershipState.Recovery) RecoveryTokenStep(t);

        var target = NextAfter(State == MembershipState.Operational ? _memb : _newMemb, _me);
        var raw = TotemCodec.Encode(t);
        _savedToken = raw;
        _savedTarget = target;
        bool forward = !(IsRep && held);
        if (forward) _fx.Add(new SendTo(target, raw));
        _holding = !forward;
        if (State == MembershipState.Operational) DeliverFrames();
        Arm(TotemTimer.TokenLoss, _o.EffectiveToken);
        Arm(TotemTimer.TokenRetransmit, _o.TokenRetransmit);
        if (_holding) Arm(TotemTimer.TokenHold, _o.Hold);
    }

    private int FccCalculate(OrfToken t)
    {
        int allowed = Math.Min(_o.MaxMessages, _o.WindowSize - (int)Math.Min(t.Fcc, int.MaxValue));
        _myCbl = State switch
        {
            MembershipState.Operational => _packer.EstimatedFrames(_o.FramePayload),
            MembershipState.Recovery => _retransQueue.Count,
            _ => 0,
        };
        long d = (long)t.Backlog + _myCbl - _myPbl;
        if (d != 0)
        {
            long b = _o.WindowSize * (long)_myPbl / d;
            if (b > 0 && allowed > b) allowed = (int)b;
        }
        return Math.Max(0, allowed);
    }

    private int ServeRetransmits(OrfToken t, ref int allowed)
    {
        int remcast = 0;
        var rtr = t.RetransmitList;
        for (int i = 0; i < rtr.Count && allowed > 0;)
        {
            var r = rtr[i];
            if (r.RingId == _ringId && _queue.TryGetValue(r.Seq, out var f))
            {
                _fx.Add(new Broadcast(f.Raw));
                rtr.RemoveAt(i);
                remcast++;
                allowed--;
            }
            else i++;
        }
        if (remcast > 0 && _o.LogRetransmits) Log(LogLevel.Information, $"Retransmitted {remcast} frames.");
        // Ask for my own gaps once they have been missed on miss_count_const tokens.
        for (uint s = _myAru + 1; SeqNumber.Le(s, t.Seq) && rtr.Count < TotemCodec.MaxRetransmitEntries; s++)
        {
            if (_queue.ContainsKey(s)) continue;
            _missCount.TryGetValue(s, out var c);
            _missCount[s] = ++c;
            if (c >= _o.MissCountConst && !rtr.Contains(new RetransmitRequest(_ringId, s)))
                rtr.Add(new RetransmitRequest(_ringId, s));
        }
        return remcast;
    }

    private int SendNewFrames(OrfToken t, int allowed)
    {
        int sent = 0;
        while (sent < allowed)
        {
            byte[] payload;
            bool encapsulated;
            if (State == MembershipState.Operational && _packer.HasPending)
            {
                payload = _packer.NextFrame(_o.FramePayload);
                encapsulated = false;
            }
            else if (State == MembershipState.Recovery && _retransQueue.Count > 0)
            {
                payload = _retransQueue.Dequeue();
                encapsulated = true;
            }
            else break;
            t.Seq++;
            var raw = TotemCodec.EncodeMcast(_me, t.Seq, _ringId, encapsulated, payload);
            _fx.Add(new Broadcast(raw));
            _queue[t.Seq] = new StoredFrame(new McastMessage(_me, _me, t.Seq, _ringId, encapsulated, payload), raw);
            if (SeqNumber.Lt(_highSeqReceived, t.Seq)) _highSeqReceived = t.Seq;
            sent++;
        }
        return sent;
    }

    private void UpdateAru()
    {
        while (_queue.ContainsKey(_myAru + 1))
        {
            _myAru++;
            _missCount.Remove(_myAru);
        }
    }

    private void MessagesFree(uint tokenAru)
    {
        if (tokenAru == AruUndefined) return;
        var release = tokenAru;
        if (SeqNumber.Lt(_lastAru, release)) release = _lastAru;
        if (SeqNumber.Lt(_highDelivered, release)) release = _highDelivered;
        while (SeqNumber.Lt(_lastReleased, release))
        {
            _lastReleased++;
            _queue.Remove(_lastReleased);
        }
    }

    private void RecoveryTokenStep(OrfToken t)
    {
        if (_retransQueue.Count > 0)
        {
            if (!t.RetransFlag) { t.RetransFlag = true; _setRetransFlg = true; }
        }
        else if (t.RetransFlag && _setRetransFlg)
        {
            t.RetransFlag = false;
            _setRetransFlg = false;
        }
        _retransFlgCount = t.RetransFlag ? 0 : _retransFlgCount + 1;
        if (_retransFlgCount == 2) _installSeq = t.Seq;
        if (_retransFlgCount >= 2 && !_receivedFlg && SeqNumber.Le(_installSeq, _myAru)) _receivedFlg = true;
        if (_retransFlgCount >= 3 && t.Aru != AruUndefined && SeqNumber.Le(_installSeq, t.Aru)) _rotationCounter++;
        else _rotationCounter = 0;
        if (_rotationCounter == 2)
        {
            _retransFlgCount = 0;
            _rotationCounter = 0;
            OperationalEnter();
        }
    }

    // ------------------------------------------------------------------ mcast

    private void OnMcast(McastMessage m, byte[] raw)
    {
        if (m.RingId != _ringId)
        {
            ForeignMessage(m.SystemFrom, "foreign message");
            return;
        }
        if (!SeqNumber.Lt(_myAru, m.Seq) || _queue.ContainsKey(m.Seq)) return;   // duplicate or already released
        if (unchecked((int)(m.Seq - _myAru)) >= SortWindow) return;
        _queue[m.Seq] = new StoredFrame(m, raw);
        if (SeqNumber.Lt(_highSeqReceived, m.Seq)) _highSeqReceived = m.Seq;
        UpdateAru();
        if (State == MembershipState.Operational) DeliverFrames();
    }

    private void ForeignMessage(NodeId from, string what)
    {
        if (from.Value == 0 || from == _me) return;
        if (State == MembershipState.Operational)
        {
            _proc.Add(from);
            GatherEnter(what + " in operational state");
        }
        else if (State == MembershipState.Gather && !_proc.Contains(from))
        {
            _proc.Add(from);
            GatherEnter(what + " in gather state");
        }
    }

    private void OnMergeDetect(MergeDetectMessage d)
    {
        if (d.RingId == _ringId) return;
        ForeignMessage(d.SystemFrom, "merge");
    }

    private void OnHoldCancel(TokenHoldCancelMessage h)
    {
        if (h.RingId == _ringId && State == MembershipState.Operational && IsRep && _holding) ReleaseHeldToken();
    }

    private void DeliverFrames()
    {
        while (SeqNumber.Lt(_highDelivered, _myAru))
        {
            var seq = _highDelivered + 1;
            if (!_queue.TryGetValue(seq, out var f)) break;
            _highDelivered = seq;
            if (!f.Message.Encapsulated) DeliverFrame(f.Message);
        }
    }

    private void DeliverFrame(McastMessage m)
    {
        _deliveries.Clear();
        var err = _assembler.OnFrame(m.SystemFrom, m.Payload.Span, _deliveries);
        if (err is not null) Log(LogLevel.Warning, $"Message from node {m.SystemFrom} ignored: {err}");
        foreach (var d in _deliveries) _fx.Add(new Deliver(d));
    }

    // ------------------------------------------------------------------ membership

    private void GatherEnter(string reason)
    {
        _proc.Add(_me);
        if (_roundFromTokenLoss) FailUnreachable();
        if (!_failedToRecv) _failed.Remove(_me);
        State = MembershipState.Gather;
        SendJoin();
        Arm(TotemTimer.Join, _o.Join);
        Arm(TotemTimer.Consensus, _o.Consensus);
        Cancel(TotemTimer.TokenLoss);
        Cancel(TotemTimer.TokenRetransmit);
        Cancel(TotemTimer.MergeDetect);
        Cancel(TotemTimer.TokenHold);
        _holding = false;
        _consensus.Clear();
        _consensus.Add(_me);
        if (_o.LogDebug) Log(LogLevel.Debug, $"entering GATHER state from {reason}.");
    }

    private void SendJoin() =>
        _fx.Add(new Broadcast(TotemCodec.Encode(new JoinMessage(_me, _me, _ringId.Sequence, [.. _proc], [.. _failed]))));

    private void OnTokenLoss()
    {
        switch (State)
        {
            case MembershipState.Operational:
                Log(LogLevel.Information,
                    $"A processor failed, forming new configuration: token timed out ({_o.EffectiveToken}ms), waiting {_o.Consensus}ms for consensus.");
                _roundFromTokenLoss = true;
                GatherEnter("The token was lost in the OPERATIONAL state.");
                break;
            case MembershipState.Commit:
                _roundFromTokenLoss = true;
                GatherEnter("The token was lost in the COMMIT state.");
                break;
            case MembershipState.Recovery:
                _roundFromTokenLoss = true;
                GatherEnter("The token was lost in the RECOVERY state.");
                break;
            case MembershipState.Gather:
                ConsensusTimeout();
                break;
        }
    }

    private void ConsensusTimeout()
    {
        if (ConsensusAgreed())
        {
            _consensus.Clear();
            _consensus.Add(_me);
        }
        else
        {
            foreach (var n in ProcMinusFailed())
                if (!_consensus.Contains(n)) _failed.Add(n);
        }
        GatherEnter("The consensus timeout expired.");
    }

    private bool ConsensusAgreed()
    {
        var candidates = ProcMinusFailed();
        return candidates.Length > 0 && candidates.All(_consensus.Contains);
    }

    private void CheckConsensus()
    {
        if (State != MembershipState.Gather || !ConsensusAgreed()) return;
        if (_failedToRecv)
        {
            _failedToRecv = false;
            _proc.Clear();
            _proc.Add(_me);
            _failed.Clear();
            CreateCommitToken();
            return;
        }
        var candidates = ProcMinusFailed();
        if (candidates.Min() == _me) CreateCommitToken();
    }

    private void OnJoin(JoinMessage j)
    {
        var from = j.SystemFrom;
        if (from.Value == 0) return;
        // Checked before anything is recorded: a forged sequence kept in _joinRingSeen would make
        // the real sender's joins look old for good.
        if (!PlausibleRingSequence(j.RingSeq)) { Implausible(j.IsLeave ? "leave" : "join", from, j.RingSeq); return; }
        AdoptRingSequence(j.RingSeq);
        // Joins are resent every `join` ms; one from an older ring of its sender (overtaken on the
        // wire) describes a gather round the sender has already left. Acting on it (its failed
        // list may name us) would poison the current round.
        if (_joinRingSeen.TryGetValue(from, out var seenSeq) && j.RingSeq < seenSeq) return;
        // A join from a peer is proof that it reaches us: the transport's report that it is
        // unreachable is out of date (its pong is yet to come), and acting on it would fail the
        // peer again at every join it sends, re-forming the ring each time.
        if (!j.IsLeave) _unreachable.Remove(from);
        // Recorded no higher than what we adopted: a forged join far ahead must not make the real
        // sender's joins look old until its sequence crawls up there (+4 per ring).
        _joinRingSeen[from] = Math.Min(j.RingSeq, _tokenRingIdSeq);
        switch (State)
        {
            case MembershipState.Operational:
                if (j.FailedList.Contains(_me) && !j.IsLeave) return;
                if (_memb.Contains(from) && j.RingSeq < _ringId.Sequence) return;   // stale join
                // A member of our ring gathering with no one new: our ring failed (its token
                // was lost there first), the same round as our own token loss.
                if (!j.IsLeave && _memb.Contains(from) && j.ProcList.All(_memb.Contains)) _roundFromTokenLoss = true;
                JoinProcess(j);
                break;
            case MembershipState.Gather:
                JoinProcess(j);
                break;
            case MembershipState.Commit:
            case MembershipState.Recovery:
                if (_newMemb.Contains(from) && j.RingSeq >= _ringId.Sequence)
                {
                    var was = State;
                    JoinProcess(j);
                    if (State == was) GatherEnter(was == MembershipState.Commit ? "join during commit state" : "join during recovery");
                }
                break;
        }
    }

    private void JoinProcess(JoinMessage j)
    {
        var from = j.SystemFrom;
        bool gatherEntered = false;
        if (j.IsLeave && j.FailedList.Length > 0)
        {
            var leaver = j.FailedList[^1];
            _leftVoluntarily.Add(leaver);
            // The leaver has stopped for good: fail it at once instead of waiting for consensus.
            if (leaver != _me && _proc.Contains(leaver) && _failed.Add(leaver) && State == MembershipState.Gather)
            {
                GatherEnter("leave during gather");
                gatherEntered = true;
            }
        }
        bool procEqual = _proc.SetEquals(j.ProcList), failedEqual = _failed.SetEquals(j.FailedList);
        if (procEqual && failedEqual)
        {
            if (!j.IsLeave) _consensus.Add(from);
            if (State == MembershipState.Gather)
            {
                CheckConsensus();
                if (State != MembershipState.Gather) return;
            }
        }
        else if (j.ProcList.All(_proc.Contains) && j.FailedList.All(_failed.Contains))
        {
            // The sender knows less than we do.
        }
        else if (_failed.Contains(from))
        {
        }
        else
        {
            int before = _proc.Count + _failed.Count;
            _proc.UnionWith(j.ProcList);
            // Failed lists are merged from every sender that does not fail us, not only from
            // members of our old ring (corosync's rule). With the old-ring restriction, two
            // nodes from different old rings whose failed lists differ (e.g. one still carrying
            // entries from before a partition healed) can never agree: each waits a consensus
            // timeout, fails the other, and the splinters re-merge one gather round at a time
            // (seeds 2921, 2993, 3147 of the 2..16-node sweep exceeded the progress bound so).
            // A monotone union converges within one join exchange: the nodes left out (and
            // those they fail in turn) form their own ring and merge detection joins them next.
            if (j.FailedList.Contains(_me)) _failed.Add(from);
            else _failed.UnionWith(j.FailedList);
            _failed.Remove(_me);
            // Re-announce only when our sets grew: two nodes whose failed lists differ (and that
            // are not in each other's old ring) would otherwise answer each other's joins forever.
            if (_proc.Count + _failed.Count != before || State == MembershipState.Operational)
            {
                GatherEnter("merge during join");
                gatherEntered = true;
            }
        }
        if (!gatherEntered && State == MembershipState.Operational) GatherEnter("join during operational state");
    }

    /// <summary>
    /// Whether a peer's join sequence can be genuine: below the ceiling. No bound relative to our
    /// own sequence: a node that was down while the others moved on (by forged steps too) must
    /// still be able to catch up; the one-step adoption is what bounds a forged join's effect.
    /// </summary>
    private static bool PlausibleRingSequence(ulong seq) => seq <= RingSequenceCeiling;

    /// <summary>Raises the highest known sequence towards <paramref name="seq"/>, by at most one step.</summary>
    private void AdoptRingSequence(ulong seq)
    {
        if (seq > _tokenRingIdSeq)
            _tokenRingIdSeq += Math.Min(seq - _tokenRingIdSeq, MaxRingSequenceStep);
    }

    private void Implausible(string what, NodeId from, ulong seq)
    {
        if (_implausibleLog.ShouldLog(_now, out var suppressed))
            Log(LogLevel.Warning, $"Dropped a {what} from node {from} with ring sequence {seq:x}, implausibly far ahead of ours ({_tokenRingIdSeq:x}): forged or corrupt header.{LogThrottle.Suffix(suppressed)}");
    }

    private void CreateCommitToken()
    {
        var addr = ProcMinusFailed();
        Array.Sort(addr);
        var ct = new CommitToken(_me)
        {
            TokenSeq = 0,
            RingId = new RingId(_me, _tokenRingIdSeq + 4),
            MembIndex = 0,
            Addr = addr,
            Entries = new CommitMemberEntry[addr.Length],
        };
        CommitEnter(ct);
    }

    private void OnCommitToken(CommitToken ct)
    {
        int n = ct.Addr.Length;
        if (n == 0 || ct.Entries.Length != n || Array.IndexOf(ct.Addr, _me) < 0) return;
        // A genuine commit token is 4 above its representative's highest known sequence, which a
        // join moves by at most one step: further ahead, it only moves ours one step (so a real
        // gap closes over gather rounds) and is not installed.
        if (State == MembershipState.Gather && (ct.RingId.Sequence > RingSequenceCeiling + 4 || ct.RingId.Sequence > _tokenRingIdSeq + MaxRingSequenceStep + 4))
        {
            if (ct.RingId.Sequence <= RingSequenceCeiling + 4) AdoptRingSequence(ct.RingId.Sequence - 4);
            Implausible("commit token", ct.RingId.Representative, ct.RingId.Sequence);
            return;
        }
        switch (State)
        {
            case MembershipState.Gather:
            {
                var sub = ProcMinusFailed();
                Array.Sort(sub);
                if (ct.MembIndex < n && ct.Addr[ct.MembIndex] == _me && ct.Addr.AsSpan().SequenceEqual(sub) &&
                    ct.RingId.Sequence > _ringId.Sequence)
                    CommitEnter(ct);
                break;
            }
            case MembershipState.Commit:
                if (ct.RingId == _ringId && ct.MembIndex == n) RecoveryEnter(ct);
                break;
            case MembershipState.Recovery:
                if (ct.RingId == _ringId && ct.MembIndex == n && IsRep && !_originatedOrf) SendInitialOrfToken();
                break;
        }
    }

    private void CommitEnter(CommitToken ct)
    {
        if (!_oldSaved)
        {
            _oldSaved = true;
            _oldQueue = _queue;
            _oldAru = _myAru;
            _oldHighSeq = _highSeqReceived;
            _oldHighDelivered = _highDelivered;
        }
        _newMemb = ct.Addr;
        int idx = ct.MembIndex;
        ct.Entries[idx] = new CommitMemberEntry(_oldRingId, _oldAru, _oldHighDelivered, _oldAru == _oldHighSeq);
        uint maxAru = 0;
        bool any = false;
        for (int i = 0; i <= idx; i++)
        {
            if (ct.Entries[i].RingId != _oldRingId) continue;
            if (!any || SeqNumber.Lt(maxAru, ct.Entries[i].Aru)) maxAru = ct.Entries[i].Aru;
            any = true;
        }
        for (int i = 0; i <= idx; i++)
            if (ct.Entries[i].RingId == _oldRingId && ct.Entries[i].Aru != maxAru)
                ct.Entries[i] = ct.Entries[i] with { ReceivedFlag = false };
        ct.MembIndex = idx + 1;
        var target = ct.Addr[ct.MembIndex % ct.Addr.Length];

        Cancel(TotemTimer.Join);
        Cancel(TotemTimer.Consensus);
        Cancel(TotemTimer.MergeDetect);
        Cancel(TotemTimer.TokenHold);
        _ringId = ct.RingId;
        if (_ringId.Sequence > _tokenRingIdSeq) _tokenRingIdSeq = _ringId.Sequence;
        _fx.Add(new PersistRingSequence(_ringId.Sequence));
        State = MembershipState.Commit;
        // The failed list has done its job (excluding those nodes from this ring). Should this
        // ring never become operational everywhere (a member that installed it already gathers
        // again on foreign traffic), stale failed entries would otherwise keep excluding live
        // nodes round after round.
        _failed.Clear();
        ResetRingCounters();

        ct.TokenSeq++;
        SendToken(target, TotemCodec.Encode(ct with { HeaderNode = _me }));
        Arm(TotemTimer.TokenLoss, _o.EffectiveToken);
        Arm(TotemTimer.TokenRetransmit, _o.TokenRetransmit);
    }

    private void ResetRingCounters()
    {
        _queue = [];
        _myAru = _highSeqReceived = _highDelivered = _lastAru = _lastReleased = 0;
        _lastTokenSeqSeen = 0;
        _missCount.Clear();
        _myTrc = _myPbl = _myCbl = 0;
        _seqUnchanged = _aruCount = 0;
        _holding = false;
        _myTokenSeq = -1;
    }

    private void RecoveryEnter(CommitToken ct)
    {
        State = MembershipState.Recovery;
        _myTokenSeq = -1;
        _originatedOrf = false;
        var n = ct.Addr.Length;
        var trans = new List<NodeId>();
        bool needRecovery = false;
        uint low = 0;
        bool lowSet = false;
        for (int i = 0; i < n; i++)
        {
            var e = ct.Entries[i];
            if (e.RingId != _oldRingId || !_memb.Contains(ct.Addr[i])) continue;
            trans.Add(ct.Addr[i]);
            if (!e.ReceivedFlag) needRecovery = true;
            if (!lowSet || SeqNumber.Lt(e.Aru, low)) { low = e.Aru; lowSet = true; }
        }
        _trans = [.. trans];
        _retransQueue.Clear();
        if (needRecovery)
        {
            for (uint s = low + 1; SeqNumber.Le(s, _oldHighSeq); s++)
                if (_oldQueue.TryGetValue(s, out var f)) _retransQueue.Enqueue(f.Raw);
        }
        _queue = [];
        _myAru = _highSeqReceived = _highDelivered = _lastAru = _lastReleased = 0;
        _missCount.Clear();
        _retransFlgCount = _rotationCounter = 0;
        _installSeq = 0;
        _receivedFlg = !needRecovery;
        _setRetransFlg = false;

        ct.TokenSeq++;
        SendToken(NextAfter(ct.Addr, _me), TotemCodec.Encode(ct with { HeaderNode = _me }));
        Arm(TotemTimer.TokenLoss, _o.EffectiveToken);
        Arm(TotemTimer.TokenRetransmit, _o.TokenRetransmit);
    }

    private void SendInitialOrfToken()
    {
        _originatedOrf = true;
        var t = new OrfToken(_me)
        {
            Seq = 0,
            TokenSeq = 0,
            Aru = AruUndefined,
            AruAddr = _me,
            RingId = _ringId,
            RetransFlag = _retransQueue.Count > 0,
        };
        if (t.RetransFlag) _setRetransFlg = true;
        SendToken(NextAfter(_newMemb, _me), TotemCodec.Encode(t));
        Arm(TotemTimer.TokenLoss, _o.EffectiveToken);
        Arm(TotemTimer.TokenRetransmit, _o.TokenRetransmit);
    }

    private void OperationalEnter()
    {
        // Old-ring frames re-sent during recovery (encapsulated) fill our gaps in the old ring.
        uint recoveredUpTo = 0;
        for (uint s = 1; _queue.TryGetValue(s, out var f) && f.Message.Encapsulated; s++)
        {
            recoveredUpTo = s;
            if (!TotemCodec.TryDecode(f.Message.Payload, out var inner, out _) || inner is not McastMessage old) continue;
            if (old.RingId != _oldRingId || old.Encapsulated) continue;
            if (!SeqNumber.Lt(_oldHighDelivered, old.Seq) || _oldQueue.ContainsKey(old.Seq)) continue;
            _oldQueue[old.Seq] = new StoredFrame(old, f.Message.Payload.ToArray());
            if (SeqNumber.Lt(_oldHighSeq, old.Seq)) _oldHighSeq = old.Seq;
        }

        // Old-ring frames without gaps are still delivered in the old regular configuration.
        var next = _oldHighDelivered + 1;
        while (_oldQueue.TryGetValue(next, out var f))
        {
            if (!f.Message.Encapsulated) DeliverFrame(f.Message);
            _oldHighDelivered = next;
            next++;
        }

        var transSet = _trans.ToHashSet();
        var left = _memb.Where(n => !transSet.Contains(n)).Order().ToImmutableArray();
        var joined = _newMemb.Where(n => !transSet.Contains(n)).Order().ToImmutableArray();
        _fx.Add(new DeliverConfiguration(new ConfigurationChange(
            ConfigurationKind.Transitional, _ringId, [.. _trans.Order()], left, [])));

        // Then the rest, skipping gaps, from originators that move on with us (EVS).
        for (uint s = next; SeqNumber.Le(s, _oldHighSeq); s++)
        {
            if (_oldQueue.TryGetValue(s, out var f) && !f.Message.Encapsulated && transSet.Contains(f.Message.SystemFrom))
                DeliverFrame(f.Message);
        }

        // Partial messages never span configurations: receivers drop them, senders restart them.
        _assembler.Reset();
        _packer.RestartPartial();

        _memb = _newMemb;
        _fx.Add(new DeliverConfiguration(new ConfigurationChange(
            ConfigurationKind.Regular, _ringId, [.. _memb], [], joined)));

        _highDelivered = recoveredUpTo;
        _lastReleased = 0;
        _oldQueue = [];
        _oldSaved = false;
        _retransQueue.Clear();
        _proc.Clear();
        _proc.UnionWith(_memb);
        _failed.Clear();
        _failedToRecv = false;
        _oldRingId = _ringId;
        State = MembershipState.Operational;
        _roundFromTokenLoss = false;
        _seqUnchanged = 0;

        var text = $"A new membership ({_ringId}) was formed. Members";
        if (joined.Length > 0) text += " joined: " + List(joined);
        if (left.Length > 0) text += " left: " + List(left);
        Log(LogLevel.Information, text);
        var failedNodes = left.Where(n => !_leftVoluntarily.Contains(n)).ToArray();
        if (failedNodes.Length > 0) Log(LogLevel.Information, "Failed to receive the leave message. failed: " + List(failedNodes));
        _leftVoluntarily.Clear();
    }
}
