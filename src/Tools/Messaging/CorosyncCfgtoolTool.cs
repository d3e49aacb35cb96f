using System.Globalization;
using System.Text;
using Cluster.Messaging.Client;
using Cluster.Messaging.Ipc;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary><c>corosync-cfgtool -s | -b -s | -n | -R | -k NODEID | -H | -a NODEID</c>, in 3.1.7's layouts.</summary>
public static class CorosyncCfgtoolTool
{
    public const string Name = "corosync-cfgtool";

    public static ToolEntry Entry { get; } = new(Name, "Show link status and administer the running daemon", Run);

    private const string Usage = """
        corosync-cfgtool [[-i <interface ip>] [-b] -s] [-R] [-L] [-k nodeid] [-a nodeid] [-h] [-H] [--force] [-n]

        A tool for displaying and configuring active parameters within corosync.
        options:
        	-i	Finds only information about the specified interface IP address or link id with -s.
        	-s	Displays the status of the current links on this node.
        	-n	Displays the status of the connected nodes.
        	-b	Displays the brief status of the current links on this node when used with -s.
        	-R	Tell all instances of corosync in this cluster to reload corosync.conf.
        	-L	Tell corosync to reopen all logging files.
        	-k	Kill a node identified by node id.
        	-a	Display the IP address(es) of a node
        	-h	Print basic usage.
        	-H	Shutdown corosync cleanly on this node.
        		--force will shutdown corosync regardless of daemon vetos
        """;

    public static async Task<int> Run(ToolContext context, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = new Getopt("i:sbnRLk:a:hH", getoptLong: true).Parse(args, Name);
        if (parsed.Error is not null || parsed.Options.Count == 0)
        {
            if (parsed.Error is not null)
                context.Err.WriteLine(parsed.Error);
            context.Out.WriteLine(Usage);
            return parsed.Error is null ? 0 : 1;
        }
        bool brief = parsed.Options.Any(o => o.Name == 'b');
        var action = parsed.Options.LastOrDefault(o => o.Name is 's' or 'n' or 'R' or 'L' or 'k' or 'a' or 'H' or 'h');
        if (action is null || action.Name == 'h')
        {
            context.Out.WriteLine(Usage);
            return 0;
        }
        // Like the real tool, the action's own line is printed even when the daemon is down.
        if (action.Name == 'R')
            context.Out.WriteLine("Reloading corosync.conf...");
        if (action.Name == 'k')
            context.Out.WriteLine($"Killing node {action.Argument}");
        if (action.Name == 'H')
            context.Out.WriteLine("Shutting down corosync");

        await using var connection = await DaemonConnection.TryConnectAsync(context).ConfigureAwait(false);
        if (connection is null)
        {
            context.Err.WriteLine(action.Name == 'R'
                ? "Could not initialize corosync configuration API error CS_ERR_LIBRARY"
                : "Could not initialize corosync configuration API error 2");
            return 1;
        }
        try
        {
            switch (action.Name)
            {
                case 's':
                case 'n':
                {
                    var reply = await connection.RequestAsync<CfgStatusReply>(new CfgStatusRequest()).ConfigureAwait(false);
                    context.Out.Write(action.Name == 's' ? Status(reply.Cfg, brief) : Nodes(reply.Cfg));
                    return 0;
                }
                case 'R':
                    await connection.RequestAsync(new CfgReloadRequest()).ConfigureAwait(false);
                    context.Out.WriteLine("Done");
                    return 0;
                case 'k':
                    if (!uint.TryParse(action.Argument, CultureInfo.InvariantCulture, out var node))
                    {
                        context.Err.WriteLine($"Invalid nodeid {action.Argument}");
                        return 1;
                    }
                    await connection.RequestAsync(new CfgKillRequest(node)).ConfigureAwait(false);
                    return 0;
                case 'H':
                    await connection.RequestAsync(new CfgShutdownRequest()).ConfigureAwait(false);
                    return 0;
                case 'a':
                {
                    var cmap = new CmapClient(connection);
                    var ip = await cmap.GetAsync($"runtime.members.{action.Argument}.ip").ConfigureAwait(false);
                    if (ip is null)
                        return 1;
                    context.Out.WriteLine(string.Join(' ', ParseIps(ip.Value)));
                    return 0;
                }
                default:
                    return 0;
            }
        }
        catch (CorosyncUnavailableException e)
        {
            context.Err.WriteLine(e.Message);
            return 1;
        }
        catch (CorosyncRequestException e)
        {
            context.Err.WriteLine($"Could not {action.Name} : {e.Error}");
            return 1;
        }
    }

    /// <summary>`r(0) ip(10.0.0.1) r(1) ip(..) ` -> the addresses.</summary>
    internal static IEnumerable<string> ParseIps(string value)
    {
        int at = 0;
        while ((at = value.IndexOf("ip(", at, StringComparison.Ordinal)) >= 0)
        {
            int end = value.IndexOf(')', at);
            if (end < 0) yield break;
            yield return value[(at + 3)..end];
            at = end;
        }
    }

    public static string Status(CfgInfo info, bool brief)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Local node ID {info.LocalNode}, transport {info.Transport}\n");
        foreach (var link in info.Links)
        {
            sb.Append(CultureInfo.InvariantCulture, $"LINK ID {link.Link} {link.LinkTransport}\n");
            sb.Append(CultureInfo.InvariantCulture, $"\taddr\t= {link.Address}\n");
            if (brief)
            {
                sb.Append("\tstatus\t= ");
                foreach (var n in link.Nodes)
                    sb.Append(n.State == "localhost" ? 'n' : (char)('0' + (n.Enabled ? 1 : 0) + (n.Connected ? 2 : 0)));
                sb.Append('\n');
                continue;
            }
            sb.Append("\tstatus:\n");
            foreach (var n in link.Nodes)
                sb.Append(CultureInfo.InvariantCulture, $"\t\tnodeid: {n.NodeId,10}:\t{n.State}\n");
        }
        return sb.ToString();
    }

    public static string Nodes(CfgInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Local node ID {info.LocalNode}, transport {info.Transport}\n");
        var peers = info.Links.SelectMany(l => l.Nodes.Where(n => n.State != "localhost").Select(n => (Link: l, Node: n)))
            .GroupBy(x => x.Node.NodeId).OrderBy(g => g.Key);
        foreach (var peer in peers)
        {
            bool reachable = peer.Any(x => x.Node.Connected);
            sb.Append(CultureInfo.InvariantCulture, $"nodeid: {peer.Key} {(reachable ? "reachable" : "unreachable")}\n");
            foreach (var (link, node) in peer)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"   LINK: {link.Link} {link.LinkTransport} ({link.Address}->{node.RemoteAddress ?? "?"}) {(node.Enabled ? "enabled" : "disabled")} {(node.Connected ? "connected" : "disconnected")} mtu: {info.Mtu}\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
