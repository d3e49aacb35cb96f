using Cluster.Crm.CibClient;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// crm_mon: the cluster's status, once (-1, or when the output is not a terminal), or as a
/// continuous view redrawn on every CIB change (see <see cref="LiveMonitor"/>), on the terminal
/// or, with --daemonize, into the --output-to file.
/// </summary>
public static class CrmMonTool
{
    public static readonly ToolEntry Entry = new("crm_mon", "Show the cluster's status (once, or redrawn on every change)", Run);

    /// <summary>The parsed command line (kept apart from running, for the shared option parser).</summary>
    public sealed record Options(MonitorView View, bool Xml, string? Error)
    {
        public bool Html { get; init; }
        public bool OneShot { get; init; }
        public bool Daemonize { get; init; }
        public string? OutputTo { get; init; }
        public string? PidFile { get; init; }

        /// <summary>-i: the longest time between two frames (crm_mon's default 5 s); changes are drawn at once.</summary>
        public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
    }

    /// <summary>
    /// crm_mon 2.1.5's command line. -h is --as-html there, so help is -? and --help. Options
    /// this implementation lacks (external agents, fencing watch, section filters) are refused;
    /// the terminal choice (-N) is accepted and ignored.
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
    private static readonly string[] Ignored = ["quiet", "simple-status", "disable-ncurses", "verbose"];

    /// <summary>Set in the daemon's own process (started by --daemonize), which then draws into the file.</summary>
    private const string DaemonMarker = "HA_CRM_MON_DAEMON";

    /// <summary>The view a parsed command line asks for, or why it cannot be shown.</summary>
    public static Options From(GlibArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var view = new MonitorView();
        var o = new Options(view, false, null);
        foreach (var (option, value) in parsed.Given)
        {
            switch (option.Long)
            {
                case "inactive": o = o with { View = o.View with { Inactive = true } }; break;
                case "failcounts": o = o with { View = o.View with { FailCounts = true } }; break;
                case "show-node-attributes": o = o with { View = o.View with { NodeAttributes = true } }; break;
                case "group-by-node": o = o with { View = o.View with { GroupByNode = true } }; break;
                case "operations": o = o with { View = o.View with { Operations = true } }; break;
                case "as-xml": o = o with { Xml = true }; break;
                case "output-as" when value is "xml": o = o with { Xml = true, Html = false }; break;
                case "output-as" when value is "html": o = o with { Html = true, Xml = false }; break;
                case "output-as" when value is "text" or "console": o = o with { Xml = false, Html = false }; break;
                case "output-as":
                    return o with { Error = $"--output-as={value} is not supported by this implementation (console, text, html, xml)" };
                case "as-html": o = o with { Html = true, OutputTo = value }; break;
                case "output-to": o = o with { OutputTo = value == "-" ? null : value }; break;
                case "one-shot": o = o with { OneShot = true }; break;
                case "daemonize": o = o with { Daemonize = true }; break;
                case "pid-file": o = o with { PidFile = value }; break;
                case "interval":
                    if (value is null || !Cluster.Agents.Metadata.PacemakerDuration.TryParse(value, out var interval) || interval <= TimeSpan.Zero)
                        return o with { Error = $"Invalid value for -i: {value}" };
                    o = o with { Interval = interval };
                    break;
                default:
                    if (!Ignored.Contains(option.Long))
                        return o with { Error = $"--{option.Long} is not supported by this implementation" };
                    break;
            }
        }
        if (o.Daemonize && o.OutputTo is null)
            return o with { Error = "--daemonize requires at least one of --output-to and --external-agent" };
        return o;
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
        bool inDaemon = ctx.GetEnv(DaemonMarker) == "1";
        if (options.Daemonize && !inDaemon)
            return Task.FromResult(Daemonize(ctx, options, args));
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
            var commandLine = "crm_mon " + string.Join(' ', args);
            bool live = !options.OneShot && !options.Xml && (inDaemon || IsTerminal(ctx));
            string Render(System.Xml.Linq.XElement cib, DateTimeOffset now)
            {
                var (document, result) = ClusterState.Evaluate(cib, now);
                if (options.Xml) return ClusterStatusXml.Format(document, result, commandLine, now);
                var text = ClusterStatusFormatter.Format(document, result, options.View, now);
                if (!options.Html && client is not FileCibClient && PacemakerdHealth.Line(ctx.Paths, now) is { } health)
                    text = health + text;
                return options.Html ? ClusterStatusHtml.FromText(text, live ? (int)Math.Ceiling(options.Interval.TotalSeconds) : null) : text;
            }
            if (!live)
            {
                var text = Render(root, DateTimeOffset.UtcNow);
                if (string.Equals((string?)root.Attribute("validate-with"), "none", StringComparison.OrdinalIgnoreCase))
                    ctx.Err.WriteLine("Schema validation of configuration is disabled (enabling is encouraged and prevents common misconfigurations)");
                if (options.OutputTo is null) ctx.Out.Write(text);
                else LiveMonitor.WriteFile(options.OutputTo, text);
                return Task.FromResult(0);
            }
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            if (inDaemon && options.PidFile is { } pidFile)
                File.WriteAllText(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            try
            {
                Action<string> show = options.OutputTo is { } file ? text => LiveMonitor.WriteFile(file, text)
                    : text =>
                    {
                        ctx.Out.Write(LiveMonitor.ForTerminal(text));
                        ctx.Out.Flush();
                    };
                new LiveMonitor(client, Render, show).Run(options.Interval, stop.Token);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            return Task.FromResult(0);
        }
    }

    /// <summary>The continuous view is for a person at a terminal; piped or captured output gets one frame, as a script expects.</summary>
    private static bool IsTerminal(ToolContext ctx) => ReferenceEquals(ctx.Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>
    /// --daemonize: the same command runs again in its own session (setsid) with the marker set,
    /// and this process returns once the daemon wrote its first page (bounded: 10 s).
    /// </summary>
    private static int Daemonize(ToolContext ctx, Options options, string[] args)
    {
        var exe = Environment.ProcessPath;
        if (exe is null)
        {
            ctx.Err.WriteLine("crm_mon: cannot find this program to start the daemon");
            return 1;
        }
        var start = new System.Diagnostics.ProcessStartInfo("setsid")
        {
            UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(exe);
        // Under `dotnet hacluster.dll` the program is the dll; the native binary is the program itself.
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]);
        start.ArgumentList.Add("crm_mon");
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment[DaemonMarker] = "1";
        var target = Path.GetFullPath(options.OutputTo!);
        var before = File.Exists(target) ? File.GetLastWriteTimeUtc(target) : DateTime.MinValue;
        using var child = System.Diagnostics.Process.Start(start);
        if (child is null)
        {
            ctx.Err.WriteLine("crm_mon: could not start the daemon");
            return 1;
        }
        child.StandardInput.Close();
        var errors = child.StandardError.ReadToEndAsync();
        for (int i = 0; i < 100; i++)
        {
            if (child.HasExited)
            {
                ctx.Err.Write(errors.GetAwaiter().GetResult());
                return child.ExitCode;
            }
            if (File.Exists(target) && File.GetLastWriteTimeUtc(target) > before) return 0;
            Thread.Sleep(100);
        }
        ctx.Err.WriteLine($"crm_mon: the daemon did not write {options.OutputTo} within 10 s");
        return 1;
    }
}
