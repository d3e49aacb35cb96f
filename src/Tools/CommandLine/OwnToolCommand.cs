using System.CommandLine;
using System.CommandLine.Invocation;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.CommandLine;

/// <summary>
/// System.CommandLine for our own tools (totem-sim, totem-bench, cib-bench, cluster-fuzz), which copy no real tool's
/// command line: <c>--help</c>/<c>-h</c>/<c>-?</c>, <c>--version</c>, and its wording for unknown
/// options and missing values (exit 1), written to the tool's own streams.
/// </summary>
public static class OwnToolCommand
{
    /// <summary>What <c>--version</c> prints by default: the corosync release the messaging layer follows.</summary>
    public const string Version = "3.1.7";

    /// <param name="usageExit">
    /// The exit code for a bad command line when the tool's own codes give 1 another meaning
    /// (cluster-fuzz: 1 is "findings"); null keeps System.CommandLine's 1.
    /// </param>
    /// <param name="version">What --version prints: the release of the layer the tool exercises.</param>
    public static async Task<int> InvokeAsync(ToolContext context, RootCommand root, string[] args, int? usageExit = null, string version = Version)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(root);
        // The default --version prints the entry assembly's version, which in-process callers
        // (tests) do not share; ours is fixed.
        foreach (var option in root.Options.OfType<VersionOption>())
            option.Action = new PrintVersion(version);
        var result = root.Parse(args);
        var code = await result.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Err }).ConfigureAwait(false);
        return result.Errors.Count > 0 && usageExit is { } usage ? usage : code;
    }

    private sealed class PrintVersion(string version) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            ArgumentNullException.ThrowIfNull(parseResult);
            parseResult.InvocationConfiguration.Output.WriteLine(version);
            return 0;
        }
    }
}
