using System.Diagnostics;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// Runs one of the repository's bench scripts to its end with no standard input, bounded in time:
/// past the bound it gets SIGTERM (the scripts take their namespaces down on it) and a grace period.
/// Returns the exit code and stdout followed by stderr.
/// </summary>
public static class ScriptRun
{
    public static async Task<(int ExitCode, string Text)> RunAsync(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment, TimeSpan bound, TimeSpan grace)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (k, v) in environment)
            start.Environment[k] = v;
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(bound);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            ProcessTracker.Terminate(p);
            using var late = new CancellationTokenSource(grace);
            await p.WaitForExitAsync(late.Token);
        }
        return (p.ExitCode, await stdout + "\n--- stderr\n" + await stderr);
    }
}
