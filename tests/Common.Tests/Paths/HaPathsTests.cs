using Cluster.Common.Paths;

namespace Cluster.Common.Tests.Paths;

public class HaPathsTests
{
    [Fact]
    public void Without_HA_ROOT_paths_are_the_standard_ones()
    {
        var paths = HaPaths.FromEnvironment(_ => null);
        Assert.Equal("/etc/corosync/corosync.conf", paths.CorosyncConf);
        Assert.Equal("/etc/corosync/authkey", paths.AuthKey);
        Assert.Equal("/var/log/cluster/corosync.log", paths.Under("/var/log/cluster/corosync.log"));
    }

    [Fact]
    public void HA_ROOT_prefixes_every_absolute_path_like_a_chroot()
    {
        var paths = HaPaths.FromEnvironment(name => name == "HA_ROOT" ? "/tmp/n1/" : null);
        Assert.Equal("/tmp/n1/etc/corosync/corosync.conf", paths.CorosyncConf);
        Assert.Equal("/tmp/n1/run/corosync", paths.CorosyncRun);
        Assert.Equal("/tmp/n1/var/log/cluster/x.log", paths.Under("/var/log/cluster/x.log"));
    }

    /// <summary>Issue 17: <c>logfile: /../../x</c> in corosync.conf wrote outside HA_ROOT.</summary>
    [Theory]
    [InlineData("/../../x", "/tmp/n1/x")]
    [InlineData("/var/../../../etc/passwd", "/tmp/n1/etc/passwd")]
    [InlineData("/var/log/./cluster/../x.log", "/tmp/n1/var/log/x.log")]
    [InlineData("/var/lib/corosync/", "/tmp/n1/var/lib/corosync/")]
    [InlineData("/", "/tmp/n1/")]
    [InlineData("/a\0b/../c", "/tmp/n1/c")]
    public void Dot_dot_at_the_top_stays_under_HA_ROOT(string path, string expected)
    {
        var paths = HaPaths.FromEnvironment(_ => "/tmp/n1");
        Assert.Equal(expected, paths.Under(path));
    }

    [Fact]
    public void Relative_paths_are_refused()
    {
        var paths = HaPaths.FromEnvironment(_ => "/tmp/n1");
        Assert.Throws<ArgumentException>(() => paths.Under("var/log"));
    }
}
