using Cluster.Messaging.Config;

namespace Cluster.Messaging.Tests.Config;

public sealed class UidGidDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ha-uidgid-");

    public void Dispose() => _root.Delete(recursive: true);

    private Common.Paths.HaPaths WithAccounts()
    {
        var etc = Directory.CreateDirectory(Path.Combine(_root.FullName, "etc"));
        File.WriteAllText(Path.Combine(etc.FullName, "passwd"), "root:x:0:0:root:/root:/bin/bash\nhacluster:x:102:105::/var/lib/pacemaker:/usr/sbin/nologin\n");
        File.WriteAllText(Path.Combine(etc.FullName, "group"), "root:x:0:\nhaclient:x:105:hacluster\n");
        return new Common.Paths.HaPaths(_root.FullName);
    }

    [Fact]
    public void Files_in_uidgid_d_under_HA_ROOT_add_uidgid_keys_and_nothing_else()
    {
        var paths = WithAccounts();
        var dir = paths.Under(CorosyncConfigLoader.UidGidDirectory);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "pacemaker"), "uidgid {\n    uid: hacluster\n    gid: haclient\n}\ntotem {\n    token: 1\n}\n");
        var result = ConfTestSupport.Load(ConfTestSupport.TwoNodes(), paths: paths);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(1u, result.Config!.Other.U32("uidgid.uid.102"));
        Assert.Equal(1u, result.Config.Other.U32("uidgid.gid.105"));
        Assert.Equal(3000u, result.Config.Totem.Token);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal($"{dir}/pacemaker:6: only uidgid sections are read from {dir}: 'totem.token' ignored", warning.ToString());
    }

    /// <summary>
    /// Issue 17 item 3: names were stored as uidgid.uid.hacluster, which the daemon (reading
    /// numbers) ignored, so the usual Pacemaker setting granted nothing. corosync stores the id.
    /// </summary>
    [Fact]
    public void Uid_and_gid_names_resolve_through_passwd_and_group_under_HA_ROOT()
    {
        var text = ConfTestSupport.TwoNodes() + "\nuidgid {\n    uid: hacluster\n    gid: haclient\n    uid: 1234\n    gid: +7\n}\n";
        var result = ConfTestSupport.Load(text, paths: WithAccounts());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        string[] expected = ["uidgid.gid.105", "uidgid.gid.7", "uidgid.uid.102", "uidgid.uid.1234"];
        Assert.Equal(expected, result.Config!.Other.Select(kv => kv.Key).Where(k => k.StartsWith("uidgid.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("uid: nosuchuser", "The 'nosuchuser' user is not found in /etc/passwd, please read the documentation.")]
    [InlineData("gid: nosuchgroup", "The 'nosuchgroup' group is not found in /etc/group, please read the documentation.")]
    [InlineData("gid: -1", "The '-1' group is not found in /etc/group, please read the documentation.")]
    [InlineData("uid: -5", "The '-5' user is not found in /etc/passwd, please read the documentation.")]
    [InlineData("uid: 0x10", "The '0x10' user is not found in /etc/passwd, please read the documentation.")]
    [InlineData("uid: 4294967296", "The '4294967296' user is not found in /etc/passwd, please read the documentation.")]
    public void Unknown_names_and_negative_ids_are_parser_errors_with_corosyncs_message(string line, string expected)
    {
        var text = ConfTestSupport.TwoNodes() + $"\nuidgid {{\n    {line}\n}}\n";
        var result = ConfTestSupport.Load(text, paths: WithAccounts());
        Assert.Equal(8, result.ExitCode);
        var error = Assert.Single(result.Errors);
        Assert.Equal(DiagnosticStage.Parser, error.Stage);
        Assert.Equal(expected, error.Message);
        Assert.Equal(text.Split('\n').ToList().FindIndex(l => l.Contains(line, StringComparison.Ordinal)) + 1, error.Line);
    }

    [Fact]
    public void An_unknown_user_in_a_uidgid_d_file_is_an_error_naming_that_file()
    {
        var paths = WithAccounts();
        var dir = paths.Under(CorosyncConfigLoader.UidGidDirectory);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "x"), "uidgid {\n    uid: ghost\n}\n");
        var result = ConfTestSupport.Load(ConfTestSupport.TwoNodes(), paths: paths);
        Assert.Equal($"{dir}/x:2: The 'ghost' user is not found in /etc/passwd, please read the documentation.", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void A_malformed_uidgid_d_file_is_a_parser_error_naming_it()
    {
        var paths = new Common.Paths.HaPaths(_root.FullName);
        var dir = paths.Under(CorosyncConfigLoader.UidGidDirectory);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "x"), "uidgid {\n    uid: a\n");
        var result = ConfTestSupport.Load(ConfTestSupport.TwoNodes(), paths: paths);
        Assert.Equal(8, result.ExitCode);
        Assert.Equal($"{dir}/x:2: Missing closing brace", Assert.Single(result.Errors).ToString());
    }
}
