using Cluster.Tools.CommandLine;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>crm_mon: the cluster's status, one shot (the live redrawing view is planned).</summary>
public static class CrmMonTool
{
    public static readonly ToolEntry Entry = new("crm_mon", "Show the cluster's status (one shot)", Run);

    /// <summary>The parsed command line (kept apart from running, for the shared option parser).</summary>
    public sealed record Options(MonitorView View, bool Xml, string? Error);

    /// <summary>
    /// crm_mon 2.1.5's command line. -h is --as-html there, so help is -? and --help. Options
    /// that only matter to the live view or to formats this one-shot tool lacks are refused, the
    /// live view's refresh interval and terminal choice are accepted and ignored.
    /// </summary>
    public static GlibOptions Parser { get; } = new("crm_mon", "Provides a summary of cluster's current state.",
    [
        new("quiet", 'Q', GlibValue.None, "Be less descriptive in output."),
        new("output-as", null, GlibValue.Required, "Specify output format as one of: console (default), html, text, xml", "FORMAT", "output"),
        new("output-to", null, GlibValue.Required, "Specify file name for output (or \"-\" for stdout)", "DEST", "output"),
        new("html-cgi", null, GlibValue.None, "Add CGI headers (requires --output-as=html)", Group: "output"),
        new("html-stylesheet", null, GlibValue.Required, "Link to an external stylesheet (requires --output-as=html)", "URI", "output"),
        new("html-title", null, GlibValue.Required, "Specify a page title (requires --output-as=html)", "TITLE", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("include", 'I', GlibValue.Required, "A list of sections to include in the output.\nSee `Output Control` help for more information.", "SECTION(s)", "display"),
        new("exclude", 'U', GlibValue.Required, "A list of sections to exclude from the output.\nSee `Output Control` help for more information.", "SECTION(s)", "display"),
        new("node", null, GlibValue.Required, "When displaying information about nodes, show only what's related to the given\n"
            + "node, or to all nodes tagged with the given tag", "NODE", "display"),
        new("resource", null, GlibValue.Required, "When displaying information about resources, show only what's related to the given\n"
            + "resource, or to all resources tagged with the given tag", "RSC", "display"),
        new("group-by-node", 'n', GlibValue.None, "Group resources by node", Group: "display"),
        new("inactive", 'r', GlibValue.None, "Display inactive resources", Group: "display"),
        new("failcounts", 'f', GlibValue.None, "Display resource fail counts", Group: "display"),
        new("operations", 'o', GlibValue.None, "Display resource operation history", Group: "display"),
        new("timing-details", 't', GlibValue.None, "Display resource operation history with timing details", Group: "display"),
        new("tickets", 'c', GlibValue.None, "Display cluster tickets", Group: "display"),
        new("fence-history", 'm', GlibValue.Optional, "Show fence history:\n0=off, 1=failures and pending (default without option),\n"
            + "2=add successes (default without value for option),\n3=show full history without reduction to most recent of each flavor", "LEVEL", "display"),
        new("neg-locations", 'L', GlibValue.Optional, "Display negative location constraints [optionally filtered by id prefix]", Group: "display"),
        new("show-node-attributes", 'A', GlibValue.None, "Display node attributes", Group: "display"),
        new("hide-headers", 'D', GlibValue.None, "Hide all headers", Group: "display"),
        new("show-detail", 'R', GlibValue.None, "Show more details (node IDs, individual clone instances)", Group: "display"),
        new("brief", 'b', GlibValue.None, "Brief output", Group: "display"),
        new("simple-status", 's', GlibValue.None, "Display the cluster status once as a simple one line output (suitable for nagios)", Group: "display"),
        new("interval", 'i', GlibValue.Required, "Update frequency (default is 5 seconds)", "TIMESPEC", "additional"),
        new("one-shot", '1', GlibValue.None, "Display the cluster status once on the console and exit", Group: "additional"),
        new("daemonize", 'd', GlibValue.None, "Run in the background as a daemon.\nRequires at least one of --output-to and --external-agent.", Group: "additional"),
        new("pid-file", 'p', GlibValue.Required, "(Advanced) Daemon pid file location", "FILE", "additional"),
        new("external-agent", 'E', GlibValue.Required, "A program to run when resource operations take place", "FILE", "additional"),
        new("external-recipient", 'e', GlibValue.Required, "A recipient for your program (assuming you want the program to send something to someone).", "RCPT", "additional"),
        new("watch-fencing", 'W', GlibValue.None, "Listen for fencing events. For use with --external-agent.", Group: "additional"),
        new("as-html", 'h', GlibValue.Required, "Write cluster status to the named HTML file.\nUse --output-as=html --output-to=FILE instead.", "FILE", "deprecated"),
        new("as-xml", 'X', GlibValue.None, "Write cluster status as XML to stdout. This will enable one-shot mode.\nUse --output-as=xml instead.", Group: "deprecated"),
        new("disable-ncurses", 'N', GlibValue.None, "Disable the use of ncurses.\nUse --output-as=text instead.", Group: "deprecated"),
        new("web-cgi", 'w', GlibValue.None, "Web mode with output suitable for CGI (preselected when run as *.cgi).\nUse --output-as=html --html-cgi instead.", Group: "deprecated"),
        new("xml-file", 'x', GlibValue.Required, "", "FILE", Hidden: true),
    ],
    [
        new("output", "Output Options:", "Show output help"),
        new("display", "Display Options:", "Show display options"),
        new("additional", "Additional Options:", "Show additional options"),
        new("deprecated", "Deprecated Options:", "Show deprecated options"),
    ],
    description: "Outputs varying levels of detail in a number of different formats.",
    epilogue: """
        Notes:

        If this program is called as crm_mon.cgi, --output-as=html --html-cgi will
        automatically be added to the command line arguments.

        Time Specification:

        The TIMESPEC in any command line option can be specified in many different
        formats.  It can be just an integer number of seconds, a number plus units
        (ms/msec/us/usec/s/sec/m/min/h/hr), or an ISO 8601 period specification.

        Output Control:

        By default, a certain list of sections are written to the output destination.
        The default varies based on the output format - XML includes everything, while
        other output formats will display less.  This list can be modified with the
        --include and --exclude command line options.  Each option may be given multiple
        times on the command line, and each can give a comma-separated list of sections.
        The options are applied to the default set, from left to right as seen on the
        command line.  For a list of valid sections, pass --include=list or --exclude=list.

        Interactive Use:

        When run interactively, crm_mon can be told to hide and display various sections
        of output.  To see a help screen explaining the options, hit '?'.  Any key stroke
        aside from those listed will cause the screen to refresh.

        Examples:

        Display the cluster status on the console with updates as they occur:

        	crm_mon

        Display the cluster status on the console just once then exit:

        	crm_mon -1

        Display your cluster status, group resources by node, and include inactive resources in the list:

        	crm_mon --group-by-node --inactive

        Start crm_mon as a background daemon and have it write the cluster status to an HTML file:

        	crm_mon --daemonize --output-as html --output-to /path/to/docroot/filename.html

        Start crm_mon and export the current cluster status as XML to stdout, then exit:

        	crm_mon --output-as xml
        """ + "\n\n\n");

    /// <summary>Options this implementation shows no differently with or without, and so accepts.</summary>
    private static readonly string[] Ignored = ["quiet", "one-shot", "simple-status", "interval", "disable-ncurses", "verbose"];

    /// <summary>The view a parsed command line asks for, or why it cannot be shown.</summary>
    public static Options From(GlibArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var view = new MonitorView();
        var xml = false;
        foreach (var (option, value) in parsed.Given)
        {
            switch (option.Long)
            {
                case "inactive": view = view with { Inactive = true }; break;
                case "failcounts": view = view with { FailCounts = true }; break;
                case "show-node-attributes": view = view with { NodeAttributes = true }; break;
                case "group-by-node": view = view with { GroupByNode = true }; break;
                case "operations": view = view with { Operations = true }; break;
                case "as-xml": xml = true; break;
                case "output-as" when value is "xml": xml = true; break;
                case "output-as" when value is "text" or "console": xml = false; break;
                case "output-as":
                    return new Options(view, xml, $"--output-as={value} is not supported by this implementation (console, text, xml)");
                default:
                    if (!Ignored.Contains(option.Long))
                        return new Options(view, xml, $"--{option.Long} is not supported by this implementation");
                    break;
            }
        }
        return new Options(view, xml, null);
    }

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        if (!Parser.TryParse(ctx, args, out var parsed, out var exit))
            return Task.FromResult(exit);
        var options = From(parsed);
        if (options.Error is not null)
        {
            ctx.Err.WriteLine($"crm_mon: {options.Error}");
            return Task.FromResult(GlibOptions.ExitUsage);
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
