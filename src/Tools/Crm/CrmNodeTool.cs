using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// crm_node -l|-p|-q|-n|-i from the CIB (the real one asks the controller, so on a file it only
/// fails; here the CIB's nodes and status answer). The local node is $HA_NODE_NAME or the host name.
/// </summary>
public static class CrmNodeTool
{
    public static readonly ToolEntry Entry = new("crm_node", "List the cluster's nodes, its partition and quorum", Run);

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        var command = args.FirstOrDefault(a => a is "-l" or "--list" or "-p" or "--partition" or "-q" or "--quorum" or "-n" or "--name" or "-i" or "--cluster-id");
        if (command is null || args.Any(a => a != command && a is not ("-V" or "--verbose")))
        {
            ctx.Err.WriteLine("crm_node: usage: crm_node -l | -p | -q | -n | -i");
            return Task.FromResult(64);
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
            switch (command)
            {
                case "-l" or "--list":
                    foreach (var n in result.Nodes.OrderBy(n => n.Id, StringComparer.Ordinal))
                        ctx.Out.WriteLine($"{n.Id} {n.Uname} {(n.Online ? "member" : "lost")}");
                    break;
                case "-p" or "--partition":
                    ctx.Out.WriteLine(string.Join(' ', result.Nodes.Where(n => n.Online).Select(n => n.Uname)));
                    break;
                case "-q" or "--quorum":
                    ctx.Out.WriteLine(cib.HaveQuorum == true ? "1" : "0");
                    break;
                case "-n" or "--name":
                    ctx.Out.WriteLine(local);
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
