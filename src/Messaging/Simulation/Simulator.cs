using System.Collections.Immutable;
using System.Globalization;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;

namespace Cluster.Messaging.Simulation;

/// <summary>What to simulate: N nodes, one seed, one profile; times are virtual milliseconds.</summary>
public sealed record SimConfig(int Nodes, ulong Seed, SimProfile Profile)
{
    /// <summary>Length of the fault phase; every fault heals at its end.</summary>
    public int FaultPhaseMs { get; init; } = 1500;
    /// <summary>Safety cap on processed events (0 = none); a run that hits it skips the progress checks.</summary>
    public long MaxSteps { get; init; }
    public int Token { get; init; } = 500;
    public int TokenCoefficient { get; init; } = 50;
    /// <summary>Mean interval between two application messages of the whole cluster (each node sends at random times).</summary>
    public double MeanClusterSubmitIntervalMs { get; init; } = 15;
    /// <summary>One-way network delay before jitter, in microseconds.</summary>
    public int BaseDelayUs { get; init; } = 1000;
    public int HistoryLength { get; init; } = 40;

    /// <summary>
    /// The configuration a sweep uses for <paramref name="seed"/>: the node count cycles through
    /// min..max with the seed, the profile with seed / (max - min + 1).
    /// </summary>
    public static SimConfig ForSeed(ulong seed, int minNodes, int maxNodes, IReadOnlyList<SimProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        int span = maxNodes - minNodes + 1;
        int n = minNodes + (int)(seed % (ulong)span);
        var profile = profiles[(int)(seed / (ulong)span % (ulong)profiles.Count)];
        return new SimConfig(n, seed, profile);
    }
    /// <summary>Also record mcast frames in the history (off: they crowd out membership traffic).</summary>
    public bool TraceMcast { get; init; }
}

/// <summary>
/// Deterministic simulation of a Totem cluster: a virtual clock (priority queue of
/// (time, seq, event)), an in-memory network with per-link loss, duplication, jitter (hence
/// reordering), asymmetric loss and partitions, node crash/leave and restart with the persisted
/// ring sequence kept, application load, and the invariant checker. Single threaded; one seed
/// fully determines a run.
/// </summary>
public sealed class Simulator
{
    private enum Kind : byte { Frame, Timer, Submit, Crash, Leave, Restart, Partition, Heal, ProgressCheck, Start, Probe, DrainCheck }

    private readonly record struct Event(Kind Kind, int Node, int Other, long Gen, byte[]? Frame);

    private sealed class SimNode(NodeId id)
    {
        public readonly NodeId Id = id;
        public TotemNode? Core;
        public int Incarnation;
        public ulong PersistedSeq;
        public readonly long[] TimerGen = new long[Enum.GetValues<TotemTimer>().Length];
        public long NextCounter = 1;
        public bool Up => Core is not null;
    }

    private readonly SimConfig _c;
    private readonly SplitMix64 _rng;
    private readonly SimNode[] _nodes;
    private readonly ImmutableArray<NodeId> _ids;
    private readonly TotemOptions[] _options;
    private readonly PriorityQueue<Event, (long, long)> _queue = new();
    private readonly InvariantChecker _checker = new();
    /// <summary>History entry: either a text or a frame (formatted only if the run fails).</summary>
    private readonly record struct HistoryEntry(long At, string? Text, int From, int To, byte[]? Frame);

    private readonly HistoryEntry[] _history;
    private long _historyCount;
    private long _now;      // microseconds
    private long _seq;
    private long _events;

    // Network state.
    private readonly double[,] _loss;
    private int[] _group;
    private double _dup, _jitterUs;
    private bool _singleDropPending;
    private long _singleDropAfter;

    private readonly long _meanSubmitUs;
    private readonly long _healAt, _progressDeadline;
    private long _endAt, _loadStopAt, _formedAt = -1;
    private readonly List<long> _probes = [];
    private int _changesAtSettle = -1;

