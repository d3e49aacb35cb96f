using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Pcs;

/// <summary>What a pcs command gets: the tool context, global flags and the words after its own name.</summary>
public sealed record PcsInvocation(ToolContext Context, PcsOptions Options, IReadOnlyList<string> Args)
{
    public TextWriter Out => Context.Out;

    public TextWriter Err => Context.Err;

    /// <summary>Whether the command works on a CIB file (-f, or CIB_file as the CLI tools read it) rather than the running cluster.</summary>
    public bool OnFile => Options.CibFile is not null || Context.GetEnv("CIB_file") is { Length: > 0 };

    /// <summary>pcs's way to fail: the error, then the closing line, exit 1.</summary>
    public int Fail(string message)
    {
        Err.WriteLine($"Error: {message}");
        Err.WriteLine("Error: Errors have occurred, therefore pcs is unable to continue");
        return 1;
    }

    /// <summary>Several validation errors, then the closing line, exit 1.</summary>
    public int FailAll(IEnumerable<string> messages)
    {
        foreach (var m in messages)
            Err.WriteLine($"Error: {m}");
        Err.WriteLine("Error: Errors have occurred, therefore pcs is unable to continue");
        return 1;
    }

    /// <summary>Usage errors print just the error (pcs shows the command's usage instead).</summary>
    public int Usage(string message)
    {
        Err.WriteLine($"Error: {message}");
        return 1;
    }
}

/// <summary>
/// One pcs command, named by its words (<c>["resource", "describe"]</c>). Each command lives in
/// its own file and is listed in <see cref="PcsCommands"/>.
/// </summary>
public sealed record PcsCommand(IReadOnlyList<string> Words, string Usage, Func<PcsInvocation, Task<int>> Run);

/// <summary>Helpers to declare synchronous commands.</summary>
public static class Pcs
{
    public static PcsCommand Command(string words, string usage, Func<PcsInvocation, int> run) =>
        new(words.Split(' '), usage, inv => Task.FromResult(run(inv)));

    /// <summary>pcs's refusal that --force can override: the message with ", use --force to override".</summary>
    public static string Forceable(string message) => message + ", use --force to override";
}
