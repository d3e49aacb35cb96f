using System.Diagnostics;
using System.Globalization;
using Cluster.Messaging.Daemon;
using Cluster.Tools.Pacemakerd;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// pcs cluster setup / start / stop / status for the local node, without pcsd: setup writes
/// corosync.conf to --corosync_conf (pcs 0.11.5's layout and checks); start and stop run and
/// stop this node's corosync and pacemakerd (pcs's messages); status is pcs's cut of crm_mon.
/// Acting on other nodes (--all, node names) needs pcsd, which this implementation does not have.
/// </summary>
public static class ClusterSetupCommands
{
    public static PcsCommand Setup { get; } = new(["cluster", "setup"],
        "cluster setup <cluster name> (<node name> [addr=<node address>]...)... [transport knet|udp|udpu] [totem <totem options>] [quorum <quorum options>] --corosync_conf <path> [--overwrite]",
        SetupAsync);

    private static async Task<int> SetupAsync(PcsInvocation inv)
    {
        var path = inv.Options.Value("--corosync_conf");
        if (path is null)
            return inv.Usage("this implementation has no pcsd to send corosync.conf to the nodes: write it with --corosync_conf <path> and copy it to each node");
        var (setup, errors) = CorosyncSetup.Parse(inv.Args);
        if (setup is null)
            return errors.Count == 1 && (errors[0].StartsWith("usage:", StringComparison.Ordinal) || errors[0].Contains("defined multiple times", StringComparison.Ordinal))
                ? inv.Usage(errors[0]) : inv.FailAll(errors);
        var named = setup.NodesWithoutAddress(inv.Args).ToList();
        foreach (var n in named) inv.Err.WriteLine($"No addresses specified for host '{n}', using '{n}'");
        var unresolved = new List<string>();
        foreach (var n in named)
            if (!await Resolves(n).ConfigureAwait(false)) unresolved.Add(n);
        if (unresolved.Count > 0)
        {
            var message = $"Unable to resolve addresses: {string.Join(", ", unresolved.Select(u => $"'{u}'"))}";
            if (!inv.Options.Force) return inv.FailAll([Pcs.Forceable(message)]);
            inv.Err.WriteLine($"Warning: {message}");
        }
        if (File.Exists(path) && !inv.Options.Has("--overwrite"))
            return inv.Usage($"Corosync configuration file '{path}' already exists, use --overwrite to overwrite existing file(s)");
        try
        {
            File.WriteAllText(path, setup.Render(Guid.NewGuid().ToString("N")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return inv.Usage($"Unable to write corosync configuration file '{path}': {e.Message}");
        }
        return 0;
    }

    /// <summary>Whether a name resolves (hosts file or DNS), waiting at most 3 s.</summary>
    private static async Task<bool> Resolves(string name)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            return (await System.Net.Dns.GetHostAddressesAsync(name, timeout.Token).ConfigureAwait(false)).Length > 0;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or OperationCanceledException or ArgumentException)
        {
            return false;
        }
    }

    public static PcsCommand Start { get; } = new(["cluster", "start"], "cluster start [--wait[=<n>]]", StartAsync);

