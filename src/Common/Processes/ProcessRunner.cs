using System.ComponentModel;
using System.Diagnostics;

namespace Cluster.Common.Processes;

/// <summary>
/// Runs one program directly (argv, never a shell) in its own session and process group, so a
/// timeout or cancellation can kill it together with every child it forked. Output is captured
/// up to a cap.
/// </summary>
public sealed class ProcessRunner(TimeProvider time)
{
    public static ProcessRunner Default { get; } = new(TimeProvider.System);

    /// <summary>util-linux setsid: makes the child a session and group leader, then execs the program.</summary>
    private static readonly string? SetsidPath = ProgramLocator.Find("setsid", ProgramLocator.DefaultPath);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var started = time.GetTimestamp();
        var searchPath = spec.Environment.TryGetValue("PATH", out var p) ? p
            : spec.InheritEnvironment ? Environment.GetEnvironmentVariable("PATH") : null;
        var program = ProgramLocator.Find(spec.Program, searchPath);
        if (program is null)
            return NotStarted($"{spec.Program}: no such executable file");
        if (SetsidPath is null)
            return NotStarted("setsid (util-linux) is not installed; cannot give the program its own process group");

        var info = new ProcessStartInfo(SetsidPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = spec.WorkingDirectory ?? "/",
        };
        info.ArgumentList.Add(program);
        foreach (var arg in spec.Arguments)
            info.ArgumentList.Add(arg);
        if (!spec.InheritEnvironment)
        {
            info.Environment.Clear();
            info.Environment["PATH"] = ProgramLocator.DefaultPath;
        }
        foreach (var (name, value) in spec.Environment)
            info.Environment[name] = value;

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return NotStarted($"{program}: {e.Message}");
        }
        var pgid = process.Id;
        var stdout = new CappedBuffer(spec.OutputLimitBytes);
        var stderr = new CappedBuffer(spec.OutputLimitBytes);
        var pumps = Task.WhenAll(
            stdout.PumpAsync(process.StandardOutput.BaseStream),
            stderr.PumpAsync(process.StandardError.BaseStream));
        var feeding = FeedStdinAsync(process.StandardInput, spec.StandardInput);

        // A timer cannot wait longer than uint.MaxValue - 1 ms (about 49 days): such a timeout
        // (crm_resource --timeout 99999999999) means no deadline rather than an exception.
        using var deadline = spec.Timeout is { } t && t.TotalMilliseconds < uint.MaxValue - 1
            ? new CancellationTokenSource(t, time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var outcome = ProcessOutcome.Exited;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            outcome = cancellationToken.IsCancellationRequested ? ProcessOutcome.Cancelled : ProcessOutcome.TimedOut;
            await KillGroupAsync(process, pgid, spec.KillGrace).ConfigureAwait(false);
        }

        // Output written before exit is in the pipe; a daemon left behind may hold it open.
        await Task.WhenAny(pumps, Task.Delay(spec.DrainAfterExit, time)).ConfigureAwait(false);
        await feeding.ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        return new ProcessResult(outcome, process.ExitCode, stdout.Snapshot(), stderr.Snapshot(),
            stdout.Truncated || stderr.Truncated, elapsed) { ProcessId = pgid };

        ProcessResult NotStarted(string why) =>
            new(ProcessOutcome.FailedToStart, 127, "", "", false, time.GetElapsedTime(started), why);
    }

    /// <summary>SIGTERM to the whole group, then SIGKILL to whatever is left after the grace.</summary>
    private async Task KillGroupAsync(Process process, int pgid, TimeSpan grace)
    {
        Posix.KillGroup(pgid, Posix.SigTerm);
        using (var graceTimer = new CancellationTokenSource(grace, time))
        {
            try
            {
                await process.WaitForExitAsync(graceTimer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the leader ignored SIGTERM; SIGKILL below
            }
        }
        // Children may outlive a leader that obeyed SIGTERM; the group is killed either way.
        Posix.KillGroup(pgid, Posix.SigKill);
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task FeedStdinAsync(StreamWriter stdin, string? text)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                await stdin.WriteAsync(text).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
            }
            stdin.Close();
        }
        catch (IOException)
        {
            // The program exited or closed stdin without reading it all: its choice, not an error.
        }
    }
}
