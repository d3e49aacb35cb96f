using System.Diagnostics;
using Cluster.TestSupport;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Tests.Packaging;

/// <summary>
/// packaging/systemd: the units run our tools the way Debian's units run the real ones. The keys
/// are checked by a small parser always; <c>systemd-analyze verify</c> runs too when it is
/// installed and the binaries are built (it refuses an ExecStart that is not executable, so the
/// install prefix is pointed at artifacts/bin in a temporary copy).
/// </summary>
public class SystemdUnitTests
{
    private const string Prefix = "/opt/hacluster/bin/";
    private static string UnitDir => Path.Combine(RepoPaths.Root, "packaging", "systemd");

    /// <summary>section.key -> values, in file order (a key may repeat, as After= does).</summary>
    private static Dictionary<string, List<string>> Parse(string name)
    {
        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        string? section = null;
        var lines = File.ReadAllLines(Path.Combine(UnitDir, name));
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line[0] == '[')
            {
                Assert.True(line[^1] == ']', $"{name}:{i + 1}: unterminated section header");
                section = line[1..^1];
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0 && section is not null, $"{name}:{i + 1}: not KEY=VALUE inside a section: {line}");
            var key = section + "." + line[..eq].Trim();
            if (!keys.TryGetValue(key, out var values))
                keys[key] = values = [];
            values.Add(line[(eq + 1)..].Trim());
        }
        return keys;
    }

    private static string Single(Dictionary<string, List<string>> keys, string key)
    {
        Assert.True(keys.TryGetValue(key, out var values), $"missing {key}");
        return Assert.Single(values);
    }

    /// <summary>The tool an Exec line runs: under the install prefix and one of ours.</summary>
    private static string ToolOf(string exec)
    {
        var path = exec.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.StartsWith(Prefix, path, StringComparison.Ordinal);
        var tool = path[Prefix.Length..];
        Assert.True(ToolRegistry.All.ContainsKey(tool), $"{exec}: no tool named '{tool}'");
        return tool;
    }

    [Fact]
    public void Corosync_unit_runs_our_corosync_in_the_foreground_as_a_notify_service()
    {
        var keys = Parse("corosync.service");
        Assert.Equal("notify", Single(keys, "Service.Type"));
        var start = Single(keys, "Service.ExecStart");
        Assert.Equal("corosync", ToolOf(start));
        Assert.Contains(" -f", start, StringComparison.Ordinal);
        var stop = Single(keys, "Service.ExecStop");
        Assert.Equal("corosync-cfgtool", ToolOf(stop));
        Assert.EndsWith("-H --force", stop, StringComparison.Ordinal);
        Assert.Equal("multi-user.target", Single(keys, "Install.WantedBy"));
    }

    [Fact]
    public void Pacemaker_unit_requires_corosync_and_keeps_pacemakerd_in_the_foreground()
    {
        var keys = Parse("pacemaker.service");
        Assert.Contains("corosync.service", keys["Unit.Requires"]);
        Assert.Contains("corosync.service", keys["Unit.After"]);
        // Ours daemonizes without -f; a daemonizing main process would make a Type=simple unit "exit".
        Assert.Equal("simple", Single(keys, "Service.Type"));
        var start = Single(keys, "Service.ExecStart");
        Assert.Equal("pacemakerd", ToolOf(start));
        Assert.Contains(" -f", start, StringComparison.Ordinal);
        Assert.Equal("multi-user.target", Single(keys, "Install.WantedBy"));
    }

    [Fact]
    public void Corosync_sends_the_readiness_the_notify_unit_waits_for()
    {
        // Type=notify without READY=1 would time the unit out: the daemon must send it.
        var daemon = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Messaging", "Daemon", "CorosyncDaemon.cs"));
        Assert.Contains("SdNotify.Notify(\"READY=1\"", daemon, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_analyze_verify_accepts_both_units_when_available()
    {
        var analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        if (analyze is null || !File.Exists(RepoPaths.Tool("corosync")) || !File.Exists(RepoPaths.Tool("pacemakerd")))
            return; // the parser checks above still ran
        var dir = Directory.CreateTempSubdirectory("units-");
        try
        {
            foreach (var name in new[] { "corosync.service", "pacemaker.service" })
            {
                var text = File.ReadAllText(Path.Combine(UnitDir, name)).Replace(Prefix, RepoPaths.ArtifactsBin + "/", StringComparison.Ordinal);
                File.WriteAllText(Path.Combine(dir.FullName, name), text);
            }
            var psi = new ProcessStartInfo(analyze) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("verify");
            psi.ArgumentList.Add(Path.Combine(dir.FullName, "corosync.service"));
            psi.ArgumentList.Add(Path.Combine(dir.FullName, "pacemaker.service"));
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await p.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                p.Kill();
                Assert.Fail("systemd-analyze verify did not finish in 30 s");
            }
            var output = await stdout + await stderr;
            Assert.True(p.ExitCode == 0, $"systemd-analyze verify exit {p.ExitCode}: {output}");
            // verify also warns (exit 0) about unknown keys: none is expected in ours.
            Assert.DoesNotContain("Unknown key", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