    private static async Task<int> StartAsync(PcsInvocation inv)
    {
        if (inv.Args.Count > 0 || inv.Options.Has("--all"))
            return inv.Usage("starting other nodes needs pcsd, which this implementation does not have: run 'pcs cluster start' on each node");
        var paths = inv.Context.Paths;
        if (!File.Exists(paths.CorosyncConf)) return inv.Usage("cluster is not currently configured on this node");
        inv.Err.WriteLine("Starting Cluster...");
        foreach (var (tool, pidFile) in new[] { ("corosync", DaemonHost.PidFile(paths)), ("pacemakerd", PacemakerdTool.PidFile(paths)) })
        {
            if (RunningPid(pidFile) is not null) continue;
            var output = new StringWriter { NewLine = "\n" };
            var code = await Dispatch.ToolRegistry.All[tool].Run(inv.Context with { Out = output, Err = output }, []).ConfigureAwait(false);
            if (code != 0) return inv.Usage($"Unable to start {tool}: {output.ToString().TrimEnd('\n')}");
        }
        if (!inv.Options.Has("--wait")) return 0;
        // Bounded: until this node's CIB answers (--wait=N seconds, default 60).
        var seconds = int.TryParse(inv.Options.Value("--wait"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 60;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var (client, _) = Crm.Access.CibConnection.Open(inv.Context);
            if (client is not null)
            {
                using (client)
                    if (Crm.Access.CibConnection.Query(client).Cib is not null) return 0;
            }
            await Task.Delay(250).ConfigureAwait(false);
        }
        return inv.Usage($"Waiting timeout: the cluster did not start within {seconds} seconds");
    }

    public static PcsCommand Stop { get; } = new(["cluster", "stop"], "cluster stop [--pacemaker | --corosync]", StopAsync);

    private static async Task<int> StopAsync(PcsInvocation inv)
    {
        if (inv.Args.Count > 0 || inv.Options.Has("--all"))
            return inv.Usage("stopping other nodes needs pcsd, which this implementation does not have: run 'pcs cluster stop' on each node");
        var paths = inv.Context.Paths;
        bool all = !inv.Options.Has("--pacemaker") && !inv.Options.Has("--corosync");
        if (all || inv.Options.Has("--pacemaker"))
        {
            inv.Err.WriteLine("Stopping Cluster (pacemaker)...");
            // Pacemaker stops its resources first; a node with slow agents may take a while.
            if (!await Terminate(PacemakerdTool.PidFile(paths), TimeSpan.FromMinutes(5)).ConfigureAwait(false))
                return inv.Usage("Unable to stop: pacemaker did not stop within 5 minutes");
        }
        if (all || inv.Options.Has("--corosync"))
        {
            inv.Err.WriteLine("Stopping Cluster (corosync)...");
            if (!await Terminate(DaemonHost.PidFile(paths), TimeSpan.FromSeconds(30)).ConfigureAwait(false))
                return inv.Usage("Unable to stop: corosync did not stop within 30 seconds");
        }
        return 0;
    }

    public static PcsCommand Status { get; } = new(["cluster", "status"], "cluster status", StatusAsync);

    /// <summary>pcs's cut of "crm_mon -1 -r": the summary and node list, each line after a space.</summary>
    private static async Task<int> StatusAsync(PcsInvocation inv)
    {
        if (inv.Args.Count > 0) return inv.Usage("usage: pcs cluster status");
        var output = new StringWriter { NewLine = "\n" };
        var context = inv.Options.CibFile is { } file
            ? inv.Context with { Out = output, Err = output, GetEnv = n => n == "CIB_file" ? file : inv.Context.GetEnv(n) }
            : inv.Context with { Out = output, Err = output };
        var code = await Dispatch.ToolRegistry.All["crm_mon"].Run(context, ["-1", "-r"]).ConfigureAwait(false);
        if (code != 0) return inv.Usage("cluster is not currently running on this node");
        inv.Out.WriteLine("Cluster Status:");
        var empty = false;
        foreach (var line in output.ToString().TrimEnd('\n').Split('\n'))
        {
            if (line.Length == 0)
            {
                if (empty) break;
                empty = true;
                continue;
            }
            inv.Out.WriteLine(" " + line);
        }
        return 0;
    }

    private static int? RunningPid(string pidFile)
    {
        try
        {
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid)) return null;
            return Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM to the daemon named by the pid file, then wait (bounded) until it is gone. True when it is not running.</summary>
    private static async Task<bool> Terminate(string pidFile, TimeSpan timeout)
    {
        if (RunningPid(pidFile) is not { } pid) return true;
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            if (kill is not null) await kill.WaitForExitAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (!Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture))) return true;
            await Task.Delay(200).ConfigureAwait(false);
        }
        return false;
    }
}
