using System.Diagnostics;
using Cluster.TestSupport;

namespace Cluster.EndToEnd.Tests.Config;

/// <summary>The "Done when" for the config tools, run as processes through build.sh's tool links.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConfigToolProcessTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ha-config-proc-");

    public void Dispose() => _root.Delete(recursive: true);

    private (int Code, string Out, string Err) Exec(string tool, params string[] args)
    {
        var path = RepoPaths.Tool(tool);
        Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh first");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HA_ROOT"] = _root.FullName;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within 60 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void Built_tools_validate_fixtures_print_the_cmap_view_and_write_keys()
    {
        var key = Path.Combine(_root.FullName, "etc", "corosync", "authkey");
        var keygen = Exec("corosync-keygen", "-k", key);
        Assert.Equal(0, keygen.Code);
        Assert.Equal(256, new FileInfo(key).Length);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(key));

        File.WriteAllText(Path.Combine(_root.FullName, "etc", "hosts"), "10.1.11.109 HA1\n10.1.11.110 HA2\n");
        Directory.CreateDirectory(Path.Combine(_root.FullName, "var", "log", "cluster"));
        foreach (var fixture in Directory.GetFiles(Path.Combine(RepoPaths.Shared, "fixtures", "corosync-conf"), "*.conf"))
        {
            var check = Exec("corosync", "-t", "-c", fixture);
            Assert.True(check.Code == 0, fixture + "\n" + check.Err);
            Assert.Contains("warning [MAIN  ]", check.Err, StringComparison.Ordinal);
        }

        var bad = Path.Combine(_root.FullName, "bad.conf");
        File.WriteAllText(bad, "totem {\n    version: 2\n");
        Assert.Equal((8, "", $"parser error: {bad}:2: Missing closing brace\n"), Exec("corosync", "-t", "-c", bad));

        var cmap = Exec("corosync-cmapctl", "--config", Path.Combine(RepoPaths.Shared, "fixtures", "corosync-conf", "v2-crypto-votequorum-nodelist.conf"), "nodelist", "runtime.config.totem.token");
        Assert.Equal(0, cmap.Code);
        Assert.Equal(
            "nodelist.node.0.nodeid (u32) = 1\nnodelist.node.0.ring0_addr (str) = HA1\nnodelist.node.1.nodeid (u32) = 2\nnodelist.node.1.ring0_addr (str) = HA2\n" +
            "runtime.config.totem.token (u32) = 3000\nruntime.config.totem.token_retransmit (u32) = 714\nruntime.config.totem.token_retransmits_before_loss_const (u32) = 4\nruntime.config.totem.token_warning (u32) = 75\n",
            cmap.Out);
    }
}
