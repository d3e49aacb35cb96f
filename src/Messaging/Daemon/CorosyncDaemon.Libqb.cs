using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using Cluster.Messaging.Cmap;
using Cluster.Messaging.Cpg;
using Cluster.Messaging.Ipc;
using Cluster.Messaging.Ipc.Libqb;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;
using static Cluster.Messaging.Ipc.Libqb.QbFields;

namespace Cluster.Messaging.Daemon;

/// <summary>
/// The daemon's second client entry point: corosync's own libqb protocol, so the real client
/// libraries (corosync-* tools, Pacemaker) talk to the same services as our tools. Requests are
/// decoded here, run against the same cmap store / CPG / votequorum / cfg state on the daemon's
/// loop, and answered with corosync's byte layouts and cs_error_t codes. A request that is too
/// short or unknown gets CS_ERR_INVALID_PARAM and changes nothing.
/// </summary>
public sealed partial class CorosyncDaemon
{
    /// <summary>What one libqb connection has open: cmap map/iterators/tracks, its CPG join, trackers.</summary>
    private sealed class QbClientState(ServiceId service, PeerCredentials peer)
    {
        public ServiceId Service { get; } = service;
        public PeerCredentials Peer { get; } = peer;
        public int CmapMap { get; set; }
        public Dictionary<ulong, Queue<string>> CmapIterators { get; } = [];
        public Dictionary<long, (ulong Instance, int Flags)> CmapTracks { get; } = [];
        public Dictionary<ulong, Queue<(string Group, uint Node, uint Pid)>> CpgIterators { get; } = [];
        public (string Group, uint Pid)? CpgJoin { get; set; }
        public ulong NextHandle { get; set; } = 1;
        public uint QuorumModel { get; set; }
        public bool Tracking { get; set; }
        public ulong VotequorumContext { get; set; }
        public ulong VotequorumTrackFlags { get; set; }
        public bool CfgTracking { get; set; }
    }

    /// <summary>A `corosync-cfgtool -H` style request waiting for the cfg trackers' answers.</summary>
    private sealed class ShutdownVote(ClientId caller, uint flags, HashSet<ClientId> pending)
    {
        public ClientId Caller { get; } = caller;
        public uint Flags { get; } = flags;
        public HashSet<ClientId> Pending { get; } = pending;
        public bool Refused { get; set; }
    }

    /// <summary>libqb clients get ids from here up; our own socket's ids count from 1.</summary>
    private const long LibqbFirstClientId = 1L << 40;

    /// <summary>No client library asks for more than its 1 MiB message buffer.</summary>
    private const ulong MaxGetLength = 1UL << 20;

    private readonly Dictionary<ClientId, QbClientState> _qbClients = [];
    private LibqbServer? _libqb;
    private ShutdownVote? _shutdownVote;
    private bool _readyForClients;

    /// <summary>
    /// corosync's <c>system.qb_ipc_type</c>: native/shm (default) or socket; "none" (our extension)
    /// serves no libqb. With HA_ROOT (several nodes on one host) it is off unless asked for: the
    /// abstract socket names are per network namespace, so the nodes would contend for them.
    /// </summary>
    private QbIpcType? LibqbType()
    {
        var text = _getEnv("HA_QB_IPC_TYPE") ?? _config.System.Values.Str("qb_ipc_type");
        if (text is null && !string.IsNullOrEmpty(_getEnv("HA_ROOT")))
            return null;
        return (text ?? "native") switch
        {
            "socket" => QbIpcType.Socket,
            "none" => null,
            _ => QbIpcType.Shm,
        };
    }

    private void StartLibqb()
    {
        if (LibqbType() is not { } type)
            return;
        _libqb = new LibqbServer(type, _log.For("QB    "), LibqbFirstClientId);
        var failed = _libqb.Start();
        foreach (var name in failed)
            _log.Write("warning", "QB    ", $"libqb IPC: cannot listen on {name}; real corosync clients cannot reach that service");
        var libqb = _libqb;
        _ = Task.Run(async () =>
        {
            await foreach (var m in libqb.Inbound.ReadAllAsync().ConfigureAwait(false))
                _loop.Post(m switch
                {
                    LibqbConnecting ask => new QbConnectingInput(ask),
                    LibqbInbound inbound => new QbInput(inbound),
                    _ => throw new InvalidOperationException($"unknown libqb item {m.GetType().Name}"),
                });
        }, CancellationToken.None);
    }

