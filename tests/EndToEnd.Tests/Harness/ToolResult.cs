namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>What a command printed and returned.</summary>
public sealed record ToolResult(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}--- stderr\n{Err}";
}
