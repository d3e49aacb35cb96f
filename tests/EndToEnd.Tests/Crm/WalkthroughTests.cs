using System.Diagnostics;
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
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "scripts", "walkthrough.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment["FO_PREFIX"] = "w" + tag;
        start.Environment["FO_SUBNET"] = "10.81.0";
        start.Environment["FO_BASE"] = $"/tmp/walkthrough-{tag}";
        using var p = Process.Start(start)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: the script's trap takes its namespaces down before it exits.
            ProcessTracker.Terminate(p);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await p.WaitForExitAsync(grace.Token);
        }
        var text = await stdout + "\n--- stderr\n" + await stderr;
        output.WriteLine(text);
        Assert.True(p.ExitCode == 0, text);
        Assert.Contains("page served by node", text, StringComparison.Ordinal);
        Assert.Contains("walkthrough: every step did what the tutorial says", text, StringComparison.Ordinal);
    }
}
