using Cluster.Tools.CommandLine;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// crm_node -l|-p|-q|-n|-i|-N from the CIB (the real one asks the controller, so on a file it only
/// fails; here the CIB's nodes and status answer). The local node is $HA_NODE_NAME or the host
/// name. Without a command it prints its help on stderr and exits 64, as 2.1.5 does.
/// </summary>
public static class CrmNodeTool
{
    public static readonly ToolEntry Entry = new("crm_node", "List the cluster's nodes, its partition and quorum", Run);

    /// <summary>crm_node 2.1.5's command line; --remove is declared (help lists it) but refused.</summary>
    public static GlibOptions Parser { get; } = new("crm_node", "crm_node - Tool for displaying low-level node information",
    [
        new("quiet", 'Q', GlibValue.None, "Be less descriptive in output."),
        new("cluster-id", 'i', GlibValue.None, "Display this node's cluster id", Group: "commands"),
        new("list", 'l', GlibValue.None, "Display all known members (past and present) of this cluster", Group: "commands"),
        new("name", 'n', GlibValue.None, "Display the name used by the cluster for this node", Group: "commands"),
        new("partition", 'p', GlibValue.None, "Display the members of this partition", Group: "commands"),
        new("quorum", 'q', GlibValue.None, "Display a 1 if our partition has quorum, 0 if not", Group: "commands"),
        new("name-for-id", 'N', GlibValue.Required, "Display the name used by the cluster for the node with the specified ID", "ID", "commands"),
        new("remove", 'R', GlibValue.Required, "(Advanced) Remove the (stopped) node with the specified name from Pacemaker's\n"
            + "configuration and caches (the node must already have been removed from\nthe underlying cluster stack configuration", "NAME", "commands"),
        new("force", 'f', GlibValue.None, "", Group: "additional"),
        // Accepted and ignored, as by the real tool (a leftover of the cluster-layer choice).
        new("corosync", 'C', GlibValue.None, "", Hidden: true),
    ],
    [
        new("commands", "Commands:", "Show command help"),
        new("additional", "Additional Options:", "Show additional options"),
    ],
    epilogue: "Report bugs to users@clusterlabs.org\n\n");

    private static readonly string[] Commands = ["cluster-id", "list", "name", "partition", "quorum", "name-for-id", "remove"];

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        if (!Parser.TryParse(ctx, args, out var parsed, out var exit))
            return Task.FromResult(exit);
        // As GLib callbacks do, the last command given wins.
        var command = parsed.Given.LastOrDefault(g => Commands.Contains(g.Option.Long));
        if (command.Option is null)
        {
            ctx.Err.Write(Parser.UsageOnError());
            return Task.FromResult(GlibOptions.ExitUsage);
        }
        if (command.Option.Long == "remove")
        {
            ctx.Err.WriteLine("crm_node: --remove is not supported by this implementation");
            return Task.FromResult(GlibOptions.ExitUsage);
        }
        var (client, error) = CibConnection.Open(ctx, clientName: "crm_node");
        if (client is null)
        {
            ctx.Err.WriteLine($"error: Could not connect to controller: {error}");
            return Task.FromResult(102);
        }
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null)
            {
                ctx.Err.WriteLine($"error: {reply.Error}");
                return Task.FromResult(102);
            }
            var (cib, result) = ClusterState.Evaluate(root, DateTimeOffset.UtcNow);
            var local = ctx.GetEnv("HA_NODE_NAME") ?? Environment.MachineName;
            switch (command.Option.Long)
            {
                case "list":
                    foreach (var n in result.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal))
                        ctx.Out.WriteLine($"{n.Id} {n.Uname} {(n.Online ? "member" : "lost")}");
                    break;
                case "partition":
                    ctx.Out.WriteLine(string.Join(' ', result.Nodes.Where(n => n.Online).Select(n => n.Uname)));
                    break;
                case "quorum":
                    ctx.Out.WriteLine(cib.HaveQuorum == true ? "1" : "0");
                    break;
                case "name":
                    ctx.Out.WriteLine(local);
                    break;
                case "name-for-id":
                    var named = result.Nodes.FirstOrDefault(n => n.Id == command.Value);
                    if (named is null)
                    {
                        ctx.Err.WriteLine($"crm_node: Could not map node id {command.Value} to a name");
                        return Task.FromResult(105);
                    }
                    ctx.Out.WriteLine(named.Uname);
                    break;
                default:
                    var node = result.Nodes.FirstOrDefault(n => n.Uname == local);
                    if (node is null)
                    {
                        ctx.Err.WriteLine($"error: node '{local}' is not in the CIB");
                        return Task.FromResult(105);
                    }
                    ctx.Out.WriteLine(node.Id);
                    break;
            }
            return Task.FromResult(0);
        }
    }
}
