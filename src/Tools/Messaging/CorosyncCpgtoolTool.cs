using System.Globalization;
using System.Text;
using Cluster.Messaging.Client;
using Cluster.Messaging.Ipc;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary><c>corosync-cpgtool [-d DELIM] [-e] [-n]</c>: the process groups of the running daemon, as 3.1.7 prints them.</summary>
public static class CorosyncCpgtoolTool
{
    public const string Name = "corosync-cpgtool";

    public static ToolEntry Entry { get; } = new(Name, "List closed process groups and their members", Run);

    public static async Task<int> Run(ToolContext context, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parsed = new Getopt("d:enh").Parse(args, Name);
        if (parsed.Error is not null || parsed.Options.Any(o => o.Name == 'h'))
        {
            if (parsed.Error is not null)
                context.Err.WriteLine(parsed.Error);
            context.Out.WriteLine("corosync-cpgtool [-d delimiter] [-e] [-n] [-h]\n\nDisplay current process groups and their members\n\n" +
                "\t-d\tDelimiter between fields\n\t-e\tDon't escape unprintable characters in group name\n\t-n\tDisplay only all existing group names\n\t-h\tDisplay this help");
            return parsed.Error is null ? 0 : 1;
        }
        string? delimiter = parsed.Options.LastOrDefault(o => o.Name == 'd')?.Argument;
        bool noEscape = parsed.Options.Any(o => o.Name == 'e');
        bool namesOnly = parsed.Options.Any(o => o.Name == 'n');

        await using var connection = await DaemonConnection.TryConnectAsync(context).ConfigureAwait(false);
        if (connection is null)
        {
            context.Err.WriteLine("Could not initialize corosync cpg API error 2");
            return 1;
        }
        try
        {
            var reply = await connection.RequestAsync<CpgGroupsReply>(new CpgGroupsRequest()).ConfigureAwait(false);
            var cmap = new CmapClient(connection);
            var addresses = new Dictionary<uint, string>();
            foreach (var item in await cmap.IterateAsync("runtime.members.").ConfigureAwait(false))
            {
                if (!item.Key.EndsWith(".ip", StringComparison.Ordinal))
                    continue;
                var id = uint.Parse(item.Key["runtime.members.".Length..^3], CultureInfo.InvariantCulture);
                addresses[id] = string.Join(' ', CorosyncCfgtoolTool.ParseIps(item.Value));
            }
            context.Out.Write(Format(reply.Groups, addresses, delimiter, noEscape, namesOnly));
            return 0;
        }
        catch (CorosyncUnavailableException e)
        {
            context.Err.WriteLine(e.Message);
            return 1;
        }
    }

    public static string Format(IReadOnlyList<CpgGroupInfo> groups, IReadOnlyDictionary<uint, string> addresses, string? delimiter, bool noEscape, bool namesOnly)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(addresses);
        var sb = new StringBuilder();
        if (!namesOnly)
        {
            if (delimiter is null)
                sb.Append(CultureInfo.InvariantCulture, $"Group Name\t{"PID",10}\t{"Node ID",10}\n");
            else
                sb.Append(CultureInfo.InvariantCulture, $"GRP_NAME{delimiter}PID{delimiter}NODEID\n");
        }
        foreach (var g in groups)
        {
            var name = noEscape ? g.Group : Escape(g.Group);
            if (namesOnly)
            {
                sb.Append(name).Append('\n');
                continue;
            }
            if (delimiter is null)
                sb.Append(name).Append('\n');
            foreach (var m in g.Members)
            {
                if (delimiter is null)
                {
                    var addr = addresses.TryGetValue(m.NodeId, out var a) ? a : "";
                    sb.Append(CultureInfo.InvariantCulture, $"\t\t{m.Pid,10}\t{m.NodeId,10} ({addr})\n");
                }
                else
                {
                    sb.Append(CultureInfo.InvariantCulture, $"{name}{delimiter}{m.Pid}{delimiter}{m.NodeId}\n");
                }
            }
        }
        return sb.ToString();
    }

    /// <summary>Group names are bytes: `\\` for a backslash, `\xNN` for anything not printable.</summary>
    public static string Escape(string group)
    {
        var sb = new StringBuilder();
        foreach (var c in group)
        {
            if (c == '\\')
                sb.Append("\\\\");
            else if (c is >= (char)0x20 and < (char)0x7f)
                sb.Append(c);
            else
                sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
        }
        return sb.ToString();
    }
}
