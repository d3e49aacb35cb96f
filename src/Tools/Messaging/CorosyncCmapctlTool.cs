using Cluster.Messaging.Cmap;
using Cluster.Messaging.Config;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>
/// <c>corosync-cmapctl</c>. Implemented: our extension <c>--config FILE [-g KEY] [-q] [PREFIX...]</c>,
/// which prints the cmap view of a config file (the keys the parser stores plus the derived
/// <c>runtime.config.totem.*</c>) sorted, as <c>key (type) = value</c>. Reading a running daemon
/// is left to <see cref="RunLive"/>.
/// </summary>
public static class CorosyncCmapctlTool
{
    public const string Name = "corosync-cmapctl";

    /// <summary>The command line, parsed in one place for the file view and the live daemon view.</summary>
    public sealed record Options(string? ConfigFile, string? GetKey, bool Quiet, IReadOnlyList<string> Prefixes,
        string? SetKey = null, IReadOnlyList<string>? DeleteKeys = null, bool DeletePrefix = false);

    public static ToolEntry Entry { get; } = new(Name, "Print cmap keys (--config FILE: the cmap view of a corosync.conf)", Run);

    private static readonly Dictionary<string, char> LongOptions = new(StringComparer.Ordinal)
    {
        ["config"] = 'F',
    };

    public static (Options? Options, string? Error) ParseArguments(IReadOnlyList<string> args)
    {
        var parsed = new Getopt("F:g:qhs:d:D:m:", LongOptions).Parse(args, Name);
        if (parsed.Error is not null)
            return (null, parsed.Error);
        // -m selects the map: icmap (the default) is the only one we keep.
        if (parsed.Options.LastOrDefault(o => o.Name == 'm') is { Argument: not "icmap" } map)
            return (null, $"{Name}: map '{map.Argument}' is not available (only icmap)");
        var options = new Options(null, null, false, parsed.Operands);
        foreach (var option in parsed.Options)
        {
            options = option.Name switch
            {
                'F' => options with { ConfigFile = option.Argument },
                'g' => options with { GetKey = option.Argument },
                'q' => options with { Quiet = true },
                's' => options with { SetKey = option.Argument },
                'd' => options with { DeleteKeys = [.. options.DeleteKeys ?? [], option.Argument!] },
                'D' => options with { DeleteKeys = [.. options.DeleteKeys ?? [], option.Argument!], DeletePrefix = true },
                _ => options,
            };
        }
        return (options, parsed.Options.Any(o => o.Name == 'h') ? "help" : null);
    }

    private const string Usage = """
        usage:  corosync-cmapctl [-q] [-m icmap] [-g key] [-s key type value] [-d key...] [-D prefix...] [key_prefix...]
                corosync-cmapctl --config FILE [-q] [-g key] [key_prefix...]

            --config FILE  read FILE as corosync.conf and print its cmap view: the keys
                           corosync stores for it plus runtime.config.totem.* (effective timers)
            -g key         print only this key (-q: only its value)
            key_prefix     print only keys starting with one of these prefixes
        """;

    public static Task<int> Run(ToolContext context, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, error) = ParseArguments(args);
        if (options is null || error == "help")
        {
            if (options is null)
                context.Err.WriteLine(error);
            (options is null ? context.Err : context.Out).WriteLine(Usage);
            return Task.FromResult(options is null ? 1 : 0);
        }
        if (options.ConfigFile is null)
            return RunLive(context, options);
        // Keys only: a node name that does not resolve here is corosync -t's business, not ours.
        return Task.FromResult(PrintConfig(context, options, NoNameResolution.Instance));
    }

    /// <summary>Prints the cmap view of <see cref="Options.ConfigFile"/>; exit 1 when the config is invalid or a -g key is missing.</summary>
    public static int PrintConfig(ToolContext context, Options options, IAddressResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var result = CorosyncConfigLoader.LoadFile(options.ConfigFile!, context.Paths, resolver);
        if (!result.Succeeded)
        {
            var printer = new ConfigDiagnosticPrinter(context.Err, TimeProvider.System);
            foreach (var diagnostic in result.Errors)
                printer.Print(diagnostic);
            return 1;
        }
        var entries = CmapFlattener.All(result.Config!);
        return Print(context, options, entries);
    }

    /// <summary>Output shared with the live mode: one entry (-g) or all entries under the prefixes.</summary>
    public static int Print(ToolContext context, Options options, IReadOnlyList<CmapEntry> sortedEntries)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sortedEntries);
        if (options.GetKey is { } key)
        {
            var entry = sortedEntries.FirstOrDefault(e => e.Key == key);
            if (entry is null)
            {
                context.Err.WriteLine($"Can't get key {key}. Error CS_ERR_NOT_EXIST");
                return 1;
            }
            context.Out.WriteLine(options.Quiet ? entry.Value.Format() : entry.ToString());
            return 0;
        }
        foreach (var entry in sortedEntries)
        {
            if (options.Prefixes.Count == 0 || options.Prefixes.Any(p => entry.Key.StartsWith(p, StringComparison.Ordinal)))
                context.Out.WriteLine(entry.ToString());
        }
        return 0;
    }

    /// <summary>Reads (or changes) the running daemon's cmap.</summary>
    public static Task<int> RunLive(ToolContext context, Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        return CorosyncCmapctlLive.RunAsync(context, options);
    }
}
