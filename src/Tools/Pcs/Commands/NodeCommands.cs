using System.Xml.Linq;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs node standby|unstandby|maintenance|unmaintenance [NODE...|--all]</c>: permanent node attributes.</summary>
public static class NodeCommands
{
    public static IEnumerable<PcsCommand> All { get; } =
    [
        Pcs.Command("node standby", "node standby [<node>]... | --all", inv => Set(inv, "standby", "on")),
        Pcs.Command("node unstandby", "node unstandby [<node>]... | --all", inv => Set(inv, "standby", "")),
        Pcs.Command("node maintenance", "node maintenance [<node>]... | --all", inv => Set(inv, "maintenance", "on")),
        Pcs.Command("node unmaintenance", "node unmaintenance [<node>]... | --all", inv => Set(inv, "maintenance", "")),
        Pcs.Command("node attribute", "node attribute [<node> [<name>=<value>...]]", Attribute),
    ];

    private static int Set(PcsInvocation inv, string name, string value)
    {
        bool all = inv.Options.Has("--all");
        if (all && inv.Args.Count > 0) return inv.Usage("Cannot specify both --all and a list of nodes.");
        if (!all && inv.Args.Count == 0 && inv.Options.CibFile is not null)
            return inv.Usage("When using -f you must specify a node or --all");
        return PcsCibSession.Edit(inv, cib =>
        {
            var nodes = cib.FindSection("nodes")?.Elements("node").ToList() ?? [];
            var targets = all ? nodes : [];
            foreach (var n in inv.Args)
            {
                var node = nodes.FirstOrDefault(x => (string?)x.Attribute("uname") == n);
                if (node is null) return inv.Usage($"Node '{n}' does not appear to exist in configuration");
                targets.Add(node);
            }
            foreach (var node in targets) SetAttribute(cib, node, name, value);
            return 0;
        });
    }

    /// <summary>The node's attribute in its first instance_attributes ("nodes-ID"), as crm_attribute writes it.</summary>
    internal static void SetAttribute(PcsCib cib, XElement node, string name, string value)
    {
        var set = node.Element("instance_attributes");
        if (set is null)
        {
            if (value.Length == 0) return;
            set = NvSetEditor.GetOrAdd(cib, node, "instance_attributes", $"nodes-{(string?)node.Attribute("id")}");
        }
        NvSetEditor.Set(cib, set, name, value);
    }

    private static int Attribute(PcsInvocation inv)
    {
        if (inv.Args.Count <= 1)
            return PcsCibSession.Read(inv, cib =>
            {
                inv.Out.WriteLine("Node Attributes:");
                foreach (var node in cib.FindSection("nodes")?.Elements("node") ?? [])
                {
                    var uname = (string?)node.Attribute("uname") ?? "";
                    if (inv.Args.Count == 1 && inv.Args[0] != uname) continue;
                    var pairs = node.Elements("instance_attributes").SelectMany(NvSetEditor.Pairs).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
                    if (pairs.Count > 0) inv.Out.WriteLine($" {uname}: {string.Join(' ', pairs.Select(p => $"{p.Name}={p.Value}"))}");
                }
                return 0;
            });
        var (pairs, error) = NvSetEditor.ParsePairs(inv.Args.Skip(1));
        if (error is not null) return inv.Usage(error);
        return PcsCibSession.Edit(inv, cib =>
        {
            var node = cib.FindSection("nodes")?.Elements("node").FirstOrDefault(x => (string?)x.Attribute("uname") == inv.Args[0]);
            if (node is null) return inv.Usage($"Node '{inv.Args[0]}' does not appear to exist in configuration");
            foreach (var (n, v) in pairs) SetAttribute(cib, node, n, v);
            return 0;
        });
    }
}
