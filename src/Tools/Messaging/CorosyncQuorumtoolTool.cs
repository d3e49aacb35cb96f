using System.Globalization;
using Cluster.Messaging.Client;
using Cluster.Messaging.Ipc;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Totem;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary><c>corosync-quorumtool -s | -l | -e VOTES | -v VOTES [-n NODEID]</c> with -H, -i, -o a|n|i, as 3.1.7 prints them.</summary>
public static class CorosyncQuorumtoolTool
{
    public const string Name = "corosync-quorumtool";

    public static ToolEntry Entry { get; } = new(Name, "Show and change votequorum state of the running daemon", Run);

    private const string Usage = """
        usage: 
        corosync-quorumtool <options>

          options:

          -s             show quorum status
          -m             constantly monitor quorum status
          -l             list nodes
          -a             show all names or addresses for each node
          -p             when used with -s or -l, generates machine parsable output
          -v <votes>     change the number of votes for a node (*)
          -n <nodeid>    optional nodeid of node for -v
          -e <expected>  change expected votes for the cluster (*)
          -H             show nodeids in hexadecimal rather than decimal
          -i             show node IP addresses instead of the resolved name
          -o <a|n|i>     order by [a] IP address (default), [n] name, [i] nodeid
          -f             forcefully unregister a quorum device *DANGEROUS* (*)
          -h             show this help text
          -V             show version and exit

          (*) Starred items only work if votequorum is the quorum provider for corosync
        """;

    public static async Task<int> Run(ToolContext context, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = new Getopt("slmapv:n:e:Hio:fhV").Parse(args, Name);
        if (parsed.Error is not null || parsed.Operands.Count > 0)
        {
            context.Err.WriteLine(parsed.Error ?? $"{Name}: unexpected argument '{parsed.Operands[0]}'");
            context.Err.WriteLine(Usage);
            return 1;
        }
        var view = new QuorumToolView();
        string mode = "s";
        string? value = null;
        uint? nodeArg = null;
        foreach (var o in parsed.Options)
        {
            switch (o.Name)
            {
                case 'H': view = view with { HexNodeIds = true }; break;
                case 'i': view = view with { ShowAddresses = true }; break;
                case 'o':
                    view = view with { Order = o.Argument switch { "n" => MemberOrder.Name, "i" => MemberOrder.NodeId, _ => MemberOrder.Address } };
                    break;
                case 'n':
                    if (!uint.TryParse(o.Argument, CultureInfo.InvariantCulture, out var n)) { context.Err.WriteLine("The nodeid was not valid, try a positive number"); return 1; }
                    nodeArg = n;
                    break;
                case 'h': context.Out.WriteLine(Usage); return 0;
                case 'V': context.Out.WriteLine($"{Name} version: 3.1.7 (hacluster)"); return 0;
                case 's' or 'l' or 'm': mode = o.Name.ToString(); break;
                case 'e' or 'v': mode = o.Name.ToString(); value = o.Argument; break;
            }
        }
        await using var connection = await DaemonConnection.TryConnectAsync(context).ConfigureAwait(false);
        if (connection is null)
        {
            context.Err.WriteLine("Cannot initialize CMAP service");
            return 1;
        }
        var quorum = new QuorumClient(connection);
        try
        {
            switch (mode)
            {
                case "e":
                    if (!uint.TryParse(value, CultureInfo.InvariantCulture, out var ev) || ev == 0)
                    {
                        context.Err.WriteLine("New expected votes value was not valid, try a positive number");
                        return 1;
                    }
                    try
                    {
                        await quorum.SetExpectedVotesAsync(ev).ConfigureAwait(false);
                    }
                    catch (CorosyncRequestException e)
                    {
                        context.Err.WriteLine($"Unable to set expected votes: {e.Error}");
                        return 1;
                    }
                    return 0;
                case "v":
                    if (!uint.TryParse(value, CultureInfo.InvariantCulture, out var votes))
                    {
                        context.Err.WriteLine("New votes value was not valid, try a positive number or zero");
                        return 1;
                    }
                    try
                    {
                        await quorum.SetVotesAsync(nodeArg ?? 0, votes).ConfigureAwait(false);
                    }
                    catch (CorosyncRequestException e)
                    {
                        context.Err.WriteLine($"Unable to set votes {votes} for nodeid: {nodeArg ?? 0}: {e.Error}");
                        return 1;
                    }
                    return 0;
                default:
                    var info = await quorum.GetStatusAsync().ConfigureAwait(false);
                    var (status, rows) = ToStatus(info);
                    if (mode == "l")
                    {
                        context.Out.Write(QuorumToolFormatter.List(status.LocalNode, rows, view));
                        return 0;
                    }
                    context.Out.Write(QuorumToolFormatter.Status(status, rows, DateTime.Now, view));
                    return status.Quorate ? 0 : 2;
            }
        }
        catch (CorosyncUnavailableException)
        {
            context.Err.WriteLine("Cannot initialize CMAP service");
            return 1;
        }
    }

    internal static (QuorumStatus Status, IReadOnlyList<MemberRow> Rows) ToStatus(QuorumInfo info)
    {
        var ring = info.RingId.Split('.');
        var ringId = new RingId(new NodeId(uint.Parse(ring[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
            ulong.Parse(ring[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var status = new QuorumStatus(new NodeId(info.LocalNode), ringId, info.Quorate, info.ExpectedVotes, info.HighestExpected, info.TotalVotes,
            info.Quorum, info.TwoNode, info.WaitForAll, info.WaitForAllStatus, info.LastManStanding, info.AutoTieBreaker, info.AllowDownscale,
            [.. info.Members.Select(m => new QuorumMember(new NodeId(m.NodeId), m.Votes, NodeState.Member))]);
        var rows = info.Members.Select(m => new MemberRow(new NodeId(m.NodeId), m.Votes, m.Name, m.Address)).ToList();
        return (status, rows);
    }
}
