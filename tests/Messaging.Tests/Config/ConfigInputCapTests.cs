using Cluster.Common.Paths;
using Cluster.Messaging.Config;
using static Cluster.Messaging.Tests.Config.ConfTestSupport;

namespace Cluster.Messaging.Tests.Config;

/// <summary>A config file is read with a size cap (issue 17, item 6: <c>corosync -t -c /dev/zero</c> grew to 4.3 GB).</summary>
public class ConfigInputCapTests
{
    [Fact]
    public void An_endless_file_is_refused_at_the_cap_with_the_file_named()
    {
        var result = CorosyncConfigLoader.LoadFile("/dev/zero", new HaPaths("/nonexistent-ha-root"), TutorialHosts);

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("Can't read file /dev/zero: more than 4 MiB, not a corosync.conf", error.Message);
    }

    [Fact]
    public void A_file_with_a_byte_order_mark_still_reads_as_before()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "\uFEFF" + TwoNodes(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var result = CorosyncConfigLoader.LoadFile(file, new HaPaths("/nonexistent-ha-root"), TutorialHosts);

            Assert.True(result.Config is not null, string.Join("\n", result.Diagnostics));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
