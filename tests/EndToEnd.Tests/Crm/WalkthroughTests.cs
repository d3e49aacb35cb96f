using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Cluster.TestSupport;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// The tutorial walkthrough (what ./demo.sh shows) on our stack in network namespaces: every
/// step must do what the tutorial says, up to the page served from another node after node1's
/// crash and node1 taking the resources back. Needs root, iproute2, Debian's apache2 and curl;
/// without them it says why and returns.
/// </summary>
[Collection(ClusterCollection.Name)]
public class WalkthroughTests(ITestOutputHelper output)
{
    private static bool Available => NamespaceCluster.Available && File.Exists("/usr/sbin/apache2") && File.Exists("/usr/bin/curl")
        && File.Exists(Path.Combine(RepoPaths.Root, "bench", "failover", "cluster.sh"));

    [Fact]
    public async Task The_tutorial_walkthrough_ends_with_the_page_served_through_the_VIP_after_a_crash_and_a_failback()
    {
        if (!Available)
        {
            output.WriteLine("skipped: needs root, network namespaces, /usr/sbin/apache2, curl and bench/failover/cluster.sh");
            return;
        }
        var tag = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
        var (exitCode, text) = await ScriptRun.RunAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "walkthrough.sh")],
            new Dictionary<string, string>
            {
                ["FO_PREFIX"] = "w" + tag,
                ["FO_SUBNET"] = "10.81.0",
                ["FO_BASE"] = $"/tmp/walkthrough-{tag}",
            },
            TimeSpan.FromMinutes(6), TimeSpan.FromSeconds(60));
        output.WriteLine(text);
        Assert.True(exitCode == 0, text);
        Assert.Contains("page served by node", text, StringComparison.Ordinal);
        Assert.Contains("walkthrough: every step did what the tutorial says", text, StringComparison.Ordinal);
    }
}
