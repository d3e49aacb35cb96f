using Cluster.Common.Processes;

namespace Cluster.Common.Tests.Processes;

public sealed class ProcessRunnerTests
{
    private static readonly ProcessRunner Runner = ProcessRunner.Default;

    private static ProcessSpec Sh(string script, params string[] args) =>
        new("/bin/sh", ["-c", script, "sh", .. args]);

    [Fact]
    public async Task ArgumentWithShellMetacharactersReachesProgramLiterallyAndRunsNothing()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"runner-inject-{Guid.NewGuid():N}");
        var value = $"1.2.3.4; touch {marker}";

        var result = await Runner.RunAsync(new ProcessSpec("printf", ["%s|", value, "$(touch " + marker + ")"]));

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal($"{value}|$(touch {marker})|", result.StandardOutput);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task ExitCodeStdoutAndStderrAreReported()
    {
        var result = await Runner.RunAsync(Sh("echo out; echo err >&2; exit 3"));

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.False(result.OutputTruncated);
    }

    [Fact]
    public async Task StdinTextIsDeliveredAndClosed()
    {
        var result = await Runner.RunAsync(new ProcessSpec("cat", []) { StandardInput = "action=off\nport=node2\n" });

        Assert.Equal("action=off\nport=node2\n", result.StandardOutput);
    }

    [Fact]
    public async Task WithoutInheritanceTheChildSeesOnlyGivenVariablesAndDefaultPath()
    {
        var spec = new ProcessSpec("env", [])
        {
            InheritEnvironment = false,
            Environment = new Dictionary<string, string> { ["OCF_RESKEY_ip"] = "10.0.0.1" },
        };

        var result = await Runner.RunAsync(spec);

        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
        Assert.Equal(["OCF_RESKEY_ip=10.0.0.1", "PATH=" + ProgramLocator.DefaultPath], lines);
    }

    [Fact]
    public async Task WorkingDirectoryIsApplied()
    {
        var result = await Runner.RunAsync(new ProcessSpec("pwd", []) { WorkingDirectory = "/tmp" });

        Assert.Equal("/tmp\n", result.StandardOutput);
    }

    [Fact]
    public async Task ProgramRunsAsLeaderOfItsOwnProcessGroup()
    {
        var result = await Runner.RunAsync(Sh("read pid comm state ppid pgrp rest < /proc/$$/stat; echo $pgrp"));

        Assert.Equal(result.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.StandardOutput.Trim());
        Assert.NotEqual(Environment.ProcessId, result.ProcessId);
    }

    [Fact]
    public async Task TimeoutKillsTheWholeGroupIncludingGrandchildrenThatIgnoreSigterm()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"runner-grandchild-{Guid.NewGuid():N}");
        // The grandchild ignores SIGTERM, so only the SIGKILL to the group can end it.
        var script = $"sh -c 'trap \"\" TERM; echo $$ > {pidFile}; while :; do sleep 1; done' & sleep 300";
        var spec = Sh(script) with { Timeout = TimeSpan.FromMilliseconds(700), KillGrace = TimeSpan.FromMilliseconds(300) };

        var result = await Runner.RunAsync(spec);

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(pidFile);
        Assert.True(await GoneAsync(grandchild), $"grandchild {grandchild} survived the timeout");
    }

    [Fact]
    public async Task CancellationKillsTheGroupAndSaysCancelled()
    {
        using var cts = new CancellationTokenSource();
        var run = Runner.RunAsync(Sh("echo started; exec sleep 300"), cts.Token);
        await Task.Delay(200);
        await cts.CancelAsync();

        var result = await run;

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.True(await GoneAsync(result.ProcessId));
    }

    [Fact]
    public async Task OutputBeyondTheCapIsDroppedWithoutBlockingTheWriter()
    {
        var spec = new ProcessSpec("head", ["-c", "3000000", "/dev/zero"]) { OutputLimitBytes = 1000 };

        var result = await Runner.RunAsync(spec);

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(1000, result.StandardOutput.Length);
        Assert.True(result.OutputTruncated);
    }

    [Fact]
    public async Task MissingProgramIsReportedAsNotStarted()
    {
        var result = await Runner.RunAsync(new ProcessSpec("/nonexistent/agent", ["start"]));

        Assert.Equal(ProcessOutcome.FailedToStart, result.Outcome);
        Assert.Contains("/nonexistent/agent", result.StartError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DaemonHoldingThePipeDoesNotBlockTheResult()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"runner-daemon-{Guid.NewGuid():N}");
        // Leaves a background child holding stdout open after the program exits.
        var result = await Runner.RunAsync(Sh($"sleep 30 & echo $! > {pidFile}; echo done") with
        {
            DrainAfterExit = TimeSpan.FromMilliseconds(200),
        });

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal("done\n", result.StandardOutput);
        var daemon = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(pidFile);
        using var leftover = System.Diagnostics.Process.GetProcessById(daemon);
        leftover.Kill(); // we started it (through the test script), so we end it by pid
    }

    /// <summary>Bounded wait for a pid to disappear (or become a zombie awaiting its reaper).</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        for (var i = 0; i < 100; i++)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
                return true;
            try
            {
                var text = await File.ReadAllTextAsync(stat);
                if (text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
                    return true;
            }
            catch (IOException)
            {
                return true;
            }
            await Task.Delay(50);
        }
        return false;
    }
}
