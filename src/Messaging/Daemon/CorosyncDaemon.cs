using System.Globalization;
using Cluster.Common.Loop;
using Cluster.Common.Paths;
using Cluster.Common.Systemd;
using Cluster.Messaging.Cmap;
using Cluster.Messaging.Config;
using Cluster.Messaging.Cpg;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Ipc;
using Cluster.Messaging.Ipc.Libqb;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Runtime;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Daemon;

/// <summary>
/// The corosync daemon's engine: Totem over the configured transport, the services (cmap, cfg,
/// cpg, votequorum) behind the sync host, and the client sockets. One
/// <see cref="EventLoop{TInput,TEffect}"/> owns every service: deliveries, configuration changes,
/// client requests and timers (<see cref="DaemonInput"/>) are stepped one at a time, in arrival
/// order, so the services need no locks; the effects a step produced (the services' and the
/// replies to clients) are then carried out in the order they were produced.
/// </summary>
public sealed partial class CorosyncDaemon
{
    private readonly CorosyncConfig _config;
    private readonly DaemonSetup _setup;
    private readonly HaPaths _paths;
    private readonly ConfigPaths _configPaths;
    private readonly DaemonLog _log;
    private readonly TimeProvider _time;
    private readonly Func<string, string?> _getEnv;
    private readonly EventLoop<DaemonInput, ServiceEffect> _loop;
    private readonly LoopTimers<DaemonTimer> _timers;
    private readonly CmapStore _cmap = new();
    private readonly Votequorum _votequorum;
    private readonly CpgService _cpg;
    private readonly CfgService _cfg;
    private readonly ServiceHost _host;
    /// <summary>While a step runs: where its effects go (outside the loop, at start-up, they are carried out at once).</summary>
    private List<ServiceEffect>? _stepOutput;
    private int _exit;
    private TotemRuntime? _runtime;
    private IpcServer? _ipc;
    private bool _membersDirty;
    private string? _stopReason;

    public CorosyncDaemon(CorosyncConfig config, DaemonSetup setup, HaPaths paths, ConfigPaths configPaths, DaemonLog log,
        TimeProvider time, Func<string, string?> getEnv)
    {
        _config = config;
        _setup = setup;
        _paths = paths;
        _configPaths = configPaths;
        _log = log;
        _time = time;
        _getEnv = getEnv;
        _votequorum = new Votequorum(setup.Quorum);
        _cpg = new CpgService(setup.LocalNode);
        _loop = new EventLoop<DaemonInput, ServiceEffect>(Step, Interpret);
        _timers = _loop.CreateTimers<DaemonTimer>(time, timer => new TimerInput(timer));
        _cfg = new CfgService(setup.LocalNode, reason => _loop.Post(new StopInput(reason)));
        _host = new ServiceHost(setup.LocalNode, [_cfg, _cpg, _votequorum]);
    }

    public string SocketPath => Path.Combine(_paths.CorosyncRun, IpcFraming.SocketName);

    /// <summary>Asks the loop to leave the ring and stop (SIGTERM).</summary>
    public void RequestStop(string reason) => _loop.Post(new StopInput(reason));

    /// <summary>Runs until stopped; returns the exit code (0 after a clean stop).</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => RequestStop("signal"));
        var transportName = _config.Transport switch
        {
            Config.TransportKind.Udpu => "UDP/IP Unicast",
            Config.TransportKind.Udp => "UDP/IP Multicast",
            _ => "Kronosnet",
        };
        _log.Notice("TOTEM ", $"Initializing transport ({transportName}).");
        ITransport transport;
        try
        {
            transport = TransportFactory.Create(_setup.Transport, _log.For("TOTEM "), _time, CryptoEnvelope.NewEpoch(_time));
        }
        catch (Exception e) when (e is TransportException or ArgumentException or System.Net.Sockets.SocketException)
        {
            _log.Write("error", "MAIN  ", e.Message);
            return 15;
        }
        var node = new TotemNode(_setup.Totem);
        _runtime = new TotemRuntime(node, transport, new RuntimeOptions(_setup.LocalNode, _configPaths.StateDir), _time, _log.ForTotem("TOTEM "));

