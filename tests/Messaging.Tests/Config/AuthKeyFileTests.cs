using Cluster.Messaging.Config;

namespace Cluster.Messaging.Tests.Config;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuthKeyFileTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ha-authkey-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Written_key_has_the_default_size_and_mode_0400_in_a_created_directory()
    {
        var path = Path.Combine(_dir.FullName, "etc", "corosync", "authkey");
        AuthKeyFile.Write(path, AuthKeyFile.Generate(AuthKeyFile.DefaultSize));
        Assert.Equal(256, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        Assert.Null(AuthKeyFile.Check(path));
    }

    [Fact]
    public void Rewriting_an_existing_0400_key_replaces_it()
    {
        var path = Path.Combine(_dir.FullName, "authkey");
        AuthKeyFile.Write(path, AuthKeyFile.Generate(4096));
        AuthKeyFile.Write(path, AuthKeyFile.Generate(128));
        Assert.Equal(128, new FileInfo(path).Length);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Keys_are_never_the_same_twice()
    {
        var keys = Enumerable.Range(0, 50).Select(_ => Convert.ToHexString(AuthKeyFile.Generate(AuthKeyFile.MinimumSize))).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(127)]
    [InlineData(4097)]
    public void Sizes_outside_128_to_4096_are_refused(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AuthKeyFile.Generate(size));
    }

    [Fact]
    public void A_random_source_file_supplies_the_bytes()
    {
        using var source = new MemoryStream(Enumerable.Range(0, 200).Select(i => (byte)i).ToArray());
        Assert.Equal(Enumerable.Range(0, 128).Select(i => (byte)i), AuthKeyFile.Generate(128, source));
    }
}
