using System.Globalization;
using Cluster.Common.Loop;
using Cluster.Common.Paths;
using Cluster.Crm.Attributes;
using Cluster.Crm.CibClient;
using Cluster.Crm.Cib;
using Cluster.Crm.CibManager;
using Cluster.Crm.Execd;
using Cluster.Crm.Fencing;
using Cluster.Crm.Node;
using Cluster.Crm.Scheduler;
using Cluster.Messaging.Client;

namespace Cluster.Crm.Daemon;

/// <summary>
/// pacemakerd's process: waits for the local corosync, joins the `cib` CPG group, and runs the
/// CIB manager core (<see cref="CibCore"/>) on one <see cref="EventLoop{TInput,TEffect}"/>, with
/// the local client socket (<see cref="CibServer"/>) and the on-disk CIB (<see cref="CibStore"/>)
/// as its shell, together with the controller, the DC's transition engine and the local resource
/// manager (all in <see cref="PacemakerNode"/>), the executor (<see cref="ExecutorShell"/>), the
/// scheduler (run off the loop), votequorum tracking, the attribute manager's `attrd` group and
/// socket (<see cref="AttributeServer"/>) and the fencer's socket (<see cref="FencerServer"/>).
/// </summary>
public sealed class PacemakerDaemon
{
    public const string Version = "2.1.5";
    public const string CibGroup = "cib";

    private readonly HaPaths _paths;
    private readonly PacemakerLog _log;

    public PacemakerDaemon(HaPaths paths, PacemakerLog log)
    {
        _paths = paths;
        _log = log;
    }

    public string CibDirectory => Path.Combine(_paths.PacemakerLib, "cib");

    /// <summary>How long one fence agent call may take (stonith-timeout's default).</summary>
    public static readonly TimeSpan FenceTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long a clean stop waits for the DC to move this node's resources away.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(60);

    /// <summary>Runs until <paramref name="stop"/> (then shuts down cleanly); returns the exit code (0 on a clean leave).</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        _log.Write("pacemakerd", "main", "notice", $"Starting Pacemaker {Version}");
        var store = new CibStore(CibDirectory);
        var messages = new List<CibStoreMessage>();
        var stored = store.Load(messages);
        foreach (var m in messages) _log.Write("pacemaker-based", m.Function, m.Level, m.Text);