        LoadServices();
        var uids = new HashSet<uint>();
        var gids = new HashSet<uint>();
        foreach (var kv in _config.Other)
        {
            if (kv.Key.StartsWith("uidgid.uid.", StringComparison.Ordinal) && uint.TryParse(kv.Key["uidgid.uid.".Length..], CultureInfo.InvariantCulture, out var u)) uids.Add(u);
            if (kv.Key.StartsWith("uidgid.gid.", StringComparison.Ordinal) && uint.TryParse(kv.Key["uidgid.gid.".Length..], CultureInfo.InvariantCulture, out var g)) gids.Add(g);
        }
        _ipc = new IpcServer(SocketPath, new IpcAccessPolicy(PeerCredentials.EffectiveUid(), uids, gids), _log.For("QB    "));
        try
        {
            Directory.CreateDirectory(_configPaths.StateDir);
            _ipc.Start();
            StartLibqb();
            _runtime.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or TransportException)
        {
            _log.Write("error", "MAIN  ", e.Message);
            _log.Write("error", "MAIN  ", "Corosync Cluster Engine exiting with status 15.");
            await _ipc.DisposeAsync().ConfigureAwait(false);
            await StopLibqbAsync().ConfigureAwait(false);
            await _runtime.DisposeAsync().ConfigureAwait(false);
            return 15;
        }
        for (int link = 0; link < _setup.Transport.LinkCount; link++)
        {
            _log.Info("TOTEM ", $"Configuring link {link}");
            _log.Info("TOTEM ", $"Configured link number {link}: local addr: {_setup.Transport.LocalAddress(link)}, port={_setup.Transport.Port}");
        }
        SdNotify.Notify("READY=1", _getEnv);

        var runtime = _runtime;
        _ = Task.Run(async () =>
        {
            Exception? error = null;
            try
            {
                await foreach (var e in runtime.Deliveries.ReadAllAsync().ConfigureAwait(false))
                    _loop.Post(new TotemOutput(e));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                error = e;
            }
            _loop.Post(new TotemEnded(error));
        }, CancellationToken.None);
        var ipc = _ipc;
        _ = Task.Run(async () =>
        {
            await foreach (var m in ipc.Inbound.ReadAllAsync().ConfigureAwait(false))
                _loop.Post(new ClientInput(m));
        }, CancellationToken.None);

