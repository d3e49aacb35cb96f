using static Cluster.Messaging.Tests.Config.ConfTestSupport;

namespace Cluster.Messaging.Tests.Config;

/// <summary>Config inputs found by cluster-fuzz that threw instead of giving diagnostics.</summary>
public class FuzzFindingTests
{
    [Fact]
    public void A_nul_byte_ends_the_line_as_in_corosyncs_c_string_reader_instead_of_reaching_a_path()
    {
        // cluster-fuzz config seed 1 input 1358: "Null character in path" from the logfile mapping.
        var text = TwoNodes() + "\nlogging {\n    to_logfile: yes\n    logfile: /var/log/cluster/corosync.log\0garbage\n}\n";

        var result = Load(text);

        Assert.True(result.Paths is not null, string.Join("\n", result.Diagnostics));
        Assert.Equal("/nonexistent-ha-root/var/log/cluster/corosync.log", result.Paths.LogFile);
    }
}
