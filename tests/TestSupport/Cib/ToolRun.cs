using System.Diagnostics;

namespace Cluster.TestSupport.Cib;

/// <summary>The result of running a command: exit code (null = killed on timeout) and output.</summary>
public sealed record ToolRun(int? ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, long PeakRssKiB)
{
    public bool TimedOut => ExitCode is null;

    /// <summary>User + system CPU time of the child (only from <see cref="RunMeasuredAsync"/>).</summary>
    public TimeSpan CpuTime { get; init; }

    private const string GnuTime = "/usr/bin/time";

    /// <summary>True when the child was stopped by the CPU-time limit of <see cref="RunMeasuredAsync"/>.</summary>
    public bool CpuLimited { get; init; }

    /// <summary>
    /// Like <see cref="RunAsync"/>, but under GNU time (when installed) so that peak RSS and CPU
    /// time are exact: on a shared, loaded machine CPU time is the steadier figure. With
    /// <paramref name="cpuLimitSeconds"/> the child also gets an RLIMIT_CPU (ulimit -t), so "did
    /// not finish" means the same amount of work however busy the machine is.
    /// </summary>
    public static async Task<ToolRun> RunMeasuredAsync(string file, IReadOnlyList<string> args, TimeSpan wallTimeout,
        int? cpuLimitSeconds = null, CancellationToken ct = default)
    {
        if (!File.Exists(GnuTime)) return await RunAsync(file, args, wallTimeout, ct).ConfigureAwait(false);
        var report = Path.GetTempFileName();
        try
        {
            string[] timed = [GnuTime, "-f", "%e %M %U %S", "-o", report, file, .. args];
            var run = cpuLimitSeconds is { } limit
                ? await RunAsync("/bin/sh", ["-c", "ulimit -t \"$0\" && exec \"$@\"", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), .. timed], wallTimeout, ct).ConfigureAwait(false)
                : await RunAsync(timed[0], timed[1..], wallTimeout, ct).ConfigureAwait(false);
            var text = await File.ReadAllTextAsync(report, ct).ConfigureAwait(false);
            var fields = text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            // GNU time prefixes "Command terminated by signal N" lines; the figures are last.
            if (run.TimedOut || fields.Length < 4) return run;
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var n = fields.Length;
            return run with
            {
                PeakRssKiB = long.Parse(fields[n - 3], inv),
                CpuTime = TimeSpan.FromSeconds(double.Parse(fields[n - 2], inv) + double.Parse(fields[n - 1], inv)),
                // SIGXCPU (24) when the soft limit is hit, SIGKILL (9) at the hard limit.
                CpuLimited = cpuLimitSeconds is not null
                             && (text.Contains("signal 24", StringComparison.Ordinal) || text.Contains("signal 9", StringComparison.Ordinal)),
            };
        }
        finally
        {
            File.Delete(report);
        }
    }

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

    // The largest VmHWM of the process and its direct children (a wrapper such as GNU time
    // is small; the measured tool is its child).
    private static long ReadHighWaterMarkKiB(int pid)
    {
        var peak = ReadOwnHighWaterMarkKiB(pid);
        try
        {
            var children = File.ReadAllText($"/proc/{pid}/task/{pid}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var child in children)
                peak = Math.Max(peak, ReadOwnHighWaterMarkKiB(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return peak;
    }

    private static long ReadOwnHighWaterMarkKiB(int pid)
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
