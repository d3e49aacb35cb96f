using System.Text.RegularExpressions;
using Cluster.TestSupport;
using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.Config;

/// <summary>corosync -t / -v, corosync-cmapctl --config and corosync-keygen run in-process through the dispatcher, HA_ROOT in a temp dir.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class ConfigToolTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ha-config-e2e-");

    public void Dispose() => _root.Delete(recursive: true);

    private string HaRoot => _root.FullName;

    private (int Code, string Out, string Err) Run(string tool, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new ToolContext(TextReader.Null, stdout, stderr, name => name == "HA_ROOT" ? HaRoot : null);
        var code = Program.Dispatch(tool, args, context).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Fixture(string name) => Path.Combine(RepoPaths.Shared, "fixtures", "corosync-conf", name);

    private static string[] GoldenLines(string name) =>
        [.. File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", name)).Where(l => !l.StartsWith('$') && !l.StartsWith('#'))];

    /// <summary>Drops the "Nov 21 22:34:23.769 " timestamp of corosync's log lines.</summary>
    private static string Untimed(string text) => Timestamp().Replace(text, "");

    [GeneratedRegex(@"(?m)^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d\.\d{3} ")]
    private static partial Regex Timestamp();

    /// <summary>What the tutorials' machines have: an authkey, /etc/hosts naming HA1/HA2, /var/log/cluster.</summary>
    private void PrepareTutorialRoot()
    {
        Assert.Equal(0, Run("corosync-keygen").Code);
        File.WriteAllText(Path.Combine(HaRoot, "etc", "hosts"), "10.1.11.109 HA1\n10.1.11.110 HA2\n");
        Directory.CreateDirectory(Path.Combine(HaRoot, "var", "log", "cluster"));
    }

    [Theory]
    [InlineData("v2-crypto-votequorum-nodelist.conf")]
    [InlineData("v2-threads-empty-quorum-commented.conf")]
    [InlineData("whitetank-secauth-commented.conf")]
    public void Corosync_t_accepts_every_tutorial_fixture_with_warnings(string name)
    {
        PrepareTutorialRoot();
        var (code, _, err) = Run("corosync", "-t", "-c", Fixture(name));
        Assert.True(code == 0, err);
        Assert.Contains("warning [MAIN  ] ", err, StringComparison.Ordinal);
        Assert.EndsWith("notice  [MAIN  ] Corosync Cluster Engine exiting normally\n", Untimed(err), StringComparison.Ordinal);
    }

    [Fact]
    public void Corosync_t_without_the_authkey_fails_with_status_8_as_the_real_one()
    {
        File.WriteAllText(Path.Combine(HaRoot, "hosts-free.conf"), File.ReadAllText(Fixture("whitetank-secauth-commented.conf")));
        var (code, _, err) = Run("corosync", "-t", "-c", Path.Combine(HaRoot, "hosts-free.conf"));
        Assert.Equal(8, code);
        var lines = Untimed(err).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"error   [MAIN  ] Could not open {HaRoot}/etc/corosync/authkey: No such file or directory", lines[^2]);
        Assert.Equal("error   [MAIN  ] Corosync Cluster Engine exiting with status 8.", lines[^1]);
    }

    [Fact]
    public void Corosync_t_rejects_a_malformed_file_with_the_parser_error_line()
    {
        var file = Path.Combine(HaRoot, "bad.conf");
        File.WriteAllText(file, "totem {\n    version: 2\n}\n}\n");
        var (code, output, err) = Run("corosync", "-t", "-c", file);
        Assert.Equal(8, code);
        Assert.Equal("", output);
        Assert.Equal($"parser error: {file}:4: Unexpected closing brace\n", err);
    }

    [Fact]
    public void Corosync_t_reads_the_default_config_under_HA_ROOT_and_reports_a_missing_one_like_the_real_one()
    {
        var (code, _, err) = Run("corosync", "-t");
        Assert.Equal(8, code);
        Assert.Equal($"Can't read file {HaRoot}/etc/corosync/corosync.conf: No such file or directory\n", err);

        Directory.CreateDirectory(Path.Combine(HaRoot, "etc", "corosync"));
        File.WriteAllLines(Path.Combine(HaRoot, "etc", "corosync", "corosync.conf"), GoldenLines("udpu.cat-etc-corosync-corosync.conf.txt"));
        Directory.CreateDirectory(Path.Combine(HaRoot, "var", "log", "cluster"));
        (code, _, err) = Run("corosync", "-t");
        Assert.Equal(0, code);
        Assert.Equal("notice  [MAIN  ] Corosync Cluster Engine exiting normally\n", Untimed(err));
    }

    [Fact]
    public void Corosync_with_an_unknown_option_prints_getopts_message_and_the_usage()
    {
        var (code, _, err) = Run("corosync", "-x");
        Assert.Equal(1, code);
        Assert.StartsWith("corosync: invalid option -- 'x'\nusage:\n        -c     : Corosync config file path.\n", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Corosync_v_prints_a_version_banner_in_the_real_layout()
    {
        var (code, output, _) = Run("corosync", "-v");
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.Matches(@"^Corosync Cluster Engine \(hacluster\), version '\d+\.\d+\.\d+'$", lines[0]);
        Assert.Equal("", lines[2]);
        Assert.StartsWith("Built-in features: ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("Available crypto models: ", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Cmapctl_config_prints_the_keys_the_real_daemon_shows_for_the_same_file()
    {
        var file = Path.Combine(HaRoot, "corosync.conf");
        File.WriteAllLines(file, GoldenLines("corosync-cfg.conf.txt"));
        Run("corosync-keygen");
        var (code, output, err) = Run("corosync-cmapctl", "--config", file);
        Assert.True(code == 0, err);

        // The real listing of a running node, minus what only a running daemon has (services,
        // members, resources, the local node's position and bound address, uidgid files).
        string[] runtimeOnly = ["internal_configuration.", "resources.", "runtime.blackbox", "runtime.force_gather", "runtime.members.",
            "runtime.services.", "runtime.votequorum.", "nodelist.local_node_pos", "totem.interface.0.bindnetaddr", "uidgid."];
        var expected = GoldenLines("corosync-cmapctl.txt").Where(l => !runtimeOnly.Any(p => l.StartsWith(p, StringComparison.Ordinal)));
        Assert.Equal(expected, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Cmapctl_config_filters_by_prefix_and_gets_single_keys()
    {
        var file = Path.Combine(HaRoot, "corosync.conf");
        File.WriteAllLines(file, GoldenLines("udpu.cat-etc-corosync-corosync.conf.txt"));
        var (code, output, _) = Run("corosync-cmapctl", "--config", file, "runtime.config.totem");
        Assert.Equal(0, code);
        Assert.Equal(GoldenLines("udpu.corosync-cmapctl-runtime.config.totem.txt"), output.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal((0, "quorum.two_node (u8) = 1\n", ""), Run("corosync-cmapctl", "--config", file, "-g", "quorum.two_node"));
        Assert.Equal((0, "udpu\n", ""), Run("corosync-cmapctl", "--config", file, "-q", "-g", "totem.transport"));
        Assert.Equal((1, "", "Can't get key totem.nothing. Error CS_ERR_NOT_EXIST\n"), Run("corosync-cmapctl", "--config", file, "-g", "totem.nothing"));
    }

    [Fact]
    public void Cmapctl_config_of_an_invalid_file_prints_the_error_and_fails()
    {
        var file = Path.Combine(HaRoot, "bad.conf");
        File.WriteAllText(file, "totem {\n    token: abc\n}\n");
        var (code, output, err) = Run("corosync-cmapctl", "--config", file);
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"parser error: {file}:2: Value of key \"totem.token\" is expected to be integer in range (0..4294967295), but \"abc\" was given\n", err);
    }

    [Fact]
    public void Cmapctl_without_a_daemon_or_config_fails_like_the_real_one()
    {
        var (code, _, err) = Run("corosync-cmapctl");
        Assert.Equal(1, code);
        Assert.StartsWith("Failed to initialize the cmap API. Error CS_ERR_LIBRARY\n", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_writes_a_0400_key_of_256_bytes_with_the_real_messages()
    {
        var key = Path.Combine(HaRoot, "new", "dir", "authkey");
        var (code, output, err) = Run("corosync-keygen", "-k", key);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Equal($"Corosync Cluster Engine Authentication key generator.\nGathering 2048 bits for key from /dev/urandom.\nWriting corosync key to {key}.\n", output);
        Assert.Equal(256, new FileInfo(key).Length);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(key));
    }

    [Fact]
    public void Keygen_defaults_to_the_authkey_under_HA_ROOT_and_never_writes_the_same_key_twice()
    {
        Assert.Equal(0, Run("corosync-keygen").Code);
        var path = Path.Combine(HaRoot, "etc", "corosync", "authkey");
        var first = File.ReadAllBytes(path);
        Assert.Equal(0, Run("corosync-keygen", "-l").Code);
        Assert.NotEqual(first, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("127")]
    [InlineData("4097")]
    [InlineData("abc")]
    public void Keygen_refuses_sizes_outside_the_real_bounds(string size)
    {
        var (code, output, err) = Run("corosync-keygen", "-s", size, "-k", Path.Combine(HaRoot, "k"));
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal("corosync-keygen: Unsupported key size (supported <128,4096>)\n\n", err);
        Assert.False(File.Exists(Path.Combine(HaRoot, "k")));
    }

    [Fact]
    public void Keygen_sizes_and_random_source_options_work()
    {
        var source = Path.Combine(HaRoot, "random");
        File.WriteAllBytes(source, [.. Enumerable.Range(0, 4096).Select(i => (byte)i)]);
        var key = Path.Combine(HaRoot, "k");
        var (code, output, _) = Run("corosync-keygen", "--size=4096", "-r", source, "--key-file", key);
        Assert.Equal(0, code);
        Assert.Contains($"Gathering 32768 bits for key from {source}.", output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(key));
    }

    [Fact]
    public void Keygen_errors_have_the_real_messages_and_exit_codes()
    {
        Assert.Equal((1, "Error parsing command line options.\n", "corosync-keygen: invalid option -- 'z'\n"), Run("corosync-keygen", "-z"));

        var (code, _, err) = Run("corosync-keygen", "-r", Path.Combine(HaRoot, "missing"), "-k", Path.Combine(HaRoot, "k"));
        Assert.Equal(1, code);
        Assert.Equal("corosync-keygen: Failed to open random source: No such file or directory\n", err);

        var blocker = Path.Combine(HaRoot, "file");
        File.WriteAllText(blocker, "");
        (code, var output, err) = Run("corosync-keygen", "-k", Path.Combine(blocker, "authkey"));
        Assert.Equal(2, code);
        Assert.DoesNotContain("Writing corosync key", output, StringComparison.Ordinal);
        Assert.StartsWith($"corosync-keygen: Could not create {blocker}/authkey: ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Corosync_t_reports_logging_errors_bare_with_status_7()
    {
        Directory.CreateDirectory(Path.Combine(HaRoot, "var", "log", "cluster"));
        var file = Path.Combine(HaRoot, "log.conf");
        File.WriteAllLines(file, GoldenLines("udpu.cat-etc-corosync-corosync.conf.txt").Select(l => l.Replace("to_syslog: no", "to_syslog: maybe", StringComparison.Ordinal)));
        var (code, _, err) = Run("corosync", "-t", "-c", file);
        Assert.Equal(7, code);
        Assert.Equal($"parse error in config: unknown value for to_syslog. ({file}:31)\n", err);
    }

    /// <summary>Issue 17 item 11: a directory given as a file was reported as "Permission denied".</summary>
    [Fact]
    public void A_directory_given_as_a_file_is_reported_as_a_directory()
    {
        var dir = Directory.CreateDirectory(Path.Combine(HaRoot, "adir")).FullName;
        var (code, _, err) = Run("corosync-keygen", "-k", dir);
        Assert.Equal(2, code);
        Assert.Equal($"corosync-keygen: Could not create {dir}: Is a directory\n", err);

        (code, _, err) = Run("corosync-keygen", "-r", dir, "-k", Path.Combine(HaRoot, "k"));
        Assert.Equal(1, code);
        Assert.Equal("corosync-keygen: Failed to open random source: Is a directory\n", err);

        (code, _, err) = Run("corosync", "-t", "-c", dir);
        Assert.Equal(8, code);
        Assert.StartsWith($"Can't read file {dir}: Is a directory\n", err, StringComparison.Ordinal);
    }

    /// <summary>Issue 17 item 11: totem-sim --history 99999999999 ran out of memory (the count wrapped through an int cast).</summary>
    [Theory]
    [InlineData("--history", "99999999999")]
    [InlineData("--history", "1000001")]
    [InlineData("--token", "99999999999")]
    public void Totem_sim_refuses_counts_it_cannot_allocate_with_a_usage_line(string option, string value)
    {
        var (code, output, err) = Run("totem-sim", option, value);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"totem-sim: {option} expects a number in 1..", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
    }

    /// <summary>Issue 17 item 10, end to end: the daemon's rejections now fail corosync -t with a clear line.</summary>
    [Fact]
    public void Corosync_t_refuses_an_empty_ring0_addr_and_a_logfile_that_is_a_directory()
    {
        var lines = GoldenLines("udpu.cat-etc-corosync-corosync.conf.txt");
        var file = Path.Combine(HaRoot, "empty.conf");
        var first = Array.FindIndex(lines, l => l.Contains("ring0_addr:", StringComparison.Ordinal));
        File.WriteAllLines(file, lines.Select((l, i) => i == first ? l[..(l.IndexOf(':', StringComparison.Ordinal) + 1)] : l));
        var (code, _, err) = Run("corosync", "-t", "-c", file);
        Assert.Equal(8, code);
        Assert.Contains("error   [MAIN  ] failed to parse bindnet address '' (", err, StringComparison.Ordinal);

        file = Path.Combine(HaRoot, "logdir.conf");
        File.WriteAllLines(file, lines.Select(l => l.Replace("logfile: /var/log/cluster/corosync.log", "logfile: /", StringComparison.Ordinal)));
        (code, _, err) = Run("corosync", "-t", "-c", file);
        Assert.Equal(7, code);
        Assert.StartsWith("parse error in config: Can't open logfile '/' for reason: Is a directory (21).", err, StringComparison.Ordinal);
    }
}
