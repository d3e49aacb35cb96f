using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>crm_mon: the cluster's status, one shot (the live redrawing view is planned).</summary>
public static class CrmMonTool
{
    public static readonly ToolEntry Entry = new("crm_mon", "Show the cluster's status (one shot)", Run);

    /// <summary>The parsed command line (kept apart from running, for the shared option parser).</summary>
    public sealed record Options(MonitorView View, bool Xml, string? Error, bool Help);

    public static Options Parse(string[] args)
    {
        var view = new MonitorView();
        bool xml = false;
        foreach (var raw in args.SelectMany(Expand))
        {
            var a = raw;
            string? value = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='))
            {
                value = a[(a.IndexOf('=') + 1)..];
                a = a[..a.IndexOf('=')];
            }
            switch (a)
            {
                case "-1" or "--one-shot" or "-s" or "--simple-status": break;
                case "-r" or "--inactive": view = view with { Inactive = true }; break;
                case "-f" or "--failcounts": view = view with { FailCounts = true }; break;
                case "-A" or "--show-node-attributes": view = view with { NodeAttributes = true }; break;
                case "-n" or "--group-by-node": view = view with { GroupByNode = true }; break;
                case "-o" or "--operations": view = view with { Operations = true }; break;
                case "-X" or "--as-xml": xml = true; break;
                case "--output-as":
                    if (value is "xml") xml = true;
                    else if (value is not "text")
                        return new Options(view, xml, $"Error parsing option --output-as: '{value}' is not supported (text, xml)", false);
                    break;
                case "-h" or "--help": return new Options(view, xml, null, true);
                default:
                    return new Options(view, xml, $"Unknown option {raw}", false);
            }
        }
        return new Options(view, xml, null, false);
    }

    // Bundled short flags: -1rf = -1 -r -f.
    private static IEnumerable<string> Expand(string a) =>
        a.Length > 2 && a[0] == '-' && a[1] != '-' ? a[1..].Select(c => "-" + c) : [a];

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        var options = Parse(args);
        if (options.Help)
        {
            ctx.Out.WriteLine("Usage: crm_mon -1 [-r] [-f] [-A] [-n] [-o] [--output-as=text|xml]   (CIB_file=FILE for a file)");
            return Task.FromResult(0);
        }
        if (options.Error is not null)
        {
            ctx.Err.WriteLine($"crm_mon: {options.Error}");
            return Task.FromResult(64);
        }
        var (client, error) = CibConnection.Open(ctx);
        if (client is null)
        {
            ctx.Err.WriteLine($"crm_mon: Error: cluster is not available on this node ({error})");
            return Task.FromResult(102);
        }
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null)
            {
                ctx.Err.WriteLine($"crm_mon: Error: {reply.Error}");
                return Task.FromResult(102);
            }
            var now = DateTimeOffset.UtcNow;
            var (cib, result) = ClusterState.Evaluate(root, now);
            ctx.Out.Write(options.Xml ? ClusterStatusXml.Format(cib, result, "crm_mon " + string.Join(' ', args), now)
                : ClusterStatusFormatter.Format(cib, result, options.View, now));
            return Task.FromResult(0);
        }
    }
}
