using Cluster.Crm.Attributes;
using Cluster.Crm.Digests;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// attrd_updater: sets, deletes and queries transient node attributes through the local attrd
/// (pacemakerd's <c>attrd.sock</c>), with Pacemaker 2.1.5's options, messages and exit codes.
/// An update returns once attrd took it; the cluster agrees on it and the attrd writer writes it
/// into the status section (after the dampening, if any) on its own time.
/// </summary>
public static class AttrdUpdaterTool
{
    public static readonly ToolEntry Entry = new("attrd_updater", "Query and update transient node attributes through attrd", Run);

    /// <summary>What the command line asks for.</summary>
    public enum Command
    {
        Query,
        Update,
        UpdateBoth,
        UpdateDelay,
        Delete,
        Refresh,
    }

    /// <summary>A parsed command line: the command, the attribute, its node (null: local) and the dampening.</summary>
    public sealed record Options(Command Command, string? Name, string? Value, string? Node, TimeSpan? Delay, bool AllNodes, IReadOnlyList<string> Warnings);

    /// <summary>attrd_updater 2.1.5's command line.</summary>
    public static GlibOptions Parser { get; } = new("attrd_updater", "query and update Pacemaker node attributes",
    [
        new("output-as", null, GlibValue.Required, "Specify output format as one of: text (default), xml", "FORMAT", "output"),
        new("output-to", null, GlibValue.Required, "Specify file name for output (or \"-\" for stdout)", "DEST", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("name", 'n', GlibValue.Required, "The attribute's name", "NAME", "required"),
        new("update", 'U', GlibValue.Required, "Update attribute's value in pacemaker-attrd. If this causes the value\n"
            + "to change, it will also be updated in the cluster configuration.", "VALUE", "command"),
        new("update-both", 'B', GlibValue.Required, "Update attribute's value and time to wait (dampening) in\n"
            + "pacemaker-attrd. If this causes the value or dampening to change,\nthe attribute will also be written to the cluster configuration,\n"
            + "so be aware that repeatedly changing the dampening reduces its\neffectiveness.\nRequires -d/--delay", "VALUE", "command"),
        new("update-delay", 'Y', GlibValue.None, "Update attribute's dampening in pacemaker-attrd. If this causes\n"
            + "the dampening to change, the attribute will also be written\nto the cluster configuration, so be aware that repeatedly\n"
            + "changing the dampening reduces its effectiveness.\nRequires -d/--delay", Group: "command"),
        new("query", 'Q', GlibValue.None, "Query the attribute's value from pacemaker-attrd", Group: "command"),
        new("delete", 'D', GlibValue.None, "Unset attribute from pacemaker-attrd. At the moment, there is no way\n"
            + "to remove an attribute. This option will instead set its value\nto the empty string.", Group: "command"),
        new("refresh", 'R', GlibValue.None, "(Advanced) Force the pacemaker-attrd daemon to resend all current\nvalues to the CIB", Group: "command"),
        new("delay", 'd', GlibValue.Required, "The time to wait (dampening) in seconds for further changes\nbefore sending to the CIB", "SECONDS", "additional"),
        new("set", 's', GlibValue.Required, "(Advanced) The attribute set in which to place the value", "SET", "additional"),
        new("node", 'N', GlibValue.Required, "Set the attribute for the named node (instead of the local one)", "NODE", "additional"),
        new("all", 'A', GlibValue.None, "Show values of the attribute for all nodes (query only)", Group: "additional"),
        new("lifetime", 'l', GlibValue.Required, "(Not yet implemented) Lifetime of the node attribute (silently\nignored by cluster)", "SECTION", "additional"),
        new("private", 'p', GlibValue.None, "If this creates a new attribute, never write the attribute to CIB", Group: "additional"),
    ],
    [
        new("output", "Output Options:", "Show output help"),
        new("required", "Required Arguments:", "Show required arguments"),
        new("command", "Command:", "Show command options (mutually exclusive)"),
        new("additional", "Additional Options:", "Show additional options"),
    ],
    epilogue: "Report bugs to users@clusterlabs.org\n\n");

    private static readonly Dictionary<string, Command> Commands = new(StringComparer.Ordinal)
    {
        ["update"] = Command.Update,
        ["update-both"] = Command.UpdateBoth,
        ["update-delay"] = Command.UpdateDelay,
        ["query"] = Command.Query,
        ["delete"] = Command.Delete,
        ["refresh"] = Command.Refresh,
    };

    /// <summary>Options 2.1.5 has that this implementation refuses rather than ignores.</summary>
    private static readonly string[] Unsupported = ["set", "private", "output-to"];

    /// <summary>The parsed command line, or the error (printed after "attrd_updater: ", exit 64).</summary>
    public static (Options? Options, string? Error) From(GlibArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (Unsupported.FirstOrDefault(parsed.Has) is { } unsupported)
            return (null, $"--{unsupported} is not supported by this implementation");
        if (parsed.Value("output-as") is { } format && format != "text")
            return (null, $"--output-as={format} is not supported by this implementation (text only)");
        if (parsed.Operands.Count > 0)
            return (null, $"unexpected argument '{parsed.Operands[0]}'");
        // As GLib callbacks do, the last command given wins; none is a query.
        var given = parsed.Given.LastOrDefault(g => Commands.ContainsKey(g.Option.Long));
        var command = given.Option is null ? Command.Query : Commands[given.Option.Long];
        var name = parsed.Value("name");
        if (name is null && command != Command.Refresh)
            return (null, "Command requires --name argument");
        var warnings = new List<string>();
        TimeSpan? delay = null;
        if (parsed.Value("delay") is { } d)
        {
            if (!TimeSpec.TryParseMs(d, out var ms) || ms < 0)
                return (null, $"Invalid value for --delay: '{d}' is not a time (seconds, or with a unit: 5s, 500ms, 1min)");
            delay = TimeSpan.FromMilliseconds(ms);
        }
        if (command is Command.UpdateBoth or Command.UpdateDelay && delay is null)
            warnings.Add($"Warning: '{(command == Command.UpdateBoth ? 'B' : 'Y')}' command given without required --delay");
        // -U changes the value only: the dampening travels with -B and -Y, as in 2.1.5.
        if (command is Command.Update or Command.Delete)
            delay = null;
        return (new Options(command, name, given.Value, parsed.Value("node"), delay, parsed.Has("all"), warnings), null);
    }

    public static async Task<int> Run(ToolContext ctx, string[] args)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        if (!Parser.TryParse(ctx, args, out var parsed, out var exit))
            return exit;
        var (o, error) = From(parsed);
        if (o is null)
        {
            ctx.Err.WriteLine($"attrd_updater: {error}");
            return GlibOptions.ExitUsage;
        }
        foreach (var w in o.Warnings)
            ctx.Err.WriteLine(w);
        var socket = AttributeClientWire.SocketPath(ctx.Paths);
        try
        {
            return o.Command == Command.Query
                ? await QueryAsync(ctx, socket, o).ConfigureAwait(false)
                : await UpdateAsync(ctx, socket, o).ConfigureAwait(false);
        }
        catch (AttributeConnectionException e) when (o.Command == Command.Query)
        {
            ctx.Err.WriteLine($"attrd_updater: Could not connect to attrd: {e.Reason}");
            return 102;
        }
        catch (AttributeConnectionException e)
        {
            ctx.Err.WriteLine($"attrd_updater: Could not update {o.Name ?? "(null)"}={o.Value ?? "(null)"}: {e.Reason} ({e.Errno})");
            return 102;
        }
    }

