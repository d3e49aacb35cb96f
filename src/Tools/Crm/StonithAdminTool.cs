using System.Globalization;
using Cluster.Crm.Fencing;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// stonith_admin: lists fencing devices (-L, -l NODE), fences through the local fencer (-F off,
/// -B reboot, -U on) and shows the fencing history (-H NODE|'*'), with Pacemaker 2.1.5's options,
/// messages and exit codes. Device and level registration by hand (-R, -D, -r, -d) and the other
/// queries are refused: devices come from the CIB's stonith primitives here.
/// </summary>
public static class StonithAdminTool
{
    public static readonly ToolEntry Entry = new("stonith_admin", "Access the fencing API: list devices, fence nodes, show fencing history", Run);

    /// <summary>The commands this implementation carries out.</summary>
    public enum Command
    {
        ListRegistered,
        ListFor,
        Fence,
        Reboot,
        Unfence,
        History,
    }

    /// <summary>A parsed command line.</summary>
    public sealed record Options(Command Command, string? Target, TimeSpan Timeout, bool Quiet, bool Verbose);

    /// <summary>stonith_admin 2.1.5's command line.</summary>
    public static GlibOptions Parser { get; } = new("stonith_admin", "stonith_admin - Access the Pacemaker fencing API",
    [
        new("output-as", null, GlibValue.Required, "Specify output format as one of: text (default), html, xml", "FORMAT", "output"),
        new("output-to", null, GlibValue.Required, "Specify file name for output (or \"-\" for stdout)", "DEST", "output"),
        new("html-cgi", null, GlibValue.None, "Add CGI headers (requires --output-as=html)", Group: "output"),
        new("html-stylesheet", null, GlibValue.Required, "Link to an external stylesheet (requires --output-as=html)", "URI", "output"),
        new("html-title", null, GlibValue.Required, "Specify a page title (requires --output-as=html)", "TITLE", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("register", 'R', GlibValue.Required, "Register the named stonith device. Requires: --agent.\nOptional: --option, --env-option.", "DEVICE", "definition"),
        new("deregister", 'D', GlibValue.Required, "De-register the named stonith device.", "DEVICE", "definition"),
        new("register-level", 'r', GlibValue.Required, "Register a stonith level for the named target,\nspecified as one of NAME, @PATTERN, or ATTR=VALUE.\n"
            + "Requires: --index and one or more --device entries.", "TARGET", "definition"),
        new("deregister-level", 'd', GlibValue.Required, "Unregister a stonith level for the named target,\nspecified as for --register-level. Requires: --index", "TARGET", "definition"),
        new("list", 'l', GlibValue.Required, "List devices that can terminate the specified host.\nOptional: --timeout", "HOST", "queries"),
        new("list-registered", 'L', GlibValue.None, "List all registered devices. Optional: --timeout.", Group: "queries"),
        new("list-installed", 'I', GlibValue.None, "List all installed devices. Optional: --timeout.", Group: "queries"),
        new("list-targets", 's', GlibValue.Required, "List the targets that can be fenced by the\nnamed device. Optional: --timeout.", "DEVICE", "queries"),
        new("metadata", 'M', GlibValue.None, "Show agent metadata. Requires: --agent.\nOptional: --timeout.", Group: "queries"),
        new("query", 'Q', GlibValue.Required, "Check the named device's status. Optional: --timeout.", "DEVICE", "queries"),
        new("history", 'H', GlibValue.Required, "Show last successful fencing operation for named node\n(or '*' for all nodes). Optional: --timeout, --cleanup,\n"
            + "--quiet (show only the operation's epoch timestamp),\n--verbose (show all recorded and pending operations),\n"
            + "--broadcast (update history from all nodes available).", "NODE", "queries"),
        new("last", 'h', GlibValue.Required, "Indicate when the named node was last fenced.\nOptional: --as-node-id.", "NODE", "queries"),
        new("validate", 'K', GlibValue.None, "Validate a fence device configuration.\nRequires: --agent. Optional: --option, --env-option,\n"
            + "--quiet (print no output, only return status).", Group: "queries"),
        new("fence", 'F', GlibValue.Required, "Fence named host. Optional: --timeout, --tolerance, --delay.", "HOST", "fence"),
        new("unfence", 'U', GlibValue.Required, "Unfence named host. Optional: --timeout, --tolerance, --delay.", "HOST", "fence"),
        new("reboot", 'B', GlibValue.Required, "Reboot named host. Optional: --timeout, --tolerance, --delay.", "HOST", "fence"),
        new("confirm", 'C', GlibValue.Required, "Tell cluster that named host is now safely down.", "HOST", "fence"),
        new("cleanup", 'c', GlibValue.None, "Cleanup wherever appropriate. Requires --history.", Group: "additional"),
        new("broadcast", 'b', GlibValue.None, "Broadcast wherever appropriate.", Group: "additional"),
        new("agent", 'a', GlibValue.Required, "The agent to use (for example, fence_xvm;\nwith --register, --metadata, --validate).", "AGENT", "additional"),
        new("option", 'o', GlibValue.Required, "Specify a device configuration parameter as NAME=VALUE\n(may be specified multiple times; with --register,\n--validate).", "PARAM", "additional"),
        new("env-option", 'e', GlibValue.Required, "Specify a device configuration parameter with the\nspecified name, using the value of the\n"
            + "environment variable of the same name prefixed with\nOCF_RESKEY_ (may be specified multiple times;\nwith --register, --validate).", "PARAM", "additional"),
        new("tag", 'T', GlibValue.Required, "Identify fencing operations in logs with the specified\ntag; useful when multiple entities might invoke\n"
            + "stonith_admin (used with most commands).", "TAG", "additional"),
        new("device", 'v', GlibValue.Required, "Device ID (with --register-level, device to associate with\na given host and level; may be specified multiple times)\n"
            + "(with --validate, name to use to load CIB secrets).", "DEVICE", "additional"),
        new("index", 'i', GlibValue.Required, "The stonith level (1-9) (with --register-level,\n--deregister-level).", "LEVEL", "additional"),
        new("timeout", 't', GlibValue.Required, "Operation timeout in seconds (default 120;\nused with most commands).", "SECONDS", "additional"),
        new("delay", 'y', GlibValue.Required, "Apply a fencing delay in seconds. Any static/random delays from\npcmk_delay_base/max will be added, otherwise all\n"
            + "disabled with the value -1\n(default 0; with --fence, --reboot, --unfence).", "SECONDS", "additional"),
        new("as-node-id", 'n', GlibValue.None, "(Advanced) The supplied node is the corosync node ID\n(with --last).", Group: "additional"),
        new("tolerance", null, GlibValue.Required, "(Advanced) Do nothing if an equivalent --fence request\nsucceeded less than this many seconds earlier\n"
            + "(with --fence, --unfence, --reboot).", "SECONDS", "additional"),
        new("quiet", 'q', GlibValue.None, "Be less descriptive in output."),
    ],
    [
        new("output", "Output Options:", "Show output help"),
        new("definition", "Device Definition Commands:", "Show device definition help"),
        new("queries", "Queries:", "Show query help"),
        new("fence", "Fencing Commands:", "Show fence help"),
        new("additional", "Additional Options:", "Show additional options"),
    ],
    epilogue: "Report bugs to users@clusterlabs.org\n\n");

    private static readonly Dictionary<string, Command> Commands = new(StringComparer.Ordinal)
    {
        ["list-registered"] = Command.ListRegistered,
        ["list"] = Command.ListFor,
        ["fence"] = Command.Fence,
        ["reboot"] = Command.Reboot,
        ["unfence"] = Command.Unfence,
        ["history"] = Command.History,
    };

    /// <summary>Commands and options 2.1.5 has that this implementation refuses rather than ignores.</summary>
    private static readonly string[] Unsupported =
    [
        "register", "deregister", "register-level", "deregister-level", "list-installed", "list-targets", "metadata", "query",
        "last", "validate", "confirm", "cleanup", "output-to", "html-cgi", "html-stylesheet", "html-title", "tolerance",
    ];

    /// <summary>The parsed command line, null with no command (usage, exit 64), or the error (exit 64).</summary>
    public static (Options? Options, string? Error) From(GlibArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (Unsupported.FirstOrDefault(parsed.Has) is { } unsupported)
            return (null, $"--{unsupported} is not supported by this implementation");
        if (parsed.Value("output-as") is { } format && format != "text")
            return (null, $"--output-as={format} is not supported by this implementation (text only)");
        var timeout = TimeSpan.FromSeconds(120);
        if (parsed.Value("timeout") is { } t)
        {
            if (!int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                return (null, $"Cannot parse integer value “{t}” for -t");
            if (seconds > 0)
                timeout = TimeSpan.FromSeconds(seconds);
        }
        // As GLib callbacks do, the last command given wins.
        var given = parsed.Given.LastOrDefault(g => Commands.ContainsKey(g.Option.Long));
        if (given.Option is null)
            return (null, null);
        return (new Options(Commands[given.Option.Long], given.Value, timeout, parsed.Has("quiet"), parsed.Verbosity > 0), null);
    }

    public static async Task<int> Run(ToolContext ctx, string[] args)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!Parser.TryParse(ctx, args, out var parsed, out var exit))
            return exit;
        var (o, error) = From(parsed);
        if (o is null)
        {
            // 2.1.5 prints its help with one more blank line than GLib's own.
            if (error is null)
                ctx.Err.Write(Parser.UsageOnError() + "\n");
            else
                ctx.Err.WriteLine($"stonith_admin: {error}");
            return GlibOptions.ExitUsage;
        }
        var socket = FencerWire.SocketPath(ctx.Paths);
        var client = $"stonith_admin.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        var (command, action) = o.Command switch
        {
            Command.ListRegistered => (FencerCommand.ListRegistered, null),
            Command.ListFor => (FencerCommand.ListFor, null),
            Command.Fence => (FencerCommand.Fence, "off"),
            Command.Reboot => (FencerCommand.Fence, "reboot"),
            Command.Unfence => (FencerCommand.Fence, "on"),
            _ => (FencerCommand.History, (string?)null),
        };
        FencerWireReply reply;
        try
        {
            // The fencer answers a fence within the timeout; give the socket a little more.
            reply = await FencerSocketClient.CallAsync(socket, new FencerWireRequest(1, command, o.Target, action,
                (long)o.Timeout.TotalMilliseconds, client), o.Timeout + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (FencerConnectionException e)
        {
            ctx.Err.WriteLine(command == FencerCommand.Fence
                ? $"stonith_admin: Couldn't {(action == "on" ? "unfence" : "fence")} {o.Target}: {e.Reason}"
                : $"Could not connect to fencer: {e.Reason}");
            return 102;
        }
        if (reply.Error is not null)
        {
            ctx.Err.WriteLine(command == FencerCommand.Fence
                ? $"stonith_admin: Couldn't {(action == "on" ? "unfence" : "fence")} {o.Target}: {reply.Error}"
                : $"stonith_admin: {reply.Error}");
            return reply.ExitCode == 0 ? 1 : reply.ExitCode;
        }
        switch (command)
        {
            case FencerCommand.ListRegistered or FencerCommand.ListFor:
                var devices = reply.Devices ?? [];
                foreach (var d in devices)
                    ctx.Out.WriteLine(o.Quiet ? d : $" {d}");
                if (!o.Quiet)
                    ctx.Out.WriteLine($"{devices.Count.ToString(CultureInfo.InvariantCulture)} fence device{(devices.Count == 1 ? "" : "s")} found");
                break;
            case FencerCommand.History:
                WriteHistory(ctx, reply.History ?? [], o);
                break;
        }
        return 0;
    }

    /// <summary>
    /// The history as 2.1.5 prints it, newest first: every operation with --verbose, else the
    /// latest per node and outcome; with --quiet only the epoch of the latest success.
    /// </summary>
    public static void WriteHistory(ToolContext ctx, IReadOnlyList<FencerWireEvent> events, Options o)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(o);
        var newest = events.OrderByDescending(e => e.CompletedUnixMs).ToList();
        if (o.Quiet)
        {
            if (newest.FirstOrDefault(e => e.Succeeded) is { } last)
                ctx.Out.WriteLine((last.CompletedUnixMs / 1000).ToString(CultureInfo.InvariantCulture));
            return;
        }
        var shown = o.Verbose ? newest : [.. newest.GroupBy(e => (e.Target, e.Succeeded)).Select(g => g.First())];
        foreach (var e in shown)
        {
            var when = DateTimeOffset.FromUnixTimeMilliseconds(e.CompletedUnixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);
            var action = e.Action switch { "off" => "turning off", "on" => "unfencing", var a => a };
            var label = o.Verbose ? "completed" : e.Succeeded ? "last-successful" : "last-failed";
            ctx.Out.WriteLine(e.Succeeded
                ? $"{action} of {e.Target} successful: delegate={e.Delegate}, client={e.Client}, origin={e.Origin}, {label}='{when}'"
                : $"{action} of {e.Target} failed: delegate={e.Delegate}, client={e.Client}, origin={e.Origin}, {label}='{when}'");
        }
    }
}
