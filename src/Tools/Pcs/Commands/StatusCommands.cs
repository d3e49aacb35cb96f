using System.Text;
using Cluster.Crm.Simulation;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Pcs.Display;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// <c>pcs status [resources|--full]</c>, <c>pcs resource [status]</c>, <c>pcs stonith [status]</c>:
/// crm_mon's view (<see cref="ClusterStatusFormatter"/>) with pcs's header. With -f pcs needs
/// --corosync_conf for the cluster name and shows no daemon status.
/// </summary>
public static class StatusCommands
{
    public static PcsCommand Status { get; } = Pcs.Command("status", "status [resources | --full] [--corosync_conf FILE]", inv =>
    {
        if (inv.Args.Count > 0 && inv.Args[0] is "resources") return Resources(inv, stonith: null);
        if (inv.Args.Count > 0 && inv.Args[0] is not "status" and not "cluster")
            return inv.Usage($"unknown status command '{inv.Args[0]}'");
        var (view, error) = Corosync(inv, requireWithFile: true);
        if (view is null) return inv.Usage(error!);
        bool live = !inv.OnFile;
        return PcsCibSession.Read(inv, cib =>
        {
            var now = DateTimeOffset.UtcNow;
            var (doc, result) = ClusterState.Evaluate(cib.Root, now);
            // pcs reads its known hosts for the pcsd status of --full; this implementation has no pcsd
            // and never authenticates to one, so it is in the state of a pcs that was never given a token.
            var knownHosts = inv.Context.Paths.Under("/var/lib/pcsd/known-hosts");
            if (live && inv.Options.Full && !File.Exists(knownHosts))
                inv.Err.WriteLine("Warning: Unable to read the known-hosts file: No such file or directory: '/var/lib/pcsd/known-hosts'");
            inv.Out.WriteLine($"Cluster name: {view.ClusterName}");
            var warnings = new List<string>();
            bool stonithOff = PropertyCommands.Current(cib).Any(p => p.Name == "stonith-enabled" && p.Value.ToLowerInvariant() is "false" or "0" or "no" or "n" or "off");
            if (!stonithOff && !cib.Primitives.Any(ResourceCommands.IsStonith))
                warnings.Add("No stonith devices and stonith-enabled is not false");
            if (warnings.Count > 0)
            {
                inv.Out.WriteLine();
                inv.Out.WriteLine("WARNINGS:");
                foreach (var w in warnings) inv.Out.WriteLine(w);
                inv.Out.WriteLine();
            }
            var text = ClusterStatusFormatter.Format(doc, result, new MonitorView(Inactive: true, FailCounts: inv.Options.Full, NodeAttributes: inv.Options.Full), now);
            if (inv.Options.Full) text = FullDetail(text, result) + "\nTickets:\n";
            if (live && PacemakerdHealth.Line(inv.Context.Paths, now) is { } health) text = health + text;
            inv.Out.Write(text);
            if (live)
            {
                if (inv.Options.Full)
                {
                    inv.Out.WriteLine();
                    inv.Out.WriteLine("PCSD Status:");
                    foreach (var node in view.Nodes) inv.Out.WriteLine($"  {node}: Unable to authenticate");
                }
                inv.Out.WriteLine();
                inv.Out.WriteLine("Daemon Status:");
                foreach (var line in LocalServices.Lines()) inv.Out.WriteLine("  " + line);
            }
            return 0;
        });
    });

    // --show-detail: node ids beside the DC and node names, one line per node with its feature set.
    private static string FullDetail(string text, Cluster.Crm.Scheduler.ScheduleResult r)
    {
        var lines = text.Split('\n').ToList();
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("  * Current DC: ", StringComparison.Ordinal))
                foreach (var n in r.Nodes)
                    if (lines[i].StartsWith($"  * Current DC: {n.Uname} (version", StringComparison.Ordinal))
                        lines[i] = lines[i].Replace($"{n.Uname} (version", $"{n.Uname} ({n.Id}) (version", StringComparison.Ordinal);
            if (lines[i] == "Node List:")
            {
                int j = i + 1;
                while (j < lines.Count && lines[j].StartsWith("  * ", StringComparison.Ordinal)) lines.RemoveAt(j);
                var detail = r.Nodes.Select(n => $"  * Node {n.Uname} ({n.Id}): {NodeState(n)}").ToList();
                lines.InsertRange(j, detail);
            }
        }
        return string.Join('\n', lines);
    }

    private static string NodeState(Cluster.Crm.Scheduler.WorkNode n)
    {
        var state = !n.Online ? "OFFLINE" : n.Standby ? "standby" : n.Maintenance ? "maintenance" : "online";
        return n.Attributes.TryGetValue("#feature-set", out var fs) ? $"{state}, feature set {fs}" : state;
    }

    public static PcsCommand ResourceStatus { get; } = Pcs.Command("resource status", "resource [status]", inv => Resources(inv, stonith: false));

    public static PcsCommand ResourceBare { get; } = Pcs.Command("resource", "resource", inv =>
        inv.Args.Count == 0 ? Resources(inv, stonith: false) : inv.Usage($"unknown command 'resource {inv.Args[0]}'"));

    public static PcsCommand StonithStatus { get; } = Pcs.Command("stonith status", "stonith [status]", inv => Resources(inv, stonith: true));

    public static PcsCommand StonithBare { get; } = Pcs.Command("stonith", "stonith", inv =>
        inv.Args.Count == 0 ? Resources(inv, stonith: true) : inv.Usage($"unknown command 'stonith {inv.Args[0]}'"));

    /// <summary>The resource lines of crm_mon -r; <paramref name="stonith"/> picks fence devices, other resources, or all (null).</summary>
    private static int Resources(PcsInvocation inv, bool? stonith) => PcsCibSession.Read(inv, cib =>
    {
        var (_, result) = ClusterState.Evaluate(cib.Root, DateTimeOffset.UtcNow);
        var o = new StringBuilder();
        StatusFormatter.FormatResources(result, o, "  ", inactive: true);
        var lines = o.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => stonith is null || l.Contains("(stonith:", StringComparison.Ordinal) == stonith.Value || !l.StartsWith("  * ", StringComparison.Ordinal) || l.StartsWith("    ", StringComparison.Ordinal))
            .ToList();
        if (stonith == true && lines.Count == 0)
        {
            inv.Out.WriteLine("NO stonith devices configured");
            return 0;
        }
        if (stonith == false && lines.Count == 0)
        {
            inv.Out.WriteLine("NO resources configured");
            return 0;
        }
        foreach (var l in lines) inv.Out.WriteLine(l);
        return 0;
    });

    /// <summary>corosync.conf: --corosync_conf, else the default (required with -f for status, as pcs does).</summary>
    internal static (CorosyncView? View, string? Error) Corosync(PcsInvocation inv, bool requireWithFile)
    {
        var path = inv.Options.Value("--corosync_conf");
        if (path is null && inv.Options.CibFile is not null && requireWithFile)
            return (null, "When '-f' is specified, '--corosync_conf' must be specified as well");
        return CorosyncView.Load(path ?? inv.Context.Paths.CorosyncConf);
    }
}
