using System.Globalization;
using Cluster.Common.Loop;
using Cluster.Common.Paths;
using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;
using Cluster.Messaging.Client;

namespace Cluster.Crm.Daemon;

/// <summary>
/// pacemakerd's process: waits for the local corosync, joins the `cib` CPG group, and runs the
/// CIB manager core (<see cref="CibCore"/>) on one <see cref="EventLoop{TInput,TEffect}"/>, with
/// the local client socket (<see cref="CibServer"/>) and the on-disk CIB (<see cref="CibStore"/>)
/// as its shell. The controller, attribute and fencing cores are planned to join the same loop.
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

    /// <summary>Runs until <paramref name="stop"/>; returns the exit code (0 on a clean leave).</summary>
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
            var name = await LocalNodeNameAsync(localNode, stop).ConfigureAwait(false);
            _log.Write("pacemaker-based", "cib_init", "info", $"Local node is {name} (nodeid {localNode}); CIB version {CibOperations.VersionOf(stored)}");

            var core = new CibCore(localNode, name, stored);
            CibServer? server = null;
            EventLoop<CibInput, CibEffect>? loopRef = null;
            var socketPath = CibWire.SocketPath(_paths);
            // Clients are let in once this node is in the group with a synced copy, so a change
            // right after start is not refused as "not connected".
            IReadOnlyList<CibEffect> Step(CibInput input)
            {
                var effects = core.Handle(input);
                if (server is null && core.Joined && !core.Syncing)
                {
                    server = new CibServer(socketPath, loopRef!.Post, (level, text) => _log.Write("pacemaker-based", "cib_ipc", level, text));
                    _ = server.RunAsync();
                    _log.Write("pacemakerd", "main", "notice", "Pacemaker daemon successfully started and accepting connections");
                }
                return effects;
            }
            var loop = new EventLoop<CibInput, CibEffect>(Step, async effect =>
            {
                switch (effect)
                {
                    case CibSend s:
                        try
                        {
                            await cpg.SendAsync(CibGroup, s.Payload, stop).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException)
                        {
                            _log.Write("pacemaker-based", "cib_process_request", "error", $"Could not send to the cib group: {e.Message}");
                        }
                        break;
                    case CibRespond r:
                        if (server is not null) await server.RespondAsync(r.ClientId, r.CallId, r.Reply).ConfigureAwait(false);
                        break;
                    case CibPersist p:
                        try
                        {
                            store.Write(p.Cib);
                            _log.Write("pacemaker-based", "write_cib_contents", "info", $"Wrote version {CibOperations.VersionOf(p.Cib)} of the CIB to disk");
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            _log.Write("pacemaker-based", "write_cib_contents", "error", $"Could not write the CIB to {store.CibFile}: {e.Message}");
                        }
                        break;
                    case CibNotify n:
                        if (server is not null) await server.NotifyAsync(n.Version).ConfigureAwait(false);
                        break;
                }
            });
            loopRef = loop;
            try
            {
                var pump = Task.Run(() => PumpAsync(cpg, loop, stop));
                await cpg.JoinAsync(CibGroup, stop).ConfigureAwait(false);
                await loop.RunAsync(stop).ConfigureAwait(false);
                _log.Write("pacemakerd", "pcmk_shutdown_worker", "notice", "Shutting down Pacemaker");
                try
                {
                    using var leave = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await cpg.LeaveAsync(CibGroup, leave.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or OperationCanceledException or IOException)
                {
                }
            }
            finally
            {
                server?.Dispose();
            }
        }
        _log.Write("pacemakerd", "pcmk_shutdown_worker", "notice", "Shutdown complete");
        return 0;
    }

    private static async Task PumpAsync(CpgClient cpg, EventLoop<CibInput, CibEffect> loop, CancellationToken stop)
    {
        try
        {
            await foreach (var e in cpg.Events.ReadAllAsync(stop).ConfigureAwait(false))
            {
                switch (e)
                {
                    case CpgClientMessage m when m.Group == CibGroup:
                        loop.Post(new CibDelivered(m.NodeId, m.Data));
                        break;
                    case CpgClientConfigurationChange c when c.Group == CibGroup:
                        loop.Post(new CibMembership([.. c.Members.Select(x => x.NodeId)], c.Joined.Count > 0));
                        break;
                    case CpgClientDisconnected:
                        loop.Post(new CibMembership([]));
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

    /// <summary>This node's name from cmap's nodelist (name, else ring0_addr), else the host name.</summary>
    private async Task<string> LocalNodeNameAsync(uint nodeId, CancellationToken stop)
    {
        try
        {
            await using var connection = await CorosyncConnection.ConnectAsync(CorosyncConnection.DefaultSocketPath(_paths), stop).ConfigureAwait(false);
            var cmap = new CmapClient(connection);
            var items = await cmap.IterateAsync("nodelist.node.", stop).ConfigureAwait(false);
            var byIndex = items.GroupBy(i => i.Key.Split('.')[2]);
            foreach (var node in byIndex)
            {
                var id = node.FirstOrDefault(i => i.Key.EndsWith(".nodeid", StringComparison.Ordinal))?.Value;
                if (id != nodeId.ToString(CultureInfo.InvariantCulture)) continue;
                var name = node.FirstOrDefault(i => i.Key.EndsWith(".name", StringComparison.Ordinal))?.Value
                    ?? node.FirstOrDefault(i => i.Key.EndsWith(".ring0_addr", StringComparison.Ordinal))?.Value;
                if (!string.IsNullOrEmpty(name)) return name;
            }
        }
        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException or IOException)
        {
            _log.Write("pacemakerd", "get_node_name", "warning", $"Could not read node names from cmap: {e.Message}");
        }
        return System.Net.Dns.GetHostName().Split('.')[0];
    }
}