        var cpg = await WaitForCorosyncAsync(stop).ConfigureAwait(false);
        if (cpg is null) return stop.IsCancellationRequested ? 0 : 1;
        await using (cpg.ConfigureAwait(false))
        {
            var localNode = cpg.LocalNodeId;
            var (names, clusterName) = await NodeNamesAsync(stop).ConfigureAwait(false);
            var name = names.TryGetValue(localNode, out var n) ? n : System.Net.Dns.GetHostName().Split('.')[0];
            if (!names.ContainsKey(localNode)) names[localNode] = name;
            _log.Write("pacemaker-based", "cib_init", "info", $"Local node is {name} (nodeid {localNode}); CIB version {CibOperations.VersionOf(stored)}");

            await using var writer = new CibWriter(cib =>
            {
                try
                {
                    store.Write(cib);
                    _log.Write("pacemaker-based", "write_cib_contents", "info", $"Wrote version {CibOperations.VersionOf(cib)} of the CIB to disk");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _log.Write("pacemaker-based", "write_cib_contents", "error", $"Could not write the CIB to {store.CibFile}: {e.Message}");
                }
            });
            var node = new PacemakerNode(localNode, names, stored, clusterName: clusterName);
            var agentRunner = ExecutorShell.CreateAgentRunner(Environment.GetEnvironmentVariable);
            using var executor = new ExecutorShell(agentRunner, TimeProvider.System);
            var fencer = new Fencer(agentRunner, (level, function, text) => _log.Write("pacemaker-fenced", function, level, text));
            CibServer? server = null;
            AttributeServer? attrdServer = null;
            FencerServer? fencerServer = null;
            EventLoop<NodeInput, NodeEffect>? loopRef = null;
            LoopTimers<NodeTimer>? timers = null;
            var socketPath = CibWire.SocketPath(_paths);
            var pengine = Path.Combine(_paths.PacemakerLib, "pengine");
            using var loopStop = new CancellationTokenSource();

            IReadOnlyList<NodeEffect> Step(NodeInput input)
            {
                // A timer callback that raced with a re-arm or cancel is stale.
                if (input is TimerFired t && !timers!.TryFire(t.Timer)) return [];
                return node.Handle(input, timers!.Now, DateTimeOffset.UtcNow);
            }
            var loop = new EventLoop<NodeInput, NodeEffect>(Step, async effect =>
            {
                switch (effect)
                {
                    case SendToGroup s:
                        try
                        {
                            await cpg.SendAsync(s.Group, s.Payload, loopStop.Token).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException or OperationCanceledException)
                        {
                            _log.Write("pacemaker-based", "send_cluster_message", "error", $"Could not send to the {s.Group} group: {e.Message}");
                        }
                        break;
                    case JoinAttributeGroup:
                        if (attrdServer is null)
                        {
                            attrdServer = new AttributeServer(AttributeClientWire.SocketPath(_paths), name, i => loopRef!.Post(i),
                                (level, text) => _log.Write("pacemaker-attrd", "attrd_ipc", level, text));
                            _ = attrdServer.RunAsync();
                        }
                        try
                        {
                            await cpg.JoinAsync(PacemakerNode.AttrdGroup, loopStop.Token).ConfigureAwait(false);
                            _ = Task.Run(() => EnsureMemberAsync(cpg, PacemakerNode.AttrdGroup, loopStop.Token));
                        }
                        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException or OperationCanceledException)
                        {
                            _log.Write("pacemaker-attrd", "attrd_cluster_connect", "error", $"Could not join the attrd group: {e.Message}");
                        }
                        break;
                    case AttributeClientReply reply:
                        if (attrdServer is not null) await attrdServer.RespondAsync(reply).ConfigureAwait(false);
                        break;
                    case JoinControllerGroup:
                        if (server is null)
                        {
                            server = new CibServer(socketPath, i => loopRef!.Post(new CibIn(i)), (level, text) => _log.Write("pacemaker-based", "cib_ipc", level, text));
                            _ = server.RunAsync();
                            fencerServer = new FencerServer(FencerWire.SocketPath(_paths), fencer, name, node.Cib.Cib,
                                (level, text) => _log.Write("pacemaker-fenced", "st_ipc", level, text), loopStop.Token);
                            _ = fencerServer.RunAsync();
                            _log.Write("pacemakerd", "main", "notice", "Pacemaker daemon successfully started and accepting connections");
                        }
                        try
                        {
                            await cpg.JoinAsync(PacemakerNode.CrmdGroup, loopStop.Token).ConfigureAwait(false);
                            _ = Task.Run(() => EnsureMemberAsync(cpg, PacemakerNode.CrmdGroup, loopStop.Token));
                        }
                        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException or OperationCanceledException)
                        {
                            _log.Write("pacemaker-controld", "crm_cluster_connect", "error", $"Could not join the crmd group: {e.Message}");
                        }
                        break;
                    case CibOut { Effect: CibRespond r }:
                        if (server is not null) await server.RespondAsync(r.ClientId, r.CallId, r.Reply).ConfigureAwait(false);
                        break;
                    case CibOut { Effect: CibPersist p }:
                        writer.Submit(p.Cib);
                        break;
                    case CibOut { Effect: CibNotify notify }:
                        fencerServer?.UpdateCib(node.Cib.Cib);
                        if (server is not null) await server.NotifyAsync(notify.Version).ConfigureAwait(false);
                        break;
                    case ArmTimer a:
                        timers!.Arm(a.Timer, a.After);
                        break;
                    case CancelTimer c:
                        timers!.Cancel(c.Timer);
                        break;
                    case StartScheduler run:
                        _ = Task.Run(() => loopRef!.Post(RunScheduler(run, pengine)));
                        break;
                    case ExecutorSubmit submit:
                        node.Submitted(executor.Submit(submit.Agent), submit.For);
                        break;
                    case ExecutorCancel cancel:
                        executor.Cancel(cancel.ResourceId, cancel.Action, cancel.Interval);
                        break;
                    case FenceNode fence:
                        var snapshot = node.Cib.Cib;
                        _ = Task.Run(async () =>
                        {
                            var (ok, detail) = await fencer.FenceAsync(snapshot, fence.Target, fence.Action, FenceTimeout, name, loopStop.Token).ConfigureAwait(false);
                            loopRef!.Post(new FencingFinished(fence.Target, ok, detail));
                        });
                        break;
                    case LogLine line:
                        _log.Write(line.Daemon, line.Function, line.Level, line.Text);
                        break;
                    case NodeExit exit:
                        _log.Write("pacemakerd", "pcmk_shutdown_worker", "notice", $"Leaving: {exit.Reason}");
                        loopRef!.Stop();
                        break;
                }
            });
            loopRef = loop;
            timers = loop.CreateTimers<NodeTimer>(TimeProvider.System, key => new TimerFired(key));
            using var stopRegistration = stop.Register(() =>
            {
                loop.Post(new ShutdownRequested());
                // Bounded: a DC that never answers does not keep this node up.
                loopStop.CancelAfter(ShutdownGrace);
            });
            try
            {
                // Sends and the CPG pump live until the loop ends, not until SIGTERM: a clean stop
                // needs both to hand the resources over (shutdown attribute out, the DC's stops in).
                var pump = Task.Run(() => PumpAsync(cpg, loop, loopStop.Token));
                var results = Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var r in executor.Results.ReadAllAsync(loopStop.Token).ConfigureAwait(false))
                            loop.Post(new ExecutorReported(r));
                    }
                    catch (OperationCanceledException)
                    {
                    }
                });
                var quorum = Task.Run(() => QuorumAsync(loop, loopStop.Token));
                await cpg.JoinAsync(CibGroup, stop).ConfigureAwait(false);
                _ = Task.Run(() => EnsureMemberAsync(cpg, CibGroup, loopStop.Token));
                await loop.RunAsync(loopStop.Token).ConfigureAwait(false);
                _log.Write("pacemakerd", "pcmk_shutdown_worker", "notice", "Shutting down Pacemaker");
                loopStop.Cancel();
                foreach (var group in new[] { PacemakerNode.CrmdGroup, PacemakerNode.AttrdGroup, CibGroup })
                {
                    try
                    {
                        using var leave = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                        await cpg.LeaveAsync(group, leave.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or OperationCanceledException or IOException)
                    {
                    }
                }
            }
            finally
            {
                timers.Dispose();
                server?.Dispose();
                attrdServer?.Dispose();
                fencerServer?.Dispose();
            }
        }
        _log.Write("pacemakerd", "pcmk_shutdown_worker", "notice", "Shutdown complete");
        return 0;
    }

    /// <summary>Runs the scheduler on a CIB snapshot (off the loop) and saves its input as pe-input-N.xml.</summary>
    private SchedulerFinished RunScheduler(StartScheduler run, string pengine)
    {
        try
        {
            var result = Scheduler.Scheduler.Schedule(CibDocument.FromElement(run.Cib), new SchedulerOptions { Now = DateTimeOffset.UtcNow });
            SavePeInput(run, pengine);
            return new SchedulerFinished(run.TransitionId, result.Graph, null);
        }
        catch (Exception e) when (e is CibParseException or InvalidOperationException or ArgumentException or FormatException)
        {
            return new SchedulerFinished(run.TransitionId, null, e.Message);
        }
    }

    /// <summary>Keeps the last <see cref="PeInputSeriesMax"/> scheduler inputs, for crm_simulate -x.</summary>
    public const int PeInputSeriesMax = 100;

    private void SavePeInput(StartScheduler run, string pengine)
    {
        try
        {
            Directory.CreateDirectory(pengine);
            var slot = run.TransitionId % PeInputSeriesMax;
            var file = Path.Combine(pengine, $"pe-input-{slot.ToString(CultureInfo.InvariantCulture)}.xml");
            AtomicFile.Write(file, run.Cib.ToString());
            _log.Write("pacemaker-schedulerd", "pcmk__log_transition_summary", "notice", $"Calculated transition {run.TransitionId}, saving inputs in {file}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Write("pacemaker-schedulerd", "pcmk__log_transition_summary", "warning", $"Could not save the scheduler input: {e.Message}");
        }
    }

    private static async Task PumpAsync(CpgClient cpg, EventLoop<NodeInput, NodeEffect> loop, CancellationToken stop)
    {
        try
        {
            await foreach (var e in cpg.Events.ReadAllAsync(stop).ConfigureAwait(false))
            {
                switch (e)
                {
                    case CpgClientMessage m when m.Group == CibGroup:
                        loop.Post(new CibIn(new CibDelivered(m.NodeId, m.Data)));
                        break;
                    case CpgClientMessage m when m.Group == PacemakerNode.CrmdGroup:
                        loop.Post(new CrmdDelivered(m.NodeId, m.Data));
                        break;
                    case CpgClientConfigurationChange c when c.Group == CibGroup:
                        loop.Post(new CibIn(new CibMembership([.. c.Members.Select(x => x.NodeId)], c.Joined.Count > 0)));
                        break;
                    case CpgClientConfigurationChange c when c.Group == PacemakerNode.CrmdGroup:
                        loop.Post(new CrmdMembership([.. c.Members.Select(x => x.NodeId)], [.. c.Joined.Select(x => x.NodeId)]));
                        break;
                    case CpgClientMessage m when m.Group == PacemakerNode.AttrdGroup:
                        loop.Post(new AttrdDelivered(m.NodeId, m.Data));
                        break;
                    case CpgClientConfigurationChange c when c.Group == PacemakerNode.AttrdGroup:
                        loop.Post(new AttrdMembership([.. c.Members.Select(x => x.NodeId)]));
                        break;
                    case CpgClientDisconnected:
                        loop.Post(new CibIn(new CibMembership([])));
                        loop.Post(new CrmdMembership([]));
                        loop.Post(new AttrdMembership([]));
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or CorosyncUnavailableException)
        {
        }
        // Corosync is gone for good: pacemakerd cannot work without it.
        loop.Stop();
    }

    /// <summary>
    /// Checks (bounded: 6 times, 5 s apart) that this node shows in the group after joining, and
    /// joins again if not. Seen once under heavy load while the first ring formed: a join that
    /// never took effect left the node outside the `cib` group for good.
    /// </summary>
    private async Task EnsureMemberAsync(CpgClient cpg, string group, CancellationToken stop)
    {
        for (int attempt = 0; attempt < 6; attempt++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stop).ConfigureAwait(false);
                var members = await cpg.MembersAsync(group, stop).ConfigureAwait(false);
                if (members.Any(m => m.NodeId == cpg.LocalNodeId))
                    return;
                _log.Write("pacemakerd", "crm_cluster_connect", "warning", $"Not a member of the {group} group 5 s after joining it; joining again");
                try
                {
                    await cpg.LeaveAsync(group, stop).ConfigureAwait(false);
                }
                catch (CorosyncRequestException)
                {
                }
                // The leave frees the join when it is delivered: give it a moment.
                await Task.Delay(TimeSpan.FromMilliseconds(500), stop).ConfigureAwait(false);
                await cpg.JoinAsync(group, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException)
            {
                _log.Write("pacemakerd", "crm_cluster_connect", "warning", $"Could not check the {group} group: {e.Message}");
            }
        }
    }

    /// <summary>Tracks votequorum: the members and whether this partition is quorate.</summary>
    private async Task QuorumAsync(EventLoop<NodeInput, NodeEffect> loop, CancellationToken stop)
    {
        for (int attempt = 0; attempt < 600 && !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                await using var connection = await CorosyncConnection.ConnectAsync(CorosyncConnection.DefaultSocketPath(_paths), stop).ConfigureAwait(false);
                var quorum = new QuorumClient(connection);
                var status = await quorum.GetStatusAsync(stop).ConfigureAwait(false);
                loop.Post(new QuorumChanged([.. status.Members.Select(m => m.NodeId)], status.Quorate));
                await quorum.TrackAsync(stop).ConfigureAwait(false);
                await foreach (var m in connection.Events.ReadAllAsync(stop).ConfigureAwait(false))
                    if (m is Cluster.Messaging.Ipc.QuorumEventCallback q)
                        loop.Post(new QuorumChanged(q.Nodes, q.Quorate));
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException)
            {
                if (attempt % 10 == 0)
                    _log.Write("pacemaker-controld", "pcmk_quorum_dispatch", "warning", $"Lost the quorum connection: {e.Message}");
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<CpgClient?> WaitForCorosyncAsync(CancellationToken stop)
    {
        var socket = CorosyncConnection.DefaultSocketPath(_paths);
        for (int attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                return await CpgClient.ConnectAsync(socket, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException)
            {
                if (attempt % 10 == 0)
                    _log.Write("pacemakerd", "cluster_connect_cfg", "warning", $"Could not connect to Cluster Configuration Database API, error CS_ERR_TRY_AGAIN (waiting for corosync at {socket})");
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return null;
    }

    /// <summary>Every node's name from cmap's nodelist (name, else ring0_addr) by node id, and totem.cluster_name.</summary>
    private async Task<(Dictionary<uint, string> Names, string? ClusterName)> NodeNamesAsync(CancellationToken stop)
    {
        var names = new Dictionary<uint, string>();
        string? clusterName = null;
        try
        {
            await using var connection = await CorosyncConnection.ConnectAsync(CorosyncConnection.DefaultSocketPath(_paths), stop).ConfigureAwait(false);
            var cmap = new CmapClient(connection);
            var items = await cmap.IterateAsync("nodelist.node.", stop).ConfigureAwait(false);
            foreach (var node in items.GroupBy(i => i.Key.Split('.')[2]))
            {
                var idText = node.FirstOrDefault(i => i.Key.EndsWith(".nodeid", StringComparison.Ordinal))?.Value;
                if (!uint.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
                var name = node.FirstOrDefault(i => i.Key.EndsWith(".name", StringComparison.Ordinal))?.Value
                    ?? node.FirstOrDefault(i => i.Key.EndsWith(".ring0_addr", StringComparison.Ordinal))?.Value;
                if (!string.IsNullOrEmpty(name)) names[id] = name;
            }
            clusterName = (await cmap.IterateAsync("totem.cluster_name", stop).ConfigureAwait(false)).FirstOrDefault()?.Value;
        }
        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException)
        {
            _log.Write("pacemakerd", "get_node_name", "warning", $"Could not read node names from cmap: {e.Message}");
        }
        return (names, clusterName);
    }
}
