using Cluster.Messaging.Config;

namespace Cluster.Messaging.Tests.Config;

public sealed class UidGidDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("ha-uidgid-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Files_in_uidgid_d_under_HA_ROOT_add_uidgid_keys_and_nothing_else()
    {
        var paths = new Common.Paths.HaPaths(_root.FullName);
        var dir = paths.Under(CorosyncConfigLoader.UidGidDirectory);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "pacemaker"), "uidgid {\n    uid: hacluster\n    gid: haclient\n}\ntotem {\n    token: 1\n}\n");
        var result = ConfTestSupport.Load(ConfTestSupport.TwoNodes(), paths: paths);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(1u, result.Config!.Other.U32("uidgid.uid.hacluster"));
        Assert.Equal(1u, result.Config.Other.U32("uidgid.gid.haclient"));
        Assert.Equal(3000u, result.Config.Totem.Token);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal($"{dir}/pacemaker:6: only uidgid sections are read from {dir}: 'totem.token' ignored", warning.ToString());
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