    public Simulator(SimConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Nodes is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(config), $"nodes must be 1..64, got {config.Nodes}");
        _c = config;
        _rng = new SplitMix64(SplitMix64.Mix(config.Seed, (ulong)config.Nodes));
        _ids = [.. Enumerable.Range(1, config.Nodes).Select(i => new NodeId((uint)i))];
        _nodes = [.. _ids.Select(id => new SimNode(id))];
        _options = [.. _ids.Select(id => new TotemOptions
        {
            LocalNode = id, Nodes = _ids, Token = config.Token, TokenCoefficient = config.TokenCoefficient,
        })];
        _history = new HistoryEntry[Math.Max(1, config.HistoryLength)];
        _loss = new double[config.Nodes, config.Nodes];
        _group = new int[config.Nodes];

        var o = _options[0];
        _healAt = Ms(config.FaultPhaseMs);
        // Bound for one ring with every live node after the last fault heals: token loss, then up to
        // two gather rounds each bounded by consensus, plus merge detection and a few rotations.
        _progressDeadline = _healAt + Ms(ProgressBoundMs(o));
        _loadStopAt = long.MaxValue;
        _endAt = long.MaxValue;
        _meanSubmitUs = Ms(config.MeanClusterSubmitIntervalMs * config.Nodes);
    }

    /// <summary>
    /// The progress bound (ms) after the last fault heals, from the effective timeouts: token loss,
    /// then up to four gather rounds ended by the consensus timeout (after partitions, groups that
    /// failed each other need extra rounds before their failed lists agree), merge detection,
    /// token hold and the join rounds of commit and recovery.
    /// </summary>
    public static int ProgressBoundMs(TotemOptions o) =>
        o.EffectiveToken + 4 * o.Consensus + 4 * o.Merge + 2 * o.Hold + 20 * o.Join + 500;

    private static long Ms(double ms) => (long)(ms * 1000);

    public SimResult Run()
    {
        var p = _c.Profile;
        _dup = p.Duplication;
        _jitterUs = p.JitterMs * 1000;
        for (int a = 0; a < _c.Nodes; a++)
            for (int b = 0; b < _c.Nodes; b++)
                _loss[a, b] = a == b ? 0 : p.Loss;
        for (int i = 0; i < p.AsymmetricLinks && _c.Nodes > 1; i++)
        {
            int a = _rng.Range(0, _c.Nodes), b = _rng.Range(0, _c.Nodes);
            if (a != b) _loss[a, b] = p.AsymmetricLoss;
        }
        for (int i = 0; i < _c.Nodes; i++)
        {
            Schedule(_rng.Range(0, Ms(50)), new Event(Kind.Start, i, 0, 0, null));
            Schedule(Ms(100) + _rng.Range(0, _meanSubmitUs), new Event(Kind.Submit, i, 0, 0, null));
        }
        ScheduleFaults();
        Schedule(_healAt, new Event(Kind.Heal, 0, 0, 0, null));

        bool capped = false;
        while (_queue.TryDequeue(out var ev, out var at))
        {
            if (at.Item1 > _endAt) break;
            if (_c.MaxSteps > 0 && _events >= _c.MaxSteps) { capped = true; break; }
            _now = at.Item1;
            _events++;
            Handle(ev);
            if (_checker.Violation is not null) break;
        }
        if (_checker.Violation is null)
        {
            var live = _nodes.Where(n => n.Up).Select(n => n.Id.Value).ToArray();
            _checker.Finish(live, expectSelfDelivery: !capped);
            if (_checker.Violation is null && !capped)
            {
                foreach (var n in _nodes.Where(n => n.Up))
                    foreach (var probe in _probes)
                        if (!_checker.HasDelivered(n.Id.Value, probe))
                        {
                            Violation($"progress: node {n.Id} never delivered probe {probe >> 40}:{probe & 0xFFFFFFFFFF} sent after the ring re-formed");
                            break;
                        }
                if (_checker.Violation is null && _changesAtSettle >= 0 && _checker.RegularChanges != _changesAtSettle)
                    Violation($"liveness under single-packet loss: {_checker.RegularChanges - _changesAtSettle} configuration changes after the ring settled on a loss-free network with one dropped packet");
            }
        }
        return new SimResult(_c.Seed, _c.Nodes, _c.Profile.Name, _checker.Violation, History(), _checker.Delivered,
            _checker.Configurations, _events, TimeSpan.FromMilliseconds(_now / 1000.0));
    }

    private void Violation(string text) => _checker.Report(text);

    private void ScheduleFaults()
    {
        var p = _c.Profile;
        long start = Ms(300), end = _healAt;
        for (int i = 0; i < p.PartitionEpisodes && _c.Nodes > 1; i++)
        {
            long t1 = _rng.Range(start, end), t2 = _rng.Range(t1, end + 1);
            Schedule(t1, new Event(Kind.Partition, _rng.Range(2, 4), 0, 0, null));
            Schedule(t2, new Event(Kind.Partition, 1, 0, 0, null));
        }
        for (int i = 0; i < p.Crashes && _c.Nodes > 1; i++)
        {
            int node = _rng.Range(0, _c.Nodes);
            long t1 = _rng.Range(start, end), t2 = _rng.Range(t1 + Ms(1), end + 1);
            Schedule(t1, new Event(_rng.Chance(p.LeaveShare) ? Kind.Leave : Kind.Crash, node, 0, 0, null));
            Schedule(t2, new Event(Kind.Restart, node, 0, 0, null));
        }
    }

    private void Schedule(long at, Event ev) => _queue.Enqueue(ev, (at, _seq++));

    private void Trace(string text) => _history[_historyCount++ % _history.Length] = new HistoryEntry(_now, text, 0, 0, null);

    private void TraceFrame(int from, int to, byte[] frame) =>
        _history[_historyCount++ % _history.Length] = new HistoryEntry(_now, null, from, to, frame);

    private List<string> History()
    {
        var list = new List<string>();
        long from = Math.Max(0, _historyCount - _history.Length);
        for (long i = from; i < _historyCount; i++)
        {
            var h = _history[i % _history.Length];
            list.Add(h.Text ?? $"{(h.At / 1000.0).ToString("0.000", CultureInfo.InvariantCulture)}ms {_ids[h.From]}->{_ids[h.To]} {Describe(h.Frame!)}");
        }
        return list;
    }

    private static string Describe(byte[] frame)
    {
        if (!TotemCodec.TryDecode(frame, out var m, out var error)) return "invalid frame: " + error;
        return m switch
        {
            OrfToken t => $"token ring={t.RingId} seq={t.Seq} token_seq={t.TokenSeq} aru={t.Aru:x} aru_addr={t.AruAddr} fcc={t.Fcc} backlog={t.Backlog} retrans_flg={(t.RetransFlag ? 1 : 0)} rtr=[{string.Join(' ', t.RetransmitList.Select(r => r.Seq))}]",
            McastMessage mc => $"mcast ring={mc.RingId} seq={mc.Seq} from={mc.SystemFrom}{(mc.Encapsulated ? " encapsulated" : "")} {mc.Payload.Length}B",
            JoinMessage j => $"{(j.IsLeave ? "leave" : "join")} from={j.SystemFrom} ring_seq={j.RingSeq:x} proc=[{string.Join(' ', j.ProcList)}] failed=[{string.Join(' ', j.FailedList)}]",
            CommitToken c => $"commit ring={c.RingId} index={c.MembIndex} token_seq={c.TokenSeq} addr=[{string.Join(' ', c.Addr)}] entries=[{string.Join(' ', c.Entries.Select(e => $"{e.RingId}/aru={e.Aru}/hd={e.HighDelivered}/rf={(e.ReceivedFlag ? 1 : 0)}"))}]",
            MergeDetectMessage d => $"merge-detect from={d.SystemFrom} ring={d.RingId}",
            TokenHoldCancelMessage h => $"hold-cancel ring={h.RingId}",
            _ => m!.Type.ToString(),
        };
    }

    private string Now => (_now / 1000.0).ToString("0.000", CultureInfo.InvariantCulture) + "ms";

    private void Handle(Event ev)
    {
        switch (ev.Kind)
        {
            case Kind.Start:
            case Kind.Restart:
            {
                var n = _nodes[ev.Node];
                if (n.Up) return;
                n.Incarnation++;
                n.Core = new TotemNode(_options[ev.Node]);
                Trace($"{Now} node {n.Id} starts (persisted ring seq {n.PersistedSeq:x})");
                Apply(n, n.Core.Start(n.PersistedSeq, Time));
                break;
            }
            case Kind.Crash:
            case Kind.Leave:
            {
                var n = _nodes[ev.Node];
                if (!n.Up) return;
                if (ev.Kind == Kind.Leave)
                {
                    Trace($"{Now} node {n.Id} leaves");
                    Apply(n, n.Core!.Leave(Time));
                }
                else Trace($"{Now} node {n.Id} crashes");
                n.Core = null;
                n.Incarnation++;
                _checker.OnStopped(n.Id.Value);
                break;
            }
            case Kind.Frame:
            {
                var n = _nodes[ev.Other];
                if (!n.Up) return;
                if (ev.Frame!.Length > 3 && (ev.Frame[3] != (byte)TotemMessageType.Mcast || _c.TraceMcast)) TraceFrame(ev.Node, ev.Other, ev.Frame);
                Apply(n, n.Core!.OnFrame(ev.Frame, Time));
                break;
            }
            case Kind.Timer:
            {
                var n = _nodes[ev.Node];
                if (!n.Up || n.Incarnation != ev.Other || n.TimerGen[(int)(ev.Gen >> 32)] != (ev.Gen & 0xFFFFFFFF)) return;
                var timer = (TotemTimer)((int)(ev.Gen >> 32));
                if (timer != TotemTimer.TokenRetransmit && timer != TotemTimer.Join) Trace($"{Now} node {n.Id} timer {timer}");
                Apply(n, n.Core!.OnTimer(timer, Time));
                break;
            }
            case Kind.Submit:
            {
                var n = _nodes[ev.Node];
                if (_now < _loadStopAt)
                    Schedule(_now + (long)(-Math.Log(1 - _rng.NextDouble()) * _meanSubmitUs) + 1, ev);
                if (!n.Up) return;
                Submit(n, RandomSize());
                break;
            }
            case Kind.Probe:
            {
                var n = _nodes[ev.Node];
                if (!n.Up) return;
                var id = Submit(n, 100);
                if (id is long probe) _probes.Add(probe);
                break;
            }
            case Kind.Partition:
            {
                int groups = ev.Node;
                _group = new int[_c.Nodes];
                if (groups > 1)
                    for (int i = 0; i < _c.Nodes; i++) _group[i] = _rng.Range(0, groups);
                Trace($"{Now} network {(groups > 1 ? "partitioned: " + string.Join(' ', _group) : "healed")}");
                break;
            }
            case Kind.Heal:
            {
                _group = new int[_c.Nodes];
                Array.Clear(_loss);
                _dup = 0;
                Trace($"{Now} all faults healed");
                foreach (var n in _nodes)
                    if (!n.Up) Schedule(_now, new Event(Kind.Restart, Array.IndexOf(_nodes, n), 0, 0, null));
                Schedule(_now + Ms(PollMs), new Event(Kind.ProgressCheck, 0, 0, 0, null));
                break;
            }
            case Kind.DrainCheck:
            {
                // Large messages can keep a node's queue busy for a while: wait (bounded) until
                // every live node has sent everything, then long enough for it to be delivered.
                if (_nodes.All(n => !n.Up || n.Core!.PendingBytes == 0))
                    _endAt = _now + Ms(1000 + 2 * _options[0].EffectiveToken);
                else if (_now - _loadStopAt > Ms(MaxDrainMs))
                    Violation($"progress: send queues still hold {_nodes.Where(n => n.Up).Sum(n => n.Core!.PendingBytes)} bytes {MaxDrainMs} ms after the load stopped");
                else Schedule(_now + Ms(500), new Event(Kind.DrainCheck, 0, 0, 0, null));
                break;
            }
            case Kind.ProgressCheck:
            {
                if (_formedAt >= 0) break;
                if (!RingIsWhole())
                {
                    if (_now + Ms(PollMs) > _progressDeadline) CheckProgress();
                    else Schedule(_now + Ms(PollMs), new Event(Kind.ProgressCheck, 0, 0, 0, null));
                    break;
                }
                // One ring with every live node: messages must flow again, and on a loss-free
                // network one dropped packet must not change the membership.
                _formedAt = _now;
                Trace($"{Now} one ring with every live node: {_nodes.First(n => n.Up).Core!.RingId}");
                var o = _options[0];
                if (_c.Profile.SingleDrop)
                {
                    _changesAtSettle = _checker.RegularChanges;
                    _singleDropAfter = _now + _rng.Range(0, Ms(300));
                    _singleDropPending = true;
                }
                for (int i = 0; i < _nodes.Length; i++) Schedule(_now + Ms(300) + _rng.Range(0, Ms(10)), new Event(Kind.Probe, i, 0, 0, null));
                _loadStopAt = _now + Ms(500);
                Schedule(_loadStopAt + Ms(1000), new Event(Kind.DrainCheck, 0, 0, 0, null));
                break;
            }
        }
    }

    private TimeSpan Time => TimeSpan.FromTicks(_now * 10);

    private long? Submit(SimNode n, int size)
    {
        var counter = n.NextCounter++;
        var payload = SimPayload.Create(n.Id.Value, counter, size);
        var fx = n.Core!.Submit(payload, Time, out var accepted);
        if (accepted) _checker.OnSubmitted(n.Id.Value, counter, size);
        Apply(n, fx);
        return accepted && size > 0 ? InvariantChecker.Id(n.Id.Value, counter) : null;
    }

    private int RandomSize()
    {
        var r = _rng.NextDouble();
        if (r < 0.05) return 0;
        if (r < 0.65) return _rng.Range(SimPayload.TagSize, 200);
        if (r < 0.90) return _rng.Range(200, 3000);
        if (r < 0.995) return _rng.Range(3000, 40_000);
        return _rng.Range(100_000, 1024 * 1024 + 1);
    }

    private const int PollMs = 20;
    private const int MaxDrainMs = 30_000;

    private bool RingIsWhole()
    {
        var live = _nodes.Where(n => n.Up).ToArray();
        if (live.Length == 0) return true;
        var expected = live.Select(n => n.Id).ToArray();
        var ring = live[0].Core!.RingId;
        return live.All(n => n.Core!.State == MembershipState.Operational && n.Core.RingId == ring && n.Core.Members.SequenceEqual(expected));
    }

    private void CheckProgress()
    {
        var live = _nodes.Where(n => n.Up).ToArray();
        if (live.Length == 0) return;
        var expected = live.Select(n => n.Id).ToArray();
        foreach (var n in live)
        {
            var core = n.Core!;
            if (core.State != MembershipState.Operational || !core.Members.SequenceEqual(expected) || core.RingId != live[0].Core!.RingId)
            {
                Violation($"progress: {ProgressBoundMs(_options[0])} ms (the bound) after the last fault healed, node {n.Id} is {core.State} in ring {core.RingId} with members [{string.Join(' ', core.Members)}], expected one ring of [{string.Join(' ', expected)}]" +
                          $" (node {live[0].Id}: {live[0].Core!.State} {live[0].Core!.RingId})");
                return;
            }
        }
        Trace($"{Now} progress check passed: ring {live[0].Core!.RingId}");
    }

    private void Apply(SimNode n, IReadOnlyList<TotemEffect> effects)
    {
        int from = (int)n.Id.Value - 1;
        foreach (var e in effects)
        {
            switch (e)
            {
                case SendTo s:
                    Send(from, (int)s.Target.Value - 1, s.Frame);
                    break;
                case Broadcast b:
                    for (int to = 0; to < _nodes.Length; to++) Send(from, to, b.Frame);
                    break;
                case ArmTimer a:
                {
                    int t = (int)a.Timer;
                    var gen = ++n.TimerGen[t];
                    Schedule(_now + (long)(a.After.TotalMilliseconds * 1000), new Event(Kind.Timer, from, n.Incarnation, ((long)t << 32) | gen, null));
                    break;
                }
                case CancelTimer c:
                    n.TimerGen[(int)c.Timer]++;
                    break;
                case Deliver d:
                    _checker.OnDeliver(n.Id.Value, d.Delivery);
                    break;
                case DeliverConfiguration dc:
                    Trace($"{Now} node {n.Id} {dc.Change.Kind} {dc.Change.RingId} [{string.Join(' ', dc.Change.Members)}]");
                    _checker.OnConfiguration(n.Id.Value, dc.Change);
                    break;
                case PersistRingSequence p:
                    if (p.Sequence < n.PersistedSeq)
                        Violation($"ring sequence: node {n.Id} persisted {p.Sequence:x} after {n.PersistedSeq:x}");
                    n.PersistedSeq = p.Sequence;
                    break;
                case LogLine:
                    break;
            }
        }
    }

    private void Send(int from, int to, ReadOnlyMemory<byte> frame)
    {
        if (to < 0 || to >= _nodes.Length) return;
        var bytes = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frame, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
            ? seg.Array : frame.ToArray();
        if (from == to)
        {
            Schedule(_now + _c.BaseDelayUs / 4, new Event(Kind.Frame, from, to, 0, bytes));
            return;
        }
        if (_group[from] != _group[to]) return;
        if (_singleDropPending && _now >= _singleDropAfter)
        {
            _singleDropPending = false;
            Trace($"{Now} single drop {_ids[from]}->{_ids[to]} {(TotemMessageType)bytes[3]}");
            return;
        }
        if (_c.Profile.ForgedHeaders > 0 && _now < _healAt && _rng.Chance(_c.Profile.ForgedHeaders) && Forge(bytes) is { } forged)
        {
            Trace($"{Now} forged {Describe(forged)} spoofed {_ids[from]}->{_ids[to]}");
            Schedule(_now + Delay(), new Event(Kind.Frame, from, to, 0, forged));
        }
        if (_loss[from, to] > 0 && _rng.Chance(_loss[from, to])) return;
        Schedule(_now + Delay(), new Event(Kind.Frame, from, to, 0, bytes));
        if (_dup > 0 && _rng.Chance(_dup)) Schedule(_now + Delay(), new Event(Kind.Frame, from, to, 0, bytes));
    }

    /// <summary>
    /// A copy of a join or commit token with a forged ring sequence (null for other frames).
    /// Commit tokens get only implausible values: a plausible forged one is a valid token that
    /// no protocol without authentication can tell apart.
    /// </summary>
    private byte[]? Forge(byte[] frame)
    {
        if (!TotemCodec.TryDecode(frame, out var m, out _)) return null;
        switch (m)
        {
            case JoinMessage j:
                return TotemCodec.Encode(j with { RingSeq = ForgedSequence(j.RingSeq, plausibleAllowed: true) });
            case CommitToken c:
                c.RingId = new RingId(c.RingId.Representative, ForgedSequence(c.RingId.Sequence, plausibleAllowed: false));
                return TotemCodec.Encode(c);
            default:
                return null;
        }
    }

    private ulong ForgedSequence(ulong genuine, bool plausibleAllowed) => _rng.Range(0, plausibleAllowed ? 6 : 5) switch
    {
        0 => ulong.MaxValue,
        1 => ulong.MaxValue - 3,
        2 => TotemNode.RingSequenceCeiling + 4,
        3 => genuine + (1UL << 32) + 4,
        4 => genuine | (1UL << 63),
        _ => genuine + 4 * (ulong)_rng.Range(1, 1000),
    };

    private long Delay() => _c.BaseDelayUs + (long)(_rng.NextDouble() * _jitterUs);
}