        await _loop.RunAsync(CancellationToken.None).ConfigureAwait(false);
        return await ShutdownAsync(_exit).ConfigureAwait(false);
    }

    private void LoadServices()
    {
        foreach (var entry in CmapFlattener.All(_config))
            _cmap.Set(entry.Key, entry.Value, null);
        _cmap.Set("nodelist.local_node_pos", CmapValue.U32((uint)_setup.Nodes.IndexOf(_setup.Nodes.First(n => n.Id == _setup.LocalNode))), null);
        CmapRuntimeKeys.Initialize(_cmap);
        _log.Notice("SERV  ", "Service engine loaded: corosync configuration map access [0]");
        _log.Info("QB    ", "server name: cmap");
        _log.Notice("SERV  ", "Service engine loaded: corosync configuration service [1]");
        _log.Info("QB    ", "server name: cfg");
        _log.Notice("SERV  ", "Service engine loaded: corosync cluster closed process group service v1.01 [2]");
        _log.Info("QB    ", "server name: cpg");
        foreach (var warning in _setup.QuorumWarnings)
            _log.Write("crit", "VOTEQ ", warning);
        Apply(_host.Run(_votequorum.Start));
        _log.Notice("SERV  ", "Service engine loaded: corosync vote quorum service v1.0 [5]");
        _log.Info("QB    ", "server name: votequorum");
        _log.Notice("SERV  ", "Service engine loaded: corosync cluster quorum service v0.1 [3]");
        _log.Info("QB    ", "server name: quorum");
        UpdateQuorumKeys();
    }

    private async Task<int> ShutdownAsync(int exit)
    {
        SdNotify.Notify("STOPPING=1", _getEnv);
        _log.FlushMembershipLines();
        if (_stopReason == "signal")
            _log.Notice("MAIN  ", "Node was shut down by a signal");
        _log.Notice("SERV  ", "Unloading all Corosync service engines.");
        _log.Info("QB    ", "withdrawing server sockets");
        if (_ipc is not null)
            await _ipc.DisposeAsync().ConfigureAwait(false);
        await StopLibqbAsync().ConfigureAwait(false);
        foreach (var name in new[] { "corosync vote quorum service v1.0", "corosync configuration map access", "corosync configuration service",
                     "corosync cluster closed process group service v1.01", "corosync cluster quorum service v0.1" })
            _log.Notice("SERV  ", "Service engine unloaded: " + name);
        _timers.Dispose();
        if (_runtime is not null)
        {
            try
            {
                await _runtime.StopAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
            {
                _log.Write("warning", "TOTEM ", "leaving the ring did not complete: " + e.Message);
            }
            await _runtime.DisposeAsync().ConfigureAwait(false);
        }
        if (exit == 0)
            _log.Notice("MAIN  ", "Corosync Cluster Engine exiting normally");
        else
            _log.Write("error", "MAIN  ", $"Corosync Cluster Engine exiting with status {exit}.");
        return exit;
    }

    /// <summary>The loop's step: one input to the services; returns the effects to carry out.</summary>
    private IReadOnlyList<ServiceEffect> Step(DaemonInput input)
    {
        _stepOutput = [];
        try
        {
            Handle(input);
            return _stepOutput;
        }
        finally
        {
            _stepOutput = null;
        }
    }

    private void Handle(DaemonInput input)
    {
        switch (input)
        {
            case StopInput stop:
                _stopReason = stop.Reason;
                _loop.Halt();
                return;
            case TotemEnded ended:
                _log.Write("error", "MAIN  ", "Totem stopped: " + (ended.Error?.Message ?? "no reason given"));
                _exit = 1;
                _loop.Halt();
                return;
            case TotemOutput { Effect: DeliverConfiguration conf }:
                Apply(_host.OnConfiguration(conf.Change));
                if (conf.Change.Kind == ConfigurationKind.Regular)
                {
                    _membersDirty = true;
                    // After the services' sync lines (effects of this step), as corosync orders them.
                    Emit(new FlushMembershipLog());
                }
                break;
            case TotemOutput { Effect: Deliver deliver }:
                Apply(_host.OnDelivery(deliver.Delivery));
                break;
            case TimerInput { Timer: var timer } when !_timers.TryFire(timer):
                return; // a stale callback: the timer was re-armed or cancelled since
            case TimerInput { Timer: ServiceTimerKey { Service: ServiceId.Votequorum } }:
                Apply(_host.Run(_votequorum.OnTimer));
                UpdateQuorumKeys();
                break;
            case TimerInput { Timer: ShutdownVoteTimer }:
                ShutdownVoteExpired();
                break;
            case ClientInput { Inbound: { Request: null } gone }:
                Apply(_host.Run(o => _cpg.ClientGone(gone.Client, o)));
                _votequorum.ClientGone(gone.Client);
                _cmap.ClientGone(gone.Client);
                break;
            case ClientInput { Inbound: var request }:
                HandleRequest(request);
                break;
            case QbConnectingInput connecting:
                connecting.Ask.Decision.TrySetResult(Admit(connecting.Ask));
                break;
            case QbInput qb:
                HandleLibqb(qb.Inbound);
                break;
        }
        if (_membersDirty && !_host.Synchronizing)
        {
            _membersDirty = false;
            _readyForClients = true;
            var output = new ServiceOutput();
            CmapRuntimeKeys.UpdateMembers(_cmap, _host.Members, id => [.. _setup.Nodes.First(n => n.Id == id).Addresses.Select(a => a.ToString())], output);
            Apply(output.Drain());
            UpdateQuorumKeys();
        }
    }

    private void UpdateQuorumKeys()
    {
        var (lowest, highest) = _votequorum.NodeIdRange();
        var output = new ServiceOutput();
        CmapRuntimeKeys.UpdateVotequorum(_cmap, _votequorum.Status(), lowest, highest, output);
        Apply(output.Drain());
    }

    /// <summary>Inside a step: queues the effects after those already produced; outside (start-up): carries them out now.</summary>
    private void Apply(IReadOnlyList<ServiceEffect> effects)
    {
        if (_stepOutput is { } output)
            output.AddRange(effects);
        else
            foreach (var effect in effects) Carry(effect);
    }

    private void Emit(ServiceEffect effect)
    {
        if (_stepOutput is { } output)
            output.Add(effect);
        else
            Carry(effect);
    }

    private ValueTask Interpret(ServiceEffect effect)
    {
        Carry(effect);
        return ValueTask.CompletedTask;
    }

    /// <summary>The loop's interpreter.</summary>
    private void Carry(ServiceEffect effect)
    {
        {
            switch (effect)
            {
                case SubmitFrame submit:
                    var task = _runtime!.SubmitAsync(submit.Frame);
                    if (!task.IsCompleted)
                        _ = task.ContinueWith(t => _log.Write("error", "MAIN  ", "could not hand a message to Totem: " + t.Exception?.GetBaseException().Message),
                            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    else if (task.IsFaulted)
                        _log.Write("error", "MAIN  ", "could not hand a message to Totem: " + task.Exception?.GetBaseException().Message);
                    break;
                case ServiceLog log:
                    _log.Write(DaemonLog.Priority(log.Level), log.Subsystem, log.Text);
                    break;
                case NotifyClient notify when _qbClients.ContainsKey(notify.Client):
                    LibqbEvent(notify.Client, notify.Event);
                    break;
                case NotifyClient notify:
                    if (ToIpc(notify.Event) is { } message)
                        _ipc?.Send(notify.Client, message);
                    break;
                case ServiceTimer timer:
                    if (timer.After is { } after)
                        _timers.Arm(new ServiceTimerKey(timer.Service), after);
                    else
                        _timers.Cancel(new ServiceTimerKey(timer.Service));
                    break;
                case FlushMembershipLog:
                    _log.FlushMembershipLines();
                    break;
                case SendToClient send:
                    _ipc?.Send(send.Client, send.Message);
                    break;
                case SendQbReply reply:
                    _libqb?.Reply(reply.Client, reply.Reply);
                    break;
                case SendQbEvent e:
                    _libqb?.Event(e.Client, e.Event);
                    break;
                case DisconnectClient disconnect:
                    _ipc?.Disconnect(disconnect.Client);
                    _libqb?.Disconnect(disconnect.Client);
                    break;
            }
        }
    }

    private static List<CpgMemberInfo> Members(IEnumerable<CpgAddress> list) =>
        [.. list.Select(a => new CpgMemberInfo(a.Node.Value, a.Pid, (uint)a.Reason))];

    private static IpcCallback? ToIpc(ClientEvent e) => e switch
    {
        QuorumChangedEvent q => new QuorumEventCallback(q.Quorate, q.RingId.ToString(), [.. q.Members.Select(m => m.Value)]),
        CpgConfigurationChangedEvent c => new CpgConfchgCallback(c.Group, Members(c.Members), Members(c.Left), Members(c.Joined)),
        CpgMessageEvent m => new CpgDeliverCallback(m.Group, m.Node.Value, m.Pid, m.Payload),
        CpgTotemChangedEvent t => new CpgTotemCallback(t.RingId.ToString(), [.. t.Members.Select(m => m.Value)]),
        CmapTrackEvent t => new CmapTrackCallback(t.TrackId, t.Key, t.Change.ToString().ToLowerInvariant(),
            (t.NewValue ?? t.OldValue)?.Type.Name(), t.NewValue?.Format()),
        _ => null,
    };

    /// <summary>Multicasts a votequorum reconfiguration, or refuses a request it could not be made from.</summary>
    private void SendReconfigure(IpcInbound request, ReconfigureMessage? message)
    {
        if (message is null)
        {
            Reply(request, Outcome("CS_ERR_INVALID_PARAM"));
            return;
        }
        Apply(_host.Run(o => o.Send(ServiceId.Votequorum, message.Function, message.Encode())));
        Reply(request, new StatusReply());
    }

    private static StatusReply Outcome(string error) => new() { Error = error };

    private void Reply(IpcInbound request, IpcReply reply) =>
        Emit(new SendToClient(request.Client, reply with { Seq = request.Request!.Seq }));

    private static string ErrorName(CmapError e) => e switch
    {
        CmapError.Ok => "CS_OK",
        CmapError.NotExist => "CS_ERR_NOT_EXIST",
        CmapError.NameTooLong => "CS_ERR_NAME_TOO_LONG",
        CmapError.Access => "CS_ERR_ACCESS",
        CmapError.TooBig => "CS_ERR_TOO_BIG",
        CmapError.NoMemory => "CS_ERR_NO_MEMORY",
        _ => "CS_ERR_INVALID_PARAM",
    };

    private static string ErrorName(CpgResult r) => r switch
    {
        CpgResult.Ok => "CS_OK",
        CpgResult.Exist => "CS_ERR_EXIST",
        CpgResult.NotExist => "CS_ERR_NOT_EXIST",
        _ => "CS_ERR_INVALID_PARAM",
    };

    private void RefreshCounters()
    {
        CmapRuntimeKeys.UpdateServiceCounters(_cmap, _host);
        if (_runtime is null)
            return;
        var snapshot = _runtime.Transport.Counters.Snapshot();
        foreach (var (reason, count) in snapshot.Drops)
            _cmap.Set("runtime.totem.dropped." + SnakeCase(reason.ToString()), CmapValue.U64((ulong)count), null);
        _cmap.Set("runtime.totem.dropped.invalid_service_frame", CmapValue.U64((ulong)_host.DroppedFrames), null);
        _cmap.Set("stats.srp.rx_msg_dropped", CmapValue.U64((ulong)(snapshot.TotalDropped + _host.DroppedFrames)), null);
        _cmap.Set("runtime.totem.packets_sent", CmapValue.U64((ulong)snapshot.Sent), null);
        _cmap.Set("runtime.totem.packets_accepted", CmapValue.U64((ulong)snapshot.Accepted), null);
    }

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private void HandleRequest(IpcInbound request)
    {
        var client = request.Client;
        // The kernel's peer credentials: requests carry no pid, so a client cannot join a group
        // under another process's pid (and impersonate it to the group's members).
        uint pid = request.Pid;
        switch (request.Request!)
        {
            case CmapGetRequest get:
            {
                RefreshCounters();
                var v = _cmap.Get(get.Key);
                Reply(request, v is null ? Outcome("CS_ERR_NOT_EXIST") : new CmapValueReply(get.Key, v.Type.Name(), v.Format()));
                break;
            }
            case CmapIterRequest iter:
                RefreshCounters();
                Reply(request, new CmapItemsReply([.. _cmap.Iterate(iter.Prefix).Select(kv => new CmapItem(kv.Key, kv.Value.Type.Name(), kv.Value.Format()))]));
                break;
            case CmapSetRequest set:
            {
                if (!CmapTypes.TryParseName(set.Type, out var type) || !CmapValue.TryParse(type, set.Value, out var value))
                {
                    Reply(request, Outcome("CS_ERR_INVALID_PARAM"));
                    break;
                }
                var output = new ServiceOutput();
                var error = _cmap.ClientSet(set.Key, value, output);
                Apply(output.Drain());
                Reply(request, Outcome(ErrorName(error)));
                break;
            }
            case CmapDeleteRequest delete:
            {
                var output = new ServiceOutput();
                var error = _cmap.ClientDelete(delete.Key, output);
                Apply(output.Drain());
                Reply(request, Outcome(ErrorName(error)));
                break;
            }
            case CmapDeletePrefixRequest deletePrefix:
            {
                var output = new ServiceOutput();
                _cmap.DeletePrefix(deletePrefix.Prefix, output);
                Apply(output.Drain());
                Reply(request, new StatusReply());
                break;
            }
            case CmapTrackRequest track:
                Reply(request, new CmapTrackReply(_cmap.Track(client, track.Key, track.Prefix)));
                break;
            case QuorumStatusRequest:
                Reply(request, new QuorumStatusReply(QuorumInfo()));
                break;
            case QuorumTrackRequest:
                Reply(request, new StatusReply());
                Apply(_host.Run(o => _votequorum.Track(client, o)));
                break;
            case QuorumSetExpectedRequest expected:
                SendReconfigure(request, _votequorum.RequestExpectedVotes(expected.ExpectedVotes));
                break;
            case QuorumSetVotesRequest votes:
            {
                var target = votes.NodeId == 0 ? _setup.LocalNode : new NodeId(votes.NodeId);
                SendReconfigure(request, _votequorum.RequestNodeVotes(target, votes.Votes));
                break;
            }
            case CpgInitRequest:
                _cpg.Register(client);
                Reply(request, new CpgInitReply(_setup.LocalNode.Value));
                break;
            case CpgJoinRequest join:
            {
                CpgResult r = CpgResult.InvalidParam;
                Apply(_host.Run(o => r = _cpg.Join(client, join.Group, pid, o)));
                Reply(request, Outcome(ErrorName(r)));
                break;
            }
            case CpgLeaveRequest leave:
            {
                CpgResult r = CpgResult.InvalidParam;
                Apply(_host.Run(o => r = _cpg.Leave(client, leave.Group, pid, o)));
                Reply(request, Outcome(ErrorName(r)));
                break;
            }
            case CpgMcastRequest mcast:
            {
                CpgResult r = CpgResult.InvalidParam;
                Apply(_host.Run(o => r = _cpg.Multicast(client, mcast.Group, pid, mcast.Data, o)));
                Reply(request, Outcome(ErrorName(r)));
                break;
            }
            case CpgMembersRequest members:
                Reply(request, new CpgMembersReply(Members(_cpg.MembersOf(members.Group))));
                break;
            case CpgGroupsRequest:
                Reply(request, new CpgGroupsReply([.. _cpg.Groups().Select(g => new CpgGroupInfo(g.Group, Members(g.Members)))]));
                break;
            case CfgStatusRequest:
                RefreshCounters();
                Reply(request, new CfgStatusReply(CfgInfo()));
                break;
            case CfgReloadRequest:
                _log.Notice("CFG   ", $"Config reload requested by node {_setup.LocalNode}");
                Reply(request, new StatusReply());
                break;
            case CfgKillRequest kill:
                Apply(_host.Run(o => o.Send(ServiceId.Cfg, CfgService.KillNode, CfgService.Encode(new NodeId(kill.NodeId)))));
                Reply(request, new StatusReply());
                break;
            case CfgShutdownRequest:
                Apply(_host.Run(o => o.Send(ServiceId.Cfg, CfgService.Shutdown, CfgService.Encode(_setup.LocalNode))));
                Reply(request, new StatusReply());
                break;
            default:
                // A request type the decoder knows but this switch does not: a programming error, still answered.
                Reply(request, new StatusReply { Error = IpcRequestDecoder.NotSupported, Detail = $"{IpcOps.NameOf(request.Request!)} is not handled" });
                break;
        }
    }

    private QuorumInfo QuorumInfo()
    {
        var s = _votequorum.Status();
        var members = s.Members.Select(mem =>
        {
            var n = _setup.Nodes.FirstOrDefault(x => x.Id == mem.Node);
            return new QuorumMemberInfo(mem.Node.Value, mem.Votes, n?.Name, n?.Addresses.FirstOrDefault()?.ToString() ?? mem.Node.ToString());
        }).ToList();
        return new QuorumInfo(s.LocalNode.Value, s.RingId.ToString(), s.Quorate, s.ExpectedVotes, s.HighestExpected, s.TotalVotes, s.Quorum,
            s.TwoNode, s.WaitForAll, s.WaitForAllStatus, s.LastManStanding, s.AutoTieBreaker, s.AllowDownscale, members);
    }

    private CfgInfo CfgInfo()
    {
        var transport = _runtime!.Transport;
        var statuses = transport.Links;
        var links = new List<CfgLinkInfo>();
        for (int link = 0; link < _setup.Transport.LinkCount; link++)
        {
            var nodes = new List<CfgNodeLink>();
            foreach (var n in _setup.Nodes)
            {
                if (n.Id == _setup.LocalNode)
                {
                    nodes.Add(new CfgNodeLink(n.Id.Value, "localhost", true, true, null));
                    continue;
                }
                var st = statuses.FirstOrDefault(x => x.Peer == n.Id && x.Link == link);
                bool connected = st?.Connected ?? _host.Members.Contains(n.Id);
                nodes.Add(new CfgNodeLink(n.Id.Value, connected ? "connected" : "disconnected", st?.Active ?? true, connected, st?.Remote.Address.ToString()));
            }
            links.Add(new CfgLinkInfo(link, _setup.Transport.LocalAddress(link).ToString(), _setup.Transport.Kind == Config.TransportKind.Knet ? "udp" : "", nodes));
        }
        var dropped = transport.Counters.Snapshot().Drops.Where(kv => kv.Value > 0).ToDictionary(kv => SnakeCase(kv.Key.ToString()), kv => kv.Value);
        if (_host.DroppedFrames > 0)
            dropped["invalid_service_frame"] = _host.DroppedFrames;
        return new CfgInfo(_setup.LocalNode.Value, _config.Transport.Name(), links, dropped, (uint)_setup.Totem.FramePayload);
    }
}