    private static async Task<int> QueryAsync(ToolContext ctx, string socket, Options o)
    {
        var reply = await AttributeSocketClient.CallAsync(socket, new AttributeWireRequest(1, AttributeClientCommand.Query, o.Name, o.Node, AllNodes: o.AllNodes)).ConfigureAwait(false);
        if (reply.Error is not null)
        {
            ctx.Err.WriteLine($"attrd_updater: Could not query value of {o.Name}: {reply.Error}");
            return 1;
        }
        if (reply.Values is not { Count: > 0 } values)
        {
            ctx.Err.WriteLine($"attrd_updater: Could not query value of {o.Name}: attribute does not exist");
            return 105;
        }
        foreach (var (host, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            ctx.Out.WriteLine($"name=\"{o.Name}\" host=\"{host}\" value=\"{value}\"");
        return 0;
    }

    private static async Task<int> UpdateAsync(ToolContext ctx, string socket, Options o)
    {
        var value = o.Value;
        if (o.Command == Command.UpdateDelay)
        {
            // The dampening travels with a value: the one attrd holds now.
            var current = await AttributeSocketClient.CallAsync(socket, new AttributeWireRequest(1, AttributeClientCommand.Query, o.Name, o.Node)).ConfigureAwait(false);
            value = current.Values?.Values.FirstOrDefault();
            if (value is null)
            {
                ctx.Err.WriteLine($"attrd_updater: Could not update {o.Name}=(null): attribute does not exist");
                return 105;
            }
        }
        var command = o.Command switch
        {
            Command.Delete => AttributeClientCommand.Delete,
            Command.Refresh => AttributeClientCommand.Refresh,
            _ => AttributeClientCommand.Update,
        };
        var reply = await AttributeSocketClient.CallAsync(socket, new AttributeWireRequest(2, command, o.Name, o.Node, value,
            o.Delay is { } d ? (long)d.TotalMilliseconds : null)).ConfigureAwait(false);
        if (reply.Error is not null)
        {
            ctx.Err.WriteLine($"attrd_updater: Could not update {o.Name ?? "(null)"}={value ?? "(null)"}: {reply.Error}");
            return 1;
        }
        return 0;
    }
}
