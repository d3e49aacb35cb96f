using Cluster.Tools.Pcs.Display;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs config [show]</c>: the whole configuration in pcs 0.11.5's layout.</summary>
public static class ConfigCommand
{
    public static PcsCommand Config { get; } = Pcs.Command("config", "config [show]", Run);

    public static PcsCommand Show { get; } = Pcs.Command("config show", "config show", Run);

    private static int Run(PcsInvocation inv)
    {
        if (inv.Args.Count > 0) return inv.Usage($"unknown config command '{inv.Args[0]}'");
        var (corosync, _) = StatusCommands.Corosync(inv, requireWithFile: false);
        return PcsCibSession.Read(inv, cib =>
        {
            var o = inv.Out;
            o.WriteLine($"Cluster Name: {corosync?.ClusterName ?? ""}");
            o.WriteLine("Corosync Nodes:");
            if (corosync?.Nodes is { Count: > 0 } cnodes) o.WriteLine($" {string.Join(' ', cnodes)}");
            o.WriteLine("Pacemaker Nodes:");
            var pnodes = cib.FindSection("nodes")?.Elements("node").Select(n => (string?)n.Attribute("uname") ?? "").ToList() ?? [];
            if (pnodes.Count > 0) o.WriteLine($" {string.Join(' ', pnodes)}");
            o.WriteLine();
            o.WriteLine("Resources:");
            foreach (var r in ResourceCommands.InConfigOrder(cib, stonith: false, null)) ResourceConfigFormatter.Write(o, r, "  ");
            o.WriteLine();
            o.WriteLine("Stonith Devices:");
            foreach (var r in ResourceCommands.InConfigOrder(cib, stonith: true, null)) ResourceConfigFormatter.Write(o, r, "  ");
            o.WriteLine("Fencing Levels:");
            o.WriteLine();
            ConstraintFormatter.Write(o, cib, full: true, "");
            o.WriteLine();
            o.WriteLine("Alerts:");
            o.WriteLine(" No alerts defined");
            o.WriteLine();
            o.WriteLine("Resources Defaults:");
            DefaultsCommands.Write(o, cib, "rsc_defaults", "  ");
            o.WriteLine("Operations Defaults:");
            DefaultsCommands.Write(o, cib, "op_defaults", "  ");
            o.WriteLine();
            o.WriteLine("Cluster Properties:");
            foreach (var (n, v) in PropertyCommands.Current(cib).OrderBy(p => p.Name, StringComparer.Ordinal))
                o.WriteLine($" {n}: {v}");
            o.WriteLine();
            o.WriteLine("Tags:");
            o.WriteLine(" No tags defined");
            o.WriteLine();
            o.WriteLine("Quorum:");
            o.WriteLine("  Options:");
            foreach (var (k, v) in corosync?.QuorumOptions ?? []) o.WriteLine($"    {k}: {v}");
            return 0;
        });
    }
}
