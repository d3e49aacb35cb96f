using System.Diagnostics;

namespace Cluster.TestSupport.Cib;

/// <summary>The result of running a command: exit code (null = killed on timeout) and output.</summary>
public sealed record ToolRun(int? ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, long PeakRssKiB)
{
    public bool TimedOut => ExitCode is null;

    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/>; kills it (by its own pid) after
    /// <paramref name="timeout"/>. Peak memory is the child's VmHWM from /proc, sampled while it
    /// runs (0 if it could not be read).
    /// </summary>
    public static async Task<ToolRun> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        long peak = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var exited = process.WaitForExitAsync(deadline.Token);
        // Sample VmHWM until exit: /proc/<pid>/status disappears once the child is reaped.
        while (!exited.IsCompleted)
        {
            peak = Math.Max(peak, ReadHighWaterMarkKiB(process.Id));
            await Task.WhenAny(exited, Task.Delay(50, CancellationToken.None)).ConfigureAwait(false);
        }
        int? code;
        try
        {
            await exited.ConfigureAwait(false);
            code = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            code = null;
        }
        watch.Stop();
        return new ToolRun(code, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), watch.Elapsed, peak);
    }

    private static long ReadHighWaterMarkKiB(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
