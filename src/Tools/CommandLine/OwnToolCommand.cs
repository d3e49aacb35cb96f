using System.CommandLine;
using System.CommandLine.Invocation;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.CommandLine;

/// <summary>
/// System.CommandLine for our own tools (totem-sim, totem-bench), which copy no real tool's
/// command line: <c>--help</c>/<c>-h</c>/<c>-?</c>, <c>--version</c>, and its wording for unknown
/// options and missing values (exit 1), written to the tool's own streams.
/// </summary>
public static class OwnToolCommand
{
    /// <summary>What <c>--version</c> prints: the corosync release the messaging layer follows.</summary>
    public const string Version = "3.1.7";

    public static Task<int> InvokeAsync(ToolContext context, RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(root);
        // The default --version prints the entry assembly's version, which in-process callers
        // (tests) do not share; ours is fixed.
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintVersion();
        var result = root.Parse(args);
        return result.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Err });
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            ArgumentNullException.ThrowIfNull(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(Version);
            return 0;
        }
    }
}
