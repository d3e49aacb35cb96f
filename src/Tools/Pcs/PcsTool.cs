using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Pcs;

/// <summary>The pcs command line: global flags, then the longest matching command words.</summary>
public static class PcsTool
{
    public static ToolEntry Entry { get; } = new("pcs", "pacemaker/corosync configuration system (subset)", RunAsync);

    public static Task<int> RunAsync(ToolContext context, string[] args) => RunAsync(context, args, PcsCommands.All);

    /// <summary>What <c>pcs --version</c> prints: the pcs release whose command line this follows.</summary>
    public const string Version = "0.11.5";

    public static async Task<int> RunAsync(ToolContext context, string[] args, IReadOnlyList<PcsCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, words, error) = PcsOptions.Parse(args);
        // pcs warns before anything else, whatever the command and even if the line then fails.
        if (options.BareNegativeNumbers.Count > 0)
            context.Err.WriteLine($"Deprecation Warning: Using '{string.Join("', '", options.BareNegativeNumbers)}' without '--' is deprecated, "
                + "those parameters will be considered position independent options in future pcs versions");
        if (error is not null)
        {
            context.Err.WriteLine($"Error: {error}");
            context.Err.Write(PcsUsage.Main);
            return 1;
        }
        // As pcs: -h with no command is the main help; with one, it is that group's "help".
        if (options.Has("-h") || options.Has("--help"))
        {
            if (words.Count == 0)
            {
                context.Out.Write(PcsUsage.Main);
                return 0;
            }
            words.Insert(1, "help");
        }
        if (options.Has("--version"))
        {
            context.Out.WriteLine(Version);
            return 0;
        }
        if (words.Count == 0)
        {
            context.Err.Write(PcsUsage.Main);
            return 1;
        }
        if (words[0] == "help")
        {
            context.Out.Write(PcsUsage.Main);
            return 0;
        }
        var group = commands.Where(c => c.Words[0] == words[0]).ToList();
        if (group.Count == 0)
        {
            if (PcsUsage.RealGroups.Contains(words[0]))
            {
                context.Err.WriteLine($"Error: 'pcs {words[0]}' is not supported by this implementation");
                return 1;
            }
            // pcs answers an unknown command with its usage alone.
            context.Err.Write(PcsUsage.Main);
            return 1;
        }
        if (words.Count > 1 && words[1] == "help")
        {
            PrintGroupUsage(context.Out, PcsUsage.Group(words[0])?.Help ?? $"Usage: pcs {words[0]} [commands]...", group);
            return 0;
        }
        var match = group
            .Where(c => c.Words.Count <= words.Count && c.Words.SequenceEqual(words.Take(c.Words.Count)))
            .MaxBy(c => c.Words.Count);
        // A group's bare form ("pcs resource", "pcs property") takes options only: a further word
        // that names no command of the group is an unknown command, as in pcs.
        if (match is null || (match.Words.Count == 1 && words.Count > 1 && group.Count > 1))
        {
            PrintGroupUsage(context.Err, PcsUsage.Group(words[0])?.Unknown ?? $"Usage: pcs {words[0]} ...", group);
            return 1;
        }
        return await match.Run(new PcsInvocation(context, options, words.Skip(match.Words.Count).ToList())).ConfigureAwait(false);
    }

    /// <summary>A group's usage as pcs lays it out: a blank line, the header, then its commands (ours only).</summary>
    private static void PrintGroupUsage(TextWriter output, string header, IReadOnlyList<PcsCommand> commands)
    {
        output.WriteLine();
        output.WriteLine(header);
        foreach (var command in commands.OrderBy(c => string.Join(' ', c.Words), StringComparer.Ordinal))
            output.WriteLine($"    {command.Usage}");
        output.WriteLine();
    }
}
