using Cluster.Common.Paths;

namespace Cluster.Tools.Dispatch;

/// <summary>What a tool may touch: its streams and environment. Lets tests run tools in-process.</summary>
public sealed record ToolContext(TextReader In, TextWriter Out, TextWriter Err, Func<string, string?> GetEnv)
{
    public HaPaths Paths => HaPaths.FromEnvironment(GetEnv);

    public static ToolContext FromConsole() =>
        new(Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable);
}

/// <summary>A tool's entry point: returns the process exit code.</summary>
public delegate Task<int> ToolMain(ToolContext context, string[] args);

/// <summary>One tool name the multi-call executable answers to.</summary>
public sealed record ToolEntry(string Name, string Summary, ToolMain Run);
