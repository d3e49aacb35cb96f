using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Pcs;

/// <summary>The pcs command line: global flags, then the longest matching command words.</summary>
public static class PcsTool
{
    public static ToolEntry Entry { get; } = new("pcs", "pacemaker/corosync configuration system (subset)", RunAsync);

    public static Task<int> RunAsync(ToolContext context, string[] args) => RunAsync(context, args, PcsCommands.All);

    public static async Task<int> RunAsync(ToolContext context, string[] args, IReadOnlyList<PcsCommand> commands)
    {
        var (options, words, error) = PcsOptions.Parse(args);
        if (error is not null)
        {
            context.Err.WriteLine($"Error: {error}");
            return 1;
        }
        if (words.Count == 0 || words[0] is "-h" or "--help" or "help")
        {
            PrintUsage(context.Out, commands);
            return words.Count == 0 ? 1 : 0;
        }
        var match = commands
            .Where(c => c.Words.Count <= words.Count && c.Words.SequenceEqual(words.Take(c.Words.Count)))
            .MaxBy(c => c.Words.Count);
        if (match is null)
        {
            context.Err.WriteLine($"Error: unknown command '{string.Join(' ', words.Take(2))}'");
            // Show the commands of the same group when there are any, else all of them.
            var group = commands.Where(c => c.Words[0] == words[0]).ToList();
            PrintUsage(context.Err, group.Count > 0 ? group : commands);
            return 1;
        }
        return await match.Run(new PcsInvocation(context, options, words.Skip(match.Words.Count).ToList())).ConfigureAwait(false);
    }

    private static void PrintUsage(TextWriter output, IReadOnlyList<PcsCommand> commands)
    {
        output.WriteLine("Usage: pcs [-f file] [--full] [--force] [--debug] <command> [args...]");
        output.WriteLine("Commands:");
        foreach (var command in commands.OrderBy(c => string.Join(' ', c.Words), StringComparer.Ordinal))
            output.WriteLine($"    {command.Usage}");
    }
}