    private async Task StopLibqbAsync()
    {
        if (_libqb is not null)
            await _libqb.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>corosync's accept rules: not before the first sync, then root, or a uid/gid cmap's uidgid keys allow.</summary>
    private int Admit(LibqbConnecting ask)
    {
        if (!_readyForClients)
            return -11; // EAGAIN: the client library turns it into CS_ERR_TRY_AGAIN
        var p = ask.Peer;
        var uid = p.Uid.ToString(CultureInfo.InvariantCulture);
        var gid = p.Gid.ToString(CultureInfo.InvariantCulture);
        if (p.Uid == 0 || p.Gid == 0 || p.Uid == PeerCredentials.EffectiveUid()
            || _cmap.Get("uidgid.uid." + uid) is not null || _cmap.Get("uidgid.config.uid." + uid) is not null
            || _cmap.Get("uidgid.gid." + gid) is not null || _cmap.Get("uidgid.config.gid." + gid) is not null)
            return 0;
        _log.Write("error", "MAIN  ", $"Denied connection attempt from {uid}:{gid}");
        return -13; // EACCES
    }

    /// <summary>The vote's time is up (cmap cfg.shutdown_timeout, default 5 s): silent trackers count as agreeing.</summary>
    private void ShutdownVoteExpired()
    {
        if (_shutdownVote is not { } vote)
            return;
        vote.Pending.Clear();
        FinishShutdownVote();
    }

    private void HandleLibqb(LibqbInbound item)
    {
        switch (item)
        {
            case { Message: null } gone:
                _qbClients.Remove(gone.Client);
                if (_shutdownVote is { } vote && (vote.Pending.Remove(gone.Client) || vote.Caller == gone.Client))
                    FinishShutdownVote();
                Apply(_host.Run(o => _cpg.ClientGone(gone.Client, o)));
                _votequorum.ClientGone(gone.Client);
                _cmap.ClientGone(gone.Client);
                break;
            case var request:
                if (!_qbClients.TryGetValue(request.Client, out var state))
                {
                    state = new QbClientState(request.Service, request.Peer);
                    _qbClients[request.Client] = state;
                    if (request.Service == ServiceId.Cpg)
                        _cpg.Register(request.Client);
                }
                var m = request.Message!;
                if (m.Length < QbHeader.RequestSize)
                {
                    QbReply(request.Client, QbHeader.Response(0, QbHeader.ResponseSize, (int)CsError.InvalidParam));
                    break;
                }
                var reply = request.Service switch
                {
                    ServiceId.Cmap => QbCmap(request.Client, state, m),
                    ServiceId.Cpg => QbCpg(request.Client, state, m),
                    ServiceId.Quorum => QbQuorum(request.Client, state, m),
                    ServiceId.Votequorum => QbVotequorum(request.Client, state, m),
                    ServiceId.Cfg => QbCfg(request.Client, state, m),
                    _ => null,
                };
                if (reply is not null)
                    QbReply(request.Client, reply);
                break;
        }
    }

    private void QbReply(ClientId client, byte[] reply) => Emit(new SendQbReply(client, reply));

    private static byte[] Status(int id, CsError error) => QbHeader.Response(id, QbHeader.ResponseSize, (int)error);

    private static byte[] Invalid => Status(0, CsError.InvalidParam);

    private static CsError ToCs(CmapError e) => e switch
    {
        CmapError.Ok => CsError.Ok,
        CmapError.NotExist => CsError.NotExist,
        CmapError.NameTooLong => CsError.NameTooLong,
        CmapError.Access => CsError.Access,
        CmapError.TooBig => CsError.TooBig,
        CmapError.NoMemory => CsError.NoMemory,
        _ => CsError.InvalidParam,
    };

    private static CsError ToCs(CpgResult r) => r switch
    {
        CpgResult.Ok => CsError.Ok,
        CpgResult.Exist => CsError.Exist,
        CpgResult.NotExist => CsError.NotExist,
        _ => CsError.InvalidParam,
    };

    // ---- cmap -------------------------------------------------------------------------------

    private bool InMap(QbClientState s, string key) => s.CmapMap == 1 == key.StartsWith("stats.", StringComparison.Ordinal);

    private CmapValue? CmapGet(QbClientState s, string key) => InMap(s, key) ? _cmap.Get(key) : null;

    private byte[]? QbCmap(ClientId client, QbClientState s, byte[] m)
    {
        int id = QbHeader.Id(m);
        switch (id)
        {
            case CmapWire.SetCurrentMap when m.Length >= 24:
            {
                int map = I32(m, 16);
                if (map is not (0 or 1))
                    return Status(CmapWire.SetCurrentMapReply, CsError.InvalidParam);
                s.CmapMap = map;
                return Status(CmapWire.SetCurrentMapReply, CsError.Ok);
            }
            case CmapWire.Get when m.Length >= 288:
            {
                RefreshCounters();
                var key = Name(m, 16);
                ulong want = U64(m, 280);
                if (want > MaxGetLength)
                    return QbHeader.Response(CmapWire.Get, 40, (int)CsError.InvalidParam);
                var value = key is null ? null : CmapGet(s, key);
                if (value is null)
                    return QbHeader.Response(CmapWire.Get, 40, (int)(key is null ? CsError.InvalidParam : CsError.NotExist));
                var bytes = CmapWire.Encode(value);
                if (want != 0 && want < (ulong)bytes.Length)
                    return QbHeader.Response(CmapWire.Get, 40, (int)CsError.InvalidParam);
                // The reply is as large as the buffer the client offered (40 + requested length), value_len the real length.
                var r = QbHeader.Response(CmapWire.Get, 40 + (int)want, (int)CsError.Ok);
                Put(r, 24, (ulong)bytes.Length);
                r[32] = CmapWire.TypeCode(value.Type);
                if (want != 0)
                    bytes.CopyTo(r, 40);
                return r;
            }
            case CmapWire.Set when m.Length >= 296:
            {
                var key = Name(m, 16);
                ulong length = U64(m, 280);
                var type = CmapWire.TypeOf(m[288]);
                if (key is null || type is null || length > (ulong)(m.Length - 296))
                    return Status(CmapWire.Set, CsError.InvalidParam);
                var value = CmapWire.Decode(type.Value, m.AsSpan(296, (int)length));
                if (value is null)
                    return Status(CmapWire.Set, CsError.InvalidParam);
                if (s.CmapMap == 1)
                    return Status(CmapWire.Set, CsError.Access);
                var output = new ServiceOutput();
                var error = _cmap.ClientSet(key, value, output);
                Apply(output.Drain());
                return Status(CmapWire.Set, ToCs(error));
            }
            case CmapWire.Delete when m.Length >= 280:
            {
                var key = Name(m, 16);
                if (key is null || s.CmapMap == 1)
                    return Status(CmapWire.Delete, key is null ? CsError.InvalidParam : CsError.Access);
                var output = new ServiceOutput();
                var error = _cmap.ClientDelete(key, output);
                Apply(output.Drain());
                return Status(CmapWire.Delete, ToCs(error));
            }
            case CmapWire.AdjustInt when m.Length >= 284:
            {
                var key = Name(m, 16);
                var value = key is null ? null : CmapGet(s, key);
                if (value is null)
                    return Status(CmapWire.AdjustInt, key is null ? CsError.InvalidParam : CsError.NotExist);
                if (!value.Type.IsInteger())
                    return Status(CmapWire.AdjustInt, CsError.InvalidParam);
                var next = value.AsInteger + I32(m, 280);
                if (next < value.Type.MinValue() || next > value.Type.MaxValue())
                    return Status(CmapWire.AdjustInt, CsError.InvalidParam);
                var output = new ServiceOutput();
                var error = _cmap.ClientSet(key!, CmapValue.Integer(value.Type, next), output);
                Apply(output.Drain());
                return Status(CmapWire.AdjustInt, ToCs(error));
            }
            case CmapWire.IterInit when m.Length >= 280:
            {
                RefreshCounters();
                var prefix = Name(m, 16);
                if (prefix is null)
                    return QbHeader.Response(CmapWire.IterInit, 32, (int)CsError.InvalidParam);
                if (s.CmapIterators.Count >= 64)
                    return QbHeader.Response(CmapWire.IterInit, 32, (int)CsError.NoResources);
                var keys = new Queue<string>(_cmap.Iterate(prefix).Select(kv => kv.Key).Where(k => InMap(s, k)));
                ulong handle = s.NextHandle++;
                s.CmapIterators[handle] = keys;
                var r = QbHeader.Response(CmapWire.IterInit, 32, (int)CsError.Ok);
                Put(r, 24, handle);
                return r;
            }
            case CmapWire.IterNext when m.Length >= 24:
            {
                var r = QbHeader.Response(CmapWire.IterNext, 304, (int)CsError.Ok);
                if (!s.CmapIterators.TryGetValue(U64(m, 16), out var keys))
                {
                    QbHeader.WriteResponse(r, CmapWire.IterNext, 304, (int)CsError.BadHandle);
                    return r;
                }
                while (keys.TryDequeue(out var key))
                {
                    if (_cmap.Get(key) is not { } value)
                        continue; // deleted since the iteration started
                    PutName(r, 24, key);
                    Put(r, 288, (ulong)CmapWire.Encode(value).Length);
                    r[296] = CmapWire.TypeCode(value.Type);
                    return r;
                }
                QbHeader.WriteResponse(r, CmapWire.IterNext, 304, (int)CsError.NoSections);
                return r;
            }
            case CmapWire.IterFinalize when m.Length >= 24:
                return Status(CmapWire.IterFinalize, s.CmapIterators.Remove(U64(m, 16)) ? CsError.Ok : CsError.BadHandle);
            case CmapWire.TrackAdd when m.Length >= 296:
            {
                var key = Name(m, 16);
                int flags = I32(m, 280);
                if (key is null || (flags & (CmapWire.TrackAddFlag | CmapWire.TrackDeleteFlag | CmapWire.TrackModifyFlag)) == 0)
                    return QbHeader.Response(CmapWire.TrackAdd, 32, (int)CsError.InvalidParam);
                if (s.CmapTracks.Count >= 256)
                    return QbHeader.Response(CmapWire.TrackAdd, 32, (int)CsError.NoResources);
                long track = _cmap.Track(client, key, (flags & CmapWire.TrackPrefixFlag) != 0);
                s.CmapTracks[track] = (U64(m, 288), flags);
                var r = QbHeader.Response(CmapWire.TrackAdd, 32, (int)CsError.Ok);
                Put(r, 24, (ulong)track);
                return r;
            }
            case CmapWire.TrackDelete when m.Length >= 24:
            {
                long track = (long)U64(m, 16);
                var r = QbHeader.Response(CmapWire.TrackDelete, 32, (int)CsError.Ok);
                if (!s.CmapTracks.Remove(track, out var t))
                {
                    QbHeader.WriteResponse(r, CmapWire.TrackDelete, 32, (int)CsError.NotExist);
                    return r;
                }
                _cmap.Untrack(track);
                Put(r, 24, t.Instance);
                return r;
            }
            default:
                return Invalid;
        }
    }

    private byte[]? CmapEvent(QbClientState s, CmapTrackEvent e)
    {
        if (!s.CmapTracks.TryGetValue(e.TrackId, out var t))
            return null;
        int flag = e.Change switch { CmapChange.Add => CmapWire.TrackAddFlag, CmapChange.Delete => CmapWire.TrackDeleteFlag, _ => CmapWire.TrackModifyFlag };
        if ((t.Flags & flag) == 0)
            return null;
        var newBytes = e.NewValue is null ? [] : CmapWire.Encode(e.NewValue);
        var oldBytes = e.OldValue is null ? [] : CmapWire.Encode(e.OldValue);
        var r = QbHeader.Response(CmapWire.NotifyCallback, 336 + newBytes.Length + oldBytes.Length, (int)CsError.Ok);
        Put(r, 24, t.Instance);
        PutName(r, 32, e.Key);
        Put(r, 296, flag);
        r[304] = e.NewValue is null ? (byte)0 : CmapWire.TypeCode(e.NewValue.Type);
        r[312] = e.OldValue is null ? (byte)0 : CmapWire.TypeCode(e.OldValue.Type);
        Put(r, 320, (ulong)newBytes.Length);
        Put(r, 328, (ulong)oldBytes.Length);
        newBytes.CopyTo(r, 336);
        oldBytes.CopyTo(r, 336 + newBytes.Length);
        return r;
    }

    // ---- cpg --------------------------------------------------------------------------------

    private byte[]? QbCpg(ClientId client, QbClientState s, byte[] m)
    {
        int id = QbHeader.Id(m);
        switch (id)
        {
            case CpgWire.LocalGet:
            {
                var r = QbHeader.Response(CpgWire.LocalGetReply, 32, (int)CsError.Ok);
                Put(r, 24, _setup.LocalNode.Value);
                return r;
            }
            case CpgWire.Join when m.Length >= 164:
            {
                var group = CpgName(m, 16);
                if (group is null)
                    return Status(CpgWire.JoinReply, CsError.NameTooLong);
                if (s.CpgJoin is not null)
                    return Status(CpgWire.JoinReply, CsError.Exist); // one group per connection
                // The kernel's peer pid, not the request's (libcpg sends getpid(), the same value
                // for an honest client; another could otherwise join under any pid).
                uint pid = (uint)s.Peer.Pid;
                CpgResult result = CpgResult.InvalidParam;
                Apply(_host.Run(o => result = _cpg.Join(client, group, pid, o)));
                if (result == CpgResult.Ok)
                {
                    s.CpgJoin = (group, pid);
                    if (m.Length >= 168 && (U32(m, 160) & CpgWire.ModelInitialTotemConf) != 0 && _libqb is not null && CpgEvent(new CpgTotemChangedEvent(_votequorum.RingId, _host.Members)) is { } conf)
                        Emit(new SendQbEvent(client, conf));
                }
                return Status(CpgWire.JoinReply, ToCs(result));
            }
            case CpgWire.Leave when m.Length >= 156:
            {
                var group = CpgName(m, 16);
                if (group is null)
                    return Status(CpgWire.LeaveReply, CsError.InvalidParam);
                uint pid = (uint)s.Peer.Pid;
                CpgResult result = CpgResult.InvalidParam;
                Apply(_host.Run(o => result = _cpg.Leave(client, group, pid, o)));
                if (result == CpgResult.Ok)
                    s.CpgJoin = null;
                return Status(CpgWire.LeaveReply, ToCs(result));
            }
            case CpgWire.Mcast when m.Length >= 40:
            {
                // No reply at all, whatever happens (libcpg does not wait for one).
                uint length = U32(m, 32);
                if (s.CpgJoin is { } join && length <= (uint)(m.Length - 40))
                    Apply(_host.Run(o => _cpg.Multicast(client, join.Group, join.Pid, m.AsSpan(40, (int)length), o)));
                return null;
            }
            case CpgWire.Finalize:
                return Status(CpgWire.FinalizeReply, CsError.Ok);
            case CpgWire.Membership when m.Length >= 152:
            {
                var group = CpgName(m, 16);
                var r = QbHeader.Response(CpgWire.MembershipReply, 32 + (24 * CpgWire.MaxMembers), (int)CsError.Ok);
                var members = group is null ? [] : _cpg.MembersOf(group);
                int n = Math.Min(members.Length, CpgWire.MaxMembers);
                Put(r, 24, (uint)n);
                for (int i = 0; i < n; i++)
                    PutAddress(r, 32 + (24 * i), members[i]);
                return r;
            }
            case CpgWire.IterationInitialize when m.Length >= 156:
            {
                uint type = U32(m, 152);
                var rows = new Queue<(string, uint, uint)>();
                string? only = type == CpgWire.IterationOneGroup ? CpgName(m, 16) : null;
                if (type is not (CpgWire.IterationNameOnly or CpgWire.IterationOneGroup or CpgWire.IterationAll) || (type == CpgWire.IterationOneGroup && only is null))
                    return QbHeader.Response(CpgWire.IterationInitializeReply, 32, (int)CsError.InvalidParam);
                foreach (var (group, members) in _cpg.Groups())
                {
                    if (only is not null && group != only)
                        continue;
                    if (type == CpgWire.IterationNameOnly)
                        rows.Enqueue((group, 0, 0));
                    else
                        foreach (var a in members)
                            rows.Enqueue((group, a.Node.Value, a.Pid));
                }
                if (s.CpgIterators.Count >= 64)
                    return QbHeader.Response(CpgWire.IterationInitializeReply, 32, (int)CsError.NoResources);
                ulong handle = s.NextHandle++;
                s.CpgIterators[handle] = rows;
                var r = QbHeader.Response(CpgWire.IterationInitializeReply, 32, (int)CsError.Ok);
                Put(r, 24, handle);
                return r;
            }
            case CpgWire.IterationNext when m.Length >= 24:
            {
                var r = QbHeader.Response(CpgWire.IterationNextReply, 168, (int)CsError.Ok);
                if (!s.CpgIterators.TryGetValue(U64(m, 16), out var rows))
                    QbHeader.WriteResponse(r, CpgWire.IterationNextReply, 168, (int)CsError.BadHandle);
                else if (!rows.TryDequeue(out var row))
                    QbHeader.WriteResponse(r, CpgWire.IterationNextReply, 168, (int)CsError.NoSections);
                else
                {
                    PutCpgName(r, 24, row.Group);
                    Put(r, 160, row.Node);
                    Put(r, 164, row.Pid);
                }
                return r;
            }
            case CpgWire.IterationFinalize when m.Length >= 24:
                return Status(CpgWire.IterationFinalizeReply, s.CpgIterators.Remove(U64(m, 16)) ? CsError.Ok : CsError.BadHandle);
            default:
                return Invalid;
        }
    }

    private static void PutAddress(byte[] r, int at, CpgAddress a)
    {
        Put(r, at, a.Node.Value);
        Put(r, at + 8, a.Pid);
        Put(r, at + 16, (uint)a.Reason);
    }

    private static byte[]? CpgEvent(ClientEvent e)
    {
        switch (e)
        {
            case CpgConfigurationChangedEvent c:
            {
                int n = c.Members.Length + c.Left.Length + c.Joined.Length;
                var r = QbHeader.Response(CpgWire.ConfchgCallback, 184 + (24 * n), (int)CsError.Ok);
                PutCpgName(r, 24, c.Group);
                // Counts are member, joined, left (measured with libcpg); the lists follow as members, left, joined.
                Put(r, 160, (uint)c.Members.Length);
                Put(r, 168, (uint)c.Joined.Length);
                Put(r, 176, (uint)c.Left.Length);
                int at = 184;
                foreach (var a in c.Members.Concat(c.Left).Concat(c.Joined))
                {
                    PutAddress(r, at, a);
                    at += 24;
                }
                return r;
            }
            case CpgMessageEvent d:
            {
                var r = QbHeader.Response(CpgWire.DeliverCallback, 184 + d.Payload.Length, (int)CsError.Ok);
                PutCpgName(r, 24, d.Group);
                Put(r, 160, (uint)d.Payload.Length);
                Put(r, 168, d.Node.Value);
                Put(r, 176, d.Pid);
                d.Payload.CopyTo(r, 184);
                return r;
            }
            case CpgTotemChangedEvent t:
            {
                // sizeof rounds past the start of the array: corosync sends 4 unused trailing bytes, and so do we.
                var r = QbHeader.Response(CpgWire.TotemConfchgCallback, 48 + (4 * t.Members.Length), (int)CsError.Ok);
                Put(r, 24, t.RingId.Representative.Value);
                Put(r, 32, t.RingId.Sequence);
                Put(r, 40, (uint)t.Members.Length);
                for (int i = 0; i < t.Members.Length; i++)
                    Put(r, 44 + (4 * i), t.Members[i].Value);
                return r;
            }
            default:
                return null;
        }
    }

    // ---- quorum -----------------------------------------------------------------------------

    private ImmutableArray<NodeId> QuorumMembers() => [.. _votequorum.Status().Members.Select(x => x.Node)];

    private byte[]? QbQuorum(ClientId client, QbClientState s, byte[] m)
    {
        int id = QbHeader.Id(m);
        switch (id)
        {
            case QuorumWire.GetQuorumType:
            {
                var r = QbHeader.Response(QuorumWire.GetTypeReply, 32, (int)CsError.Ok);
                Put(r, 24, QuorumWire.QuorumSet);
                return r;
            }
            case QuorumWire.ModelGetType when m.Length >= 20:
            {
                uint model = U32(m, 16);
                var r = QbHeader.Response(QuorumWire.ModelGetTypeReply, 32, (int)(model > 1 ? CsError.InvalidParam : CsError.Ok));
                s.QuorumModel = model;
                Put(r, 24, QuorumWire.QuorumSet);
                return r;
            }
            case QuorumWire.GetQuorate:
            {
                var r = QbHeader.Response(QuorumWire.GetQuorateReply, 32, (int)CsError.Ok);
                Put(r, 24, _votequorum.Quorate ? 1u : 0u);
                return r;
            }
            case QuorumWire.TrackStart when m.Length >= 20:
            {
                uint flags = U32(m, 16);
                if (s.Tracking)
                    return Status(QuorumWire.TrackStartReply, CsError.Exist);
                // The current state goes out as an event before the reply, as corosync does.
                if ((flags & (QuorumWire.TrackChanges | QuorumWire.TrackChangesOnly)) != 0)
                {
                    s.Tracking = true;
                    if ((flags & QuorumWire.TrackChangesOnly) != 0 && (flags & QuorumWire.TrackCurrent) == 0)
                        _votequorum.Track(client, new ServiceOutput()); // register only; the current state is not asked for
                    else
                        Apply(_host.Run(o => _votequorum.Track(client, o)));
                }
                else if ((flags & QuorumWire.TrackCurrent) != 0)
                    LibqbEvent(client, new QuorumChangedEvent(_votequorum.Quorate, _votequorum.RingId, QuorumMembers()));
                return Status(QuorumWire.TrackStartReply, CsError.Ok);
            }
            case QuorumWire.TrackStop:
                s.Tracking = false;
                _votequorum.ClientGone(client);
                return Status(QuorumWire.TrackStopReply, CsError.Ok);
            default:
                return Invalid;
        }
    }

    private static byte[] QuorumEvent(QbClientState s, QuorumChangedEvent q)
    {
        if (s.QuorumModel == 1)
        {
            var v1 = QbHeader.Response(QuorumWire.V1QuorumNotification, 56 + (4 * q.Members.Length), (int)CsError.Ok);
            Put(v1, 24, q.Quorate ? 1 : 0);
            Put(v1, 32, q.RingId.Representative.Value);
            Put(v1, 40, q.RingId.Sequence);
            Put(v1, 48, (uint)q.Members.Length);
            for (int i = 0; i < q.Members.Length; i++)
                Put(v1, 52 + (4 * i), q.Members[i].Value);
            return v1;
        }
        var r = QbHeader.Response(QuorumWire.Notification, 48 + (4 * q.Members.Length), (int)CsError.Ok);
        Put(r, 24, q.Quorate ? 1 : 0);
        Put(r, 32, q.RingId.Sequence);
        Put(r, 40, (uint)q.Members.Length);
        for (int i = 0; i < q.Members.Length; i++)
            Put(r, 44 + (4 * i), q.Members[i].Value);
        return r;
    }

    // ---- votequorum -------------------------------------------------------------------------

    private byte[]? QbVotequorum(ClientId client, QbClientState s, byte[] m)
    {
        int id = QbHeader.Id(m);
        switch (id)
        {
            case VotequorumWire.GetInfo when m.Length >= 20:
            {
                var status = _votequorum.Status();
                uint node = U32(m, 16) == 0 ? _setup.LocalNode.Value : U32(m, 16);
                var member = status.Members.FirstOrDefault(x => x.Node.Value == node);
                bool configured = _setup.Nodes.Any(n => n.Id.Value == node);
                var r = QbHeader.Response(VotequorumWire.GetInfoReply, 320, (int)CsError.Ok);
                if (member is null && !configured)
                {
                    QbHeader.WriteResponse(r, VotequorumWire.GetInfoReply, 320, (int)CsError.NotExist);
                    return r;
                }
                uint flags = 0;
                if (status.TwoNode) flags |= VotequorumWire.FlagTwoNode;
                if (status.Quorate) flags |= VotequorumWire.FlagQuorate;
                if (status.WaitForAll) flags |= VotequorumWire.FlagWaitForAll;
                if (status.LastManStanding) flags |= VotequorumWire.FlagLastManStanding;
                if (status.AutoTieBreaker) flags |= VotequorumWire.FlagAutoTieBreaker;
                if (status.AllowDownscale) flags |= VotequorumWire.FlagAllowDownscale;
                Put(r, 24, node);
                Put(r, 28, member is null ? VotequorumWire.StateDead : VotequorumWire.StateMember);
                Put(r, 32, member?.Votes ?? 1);
                Put(r, 36, status.ExpectedVotes);
                Put(r, 40, status.HighestExpected);
                Put(r, 44, status.TotalVotes);
                Put(r, 48, status.Quorum);
                Put(r, 52, flags);
                return r;
            }
            case VotequorumWire.TrackStart when m.Length >= 28:
            {
                s.VotequorumContext = U64(m, 16);
                uint flags = U32(m, 24);
                if ((flags & QuorumWire.TrackCurrent) != 0)
                {
                    var q = new QuorumChangedEvent(_votequorum.Quorate, _votequorum.RingId, QuorumMembers());
                    foreach (var e in VotequorumEvents(s, q))
                        Emit(new SendQbEvent(client, e));
                }
                if ((flags & (QuorumWire.TrackChanges | QuorumWire.TrackChangesOnly)) != 0 && !s.Tracking)
                {
                    s.Tracking = true;
                    _votequorum.Track(client, new ServiceOutput());
                }
                return Status(VotequorumWire.Status, CsError.Ok);
            }
            case VotequorumWire.TrackStop:
                s.Tracking = false;
                _votequorum.ClientGone(client);
                return Status(VotequorumWire.Status, CsError.Ok);
            case VotequorumWire.SetExpected when m.Length >= 20:
                return QbReconfigure(_votequorum.RequestExpectedVotes(U32(m, 16)));
            case VotequorumWire.SetVotes when m.Length >= 24:
            {
                uint node = U32(m, 20) == 0 ? _setup.LocalNode.Value : U32(m, 20);
                return QbReconfigure(_votequorum.RequestNodeVotes(new NodeId(node), U32(m, 16)));
            }
            default:
                return Status(VotequorumWire.Status, id is >= 5 and <= 9 ? CsError.NotSupported : CsError.InvalidParam);
        }
    }

    private byte[] QbReconfigure(ReconfigureMessage? message)
    {
        if (message is null)
            return Status(VotequorumWire.Status, CsError.InvalidParam);
        Apply(_host.Run(o => o.Send(ServiceId.Votequorum, message.Function, message.Encode())));
        return Status(VotequorumWire.Status, CsError.Ok);
    }

    private IEnumerable<byte[]> VotequorumEvents(QbClientState s, QuorumChangedEvent q)
    {
        var nodes = _setup.Nodes.Select(n => n.Id).Union(q.Members).Order().ToList();
        var quorum = QbHeader.Response(VotequorumWire.QuorumNotification, 48 + (8 * nodes.Count), (int)CsError.Ok);
        Put(quorum, 24, q.Quorate ? 1u : 0u);
        Put(quorum, 32, s.VotequorumContext);
        Put(quorum, 40, (uint)nodes.Count);
        for (int i = 0; i < nodes.Count; i++)
        {
            Put(quorum, 48 + (8 * i), nodes[i].Value);
            Put(quorum, 52 + (8 * i), q.Members.Contains(nodes[i]) ? VotequorumWire.StateMember : VotequorumWire.StateDead);
        }
        yield return quorum;
        var list = QbHeader.Response(VotequorumWire.NodelistNotification, 56 + (4 * q.Members.Length), (int)CsError.Ok);
        Put(list, 24, s.VotequorumContext);
        Put(list, 32, q.RingId.Representative.Value);
        Put(list, 40, q.RingId.Sequence);
        Put(list, 48, (uint)q.Members.Length);
        for (int i = 0; i < q.Members.Length; i++)
            Put(list, 56 + (4 * i), q.Members[i].Value);
        yield return list;
    }

    // ---- cfg --------------------------------------------------------------------------------

    private byte[]? QbCfg(ClientId client, QbClientState s, byte[] m)
    {
        int id = QbHeader.Id(m);
        switch (id)
        {
            case CfgWire.LocalGet:
            {
                var r = QbHeader.Response(CfgWire.LocalGetReply, 32, (int)CsError.Ok);
                Put(r, 24, _setup.LocalNode.Value);
                return r;
            }
            case CfgWire.GetNodeAddrs when m.Length >= 20:
            {
                uint node = U32(m, 16) == 0 ? _setup.LocalNode.Value : U32(m, 16);
                var config = _setup.Nodes.FirstOrDefault(n => n.Id.Value == node);
                var addresses = config?.Addresses ?? [];
                var r = QbHeader.Response(CfgWire.GetNodeAddrsReply, 32 + (16 * addresses.Length), (int)(config is null ? CsError.NotExist : CsError.Ok));
                bool v6 = addresses.Length > 0 && addresses[0].AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
                Put(r, 24, v6 ? 10u : 2u);
                Put(r, 28, (uint)addresses.Length);
                for (int i = 0; i < addresses.Length; i++)
                    addresses[i].GetAddressBytes().CopyTo(r, 32 + (16 * i));
                return r;
            }
            case CfgWire.NodeStatusGet when m.Length >= 28:
                return NodeStatus(U32(m, 16), U32(m, 24));
            case CfgWire.RingStatusGet:
            {
                var r = QbHeader.Response(CfgWire.RingStatusGetReply, 10272, (int)CsError.Ok);
                Put(r, 24, (uint)_setup.Transport.LinkCount);
                for (int link = 0; link < Math.Min(_setup.Transport.LinkCount, 16); link++)
                {
                    Encoding.ASCII.GetBytes(_setup.Transport.LocalAddress(link).ToString()).CopyTo(r, 32 + (128 * link));
                    Encoding.ASCII.GetBytes("OK").CopyTo(r, 2080 + (512 * link));
                }
                return r;
            }
            case CfgWire.TrackStart:
                s.CfgTracking = true;
                return Status(CfgWire.TrackStartReply, CsError.Ok);
            case CfgWire.TrackStop:
                s.CfgTracking = false;
                return Status(CfgWire.TrackStopReply, CsError.Ok);
            case CfgWire.ReplyToShutdown when m.Length >= 20:
            {
                if (_shutdownVote is not { } vote || !vote.Pending.Remove(client))
                    return Status(CfgWire.ReplyToShutdownReply, CsError.Access);
                if (U32(m, 16) == 0)
                    vote.Refused = true;
                QbReply(client, Status(CfgWire.ReplyToShutdownReply, CsError.Ok));
                FinishShutdownVote();
                return null;
            }
            case CfgWire.TryShutdown when m.Length >= 20:
                return TryShutdown(client, U32(m, 16));
            case CfgWire.KillNode when m.Length >= 20:
                Apply(_host.Run(o => o.Send(ServiceId.Cfg, CfgService.KillNode, CfgService.Encode(new NodeId(U32(m, 16))))));
                return Status(CfgWire.KillNodeReply, CsError.Ok);
            case CfgWire.ReloadConfig:
                _log.Notice("CFG   ", $"Config reload requested by node {_setup.LocalNode}");
                return Status(CfgWire.ReloadConfigReply, CsError.Ok);
            case CfgWire.ReopenLogFiles:
                return Status(CfgWire.ReopenLogFilesReply, CsError.Ok);
            case CfgWire.RingReenable:
                return Status(CfgWire.RingReenableReply, CsError.Ok);
            default:
                return Invalid;
        }
    }

    /// <summary>
    /// cfg TRYSHUTDOWN: IMMEDIATE, or nobody else tracking, shuts this node down at once; otherwise
    /// every other cfg tracker (pacemakerd) is asked with a TESTSHUTDOWN event and the reply waits
    /// for their answers: any "no" refuses with CS_ERR_BUSY unless the caller said REGARDLESS.
    /// </summary>
    private byte[]? TryShutdown(ClientId client, uint flags)
    {
        if (_shutdownVote is not null)
            return Status(CfgWire.TryShutdownReply, CsError.Busy);
        var others = _qbClients.Where(kv => kv.Value.CfgTracking && kv.Key != client).Select(kv => kv.Key).ToHashSet();
        if (flags == CfgWire.ShutdownImmediate || others.Count == 0)
        {
            ShutDownThisNode();
            return Status(CfgWire.TryShutdownReply, CsError.Ok);
        }
        uint timeout = _cmap.Get("cfg.shutdown_timeout") is { } t && t.Type.IsInteger() ? (uint)Int128.Clamp(t.AsInteger, 1, 600_000) : 5000;
        var vote = new ShutdownVote(client, flags, others);
        _shutdownVote = vote;
        var test = QbHeader.Response(CfgWire.TestShutdownEvent, 32, (int)CsError.Ok);
        Put(test, 24, flags);
        foreach (var tracker in others)
            Emit(new SendQbEvent(tracker, test));
        _timers.Arm(ShutdownVoteTimer.Key, TimeSpan.FromMilliseconds(timeout));
        return null; // answered when the vote ends
    }

    private void FinishShutdownVote()
    {
        if (_shutdownVote is not { } vote || vote.Pending.Count > 0)
            return;
        _shutdownVote = null;
        _timers.Cancel(ShutdownVoteTimer.Key);
        bool go = !vote.Refused || vote.Flags == CfgWire.ShutdownRegardless;
        QbReply(vote.Caller, Status(CfgWire.TryShutdownReply, go ? CsError.Ok : CsError.Busy));
        if (go)
            ShutDownThisNode();
    }

    private void ShutDownThisNode() =>
        Apply(_host.Run(o => o.Send(ServiceId.Cfg, CfgService.Shutdown, CfgService.Encode(_setup.LocalNode))));

    /// <summary>cfg NODESTATUSGET v1: reachability and per-link state of one node, as corosync-cfgtool -s reads it.</summary>
    private byte[] NodeStatus(uint node, uint version)
    {
        var r = QbHeader.Response(CfgWire.NodeStatusGetReply, CfgWire.NodeStatusV1Size, (int)CsError.Ok);
        var config = _setup.Nodes.FirstOrDefault(n => n.Id.Value == node);
        if (version != 1 || config is null)
        {
            QbHeader.WriteResponse(r, CfgWire.NodeStatusGetReply, CfgWire.NodeStatusV1Size, (int)(version != 1 ? CsError.NotSupported : CsError.NotExist));
            return r;
        }
        bool local = config.Id == _setup.LocalNode;
        var statuses = _runtime!.Transport.Links;
        Put(r, 24, 1u);
        Put(r, 28, node);
        bool member = local || _host.Members.Contains(config.Id);
        r[32] = member ? (byte)1 : (byte)0;
        for (int link = 0; link < Math.Min(_setup.Transport.LinkCount, CfgWire.MaxLinks); link++)
        {
            int at = 40 + (CfgWire.LinkStatusSize * link);
            var st = statuses.FirstOrDefault(x => x.Peer == config.Id && x.Link == link);
            bool connected = local || (st?.Connected ?? member);
            r[at] = 1;
            r[at + 1] = connected ? (byte)1 : (byte)0;
            r[at + 2] = connected ? (byte)1 : (byte)0;
            Put(r, at + 4, (uint)_setup.Totem.FramePayload);
            Encoding.ASCII.GetBytes(_setup.Transport.LocalAddress(link).ToString()).CopyTo(r, at + 8);
            var remote = link < config.Addresses.Length ? config.Addresses[link] : IPAddress.None;
            Encoding.ASCII.GetBytes(remote.ToString()).CopyTo(r, at + 264);
        }
        return r;
    }

    // ---- events -----------------------------------------------------------------------------

    /// <summary>Encodes a service callback for a libqb client in its service's layout and sends it.</summary>
    private void LibqbEvent(ClientId client, ClientEvent e)
    {
        if (_libqb is null || !_qbClients.TryGetValue(client, out var s))
            return;
        switch (s.Service, e)
        {
            case (ServiceId.Cmap, CmapTrackEvent t):
                if (CmapEvent(s, t) is { } cmap)
                    _libqb.Event(client, cmap);
                break;
            case (ServiceId.Cpg, _):
                if (CpgEvent(e) is { } cpg)
                    _libqb.Event(client, cpg);
                break;
            case (ServiceId.Quorum, QuorumChangedEvent q):
                _libqb.Event(client, QuorumEvent(s, q));
                break;
            case (ServiceId.Votequorum, QuorumChangedEvent q):
                foreach (var m in VotequorumEvents(s, q))
                    _libqb.Event(client, m);
                break;
        }
    }
}
