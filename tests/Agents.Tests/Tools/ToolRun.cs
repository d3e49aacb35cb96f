using Cluster.Tools.Dispatch;

namespace Cluster.Agents.Tests.Tools;

/// <summary>Runs a tool in-process with captured streams and a chosen environment.</summary>
public static class ToolRun
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(ToolEntry tool, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var context = new ToolContext(TextReader.Null, output, error, name => env.GetValueOrDefault(name));
        var exit = await tool.Run(context, args);
        return (exit, output.ToString(), error.ToString());
    }
}
