using System.Text.RegularExpressions;
using Cluster.EndToEnd.Tests.Cluster;
using Cluster.EndToEnd.Tests.Harness;
using Cluster.TestSupport;
using Xunit.Abstractions;

namespace Cluster.EndToEnd.Tests.Crm;

/// <summary>
/// The tutorial walkthrough's goldens (../shared/golden/wt*, taken on the real Corosync +
/// Pacemaker + pcs with two nodes) replayed on our live stack: the same commands, in the order
/// the goldens were taken, on a two-node namespace cluster (cluster "anchor", node1 and node2,
/// Apache per node), each output compared with the golden's after removing only what differs by
/// time or place: clock times, the bridge's subnet (the goldens' 10.77.0.0/24), the veth peer's
/// name in `ip addr`, and whether the host's systemd has the units enabled (pcs status reads the
/// host's unit links). Status-like commands are retried until the cluster has settled, bounded
/// to a minute each, as the goldens were taken on a settled cluster. Root only.
/// </summary>
[Collection(ClusterCollection.Name)]
public partial class LiveWalkthroughGoldenTests(ITestOutputHelper output)
{
    private const string GoldenSubnet = "10.77.0";

    /// <summary>The goldens in the order they were taken (their second line's time).</summary>
    private static readonly string[] Steps =
    [
        "wt01-pcs-property-set-no-quorum-policy.txt", "wt01-pcs-property.txt",
        "wt02-pcs-resource-create-WebIP.txt", "wt02-pcs-status.txt", "wt02-ip-addr-node1.txt", "wt02-pcs-config.txt",
        "wt03-pcs-resource-create-TestIPaddr.txt", "wt03-pcs-status.txt", "wt03-pcs-resource-config-TestIPaddr.txt", "wt03-pcs-resource-delete-TestIPaddr.txt",
        "wt04-pcs-resource-create-WebServer.txt", "wt04-pcs-status.txt", "wt04-pcs-config.txt",
        "wt05-pcs-constraint-colocation-add.txt", "wt05-pcs-constraint.txt", "wt05-pcs-status.txt",
        "wt06-pcs-constraint-order.txt", "wt06-pcs-constraint.txt", "wt06-pcs-status.txt",
        "wt07-pcs-constraint-location-prefers.txt", "wt07-pcs-constraint.txt", "wt07-pcs-status.txt",
        "wt08-pcs-resource-defaults-update.txt", "wt08-pcs-resource-defaults.txt",
        "wt09-pcs-config.txt", "wt09-pcs-constraint.txt", "wt09-pcs-constraint-config-full.txt", "wt09-pcs-status.txt", "wt09-pcs-status-full.txt",
        "wt09-crm_mon-1-r.node2.txt", "wt09-crm_mon-1-r.txt", "wt09-crm_resource-list.txt", "wt09-crm_verify-L-V.txt", "wt09-pcs-resource-config.txt",
        "wt09-curl-vip.txt",
    ];

    [GeneratedRegex(@"(Last updated|Last change): +\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}")]
    private static partial Regex CrmMonTime();

    [GeneratedRegex(@"\(last updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)")]
    private static partial Regex PacemakerdTime();

    [GeneratedRegex(@"^(  (corosync|pacemaker|pacemaker_remote|pcsd|sbd): (active|inactive))/(enabled|disabled)$", RegexOptions.Multiline)]
    private static partial Regex ServiceEnabled();

    [GeneratedRegex(@"eth0@if\d+")]
    private static partial Regex VethPeer();

    [GeneratedRegex(@"link-netns(id)? \S+")]
    private static partial Regex LinkNetns();

    private static string Clean(string text, string subnet)
    {
        text = text.Replace(subnet + ".", GoldenSubnet + ".", StringComparison.Ordinal);
        text = CrmMonTime().Replace(text, "$1: (time)");
        text = PacemakerdTime().Replace(text, "(last updated (time))");
        text = ServiceEnabled().Replace(text, "$1/(host's unit links)");
        text = VethPeer().Replace(text, "eth0@ifN");
        return LinkNetns().Replace(text, "link-netns (peer)");
    }

    /// <summary>What the cluster shows, not what a command does: retried until it settles.</summary>
    private static bool IsView(string command) =>
        command.StartsWith("pcs status", StringComparison.Ordinal) || command.StartsWith("crm_mon", StringComparison.Ordinal)
        || command.StartsWith("crm_resource --list", StringComparison.Ordinal) || command.StartsWith("crm_verify", StringComparison.Ordinal)
        || command.StartsWith("curl", StringComparison.Ordinal) || command.StartsWith("ip ", StringComparison.Ordinal);

    [Fact]
    public async Task The_walkthrough_goldens_commands_print_the_goldens_outputs_on_a_live_two_node_cluster()
    {
        if (LiveCluster.Missing() is { } reason)
        {
            output.WriteLine("skipped: " + reason);
            return;
        }
        await using var c = new FailoverBenchCluster("ours", new Dictionary<string, string> { ["WAIT_ONLINE_S"] = "60" }, prefix: "lg", subnet: "10.84.0");
        try
        {
            var up = await c.ClusterAsync(TimeSpan.FromSeconds(120), "up", "2");
            Assert.True(up.ExitCode == 0, "cluster.sh up 2: " + up);
            // The goldens start after the tutorial's first step, without fencing.
            await LiveCluster.OkAsync(c, 1, "pcs", "property", "set", "stonith-enabled=false");
            var failures = new List<string>();
            foreach (var name in Steps)
            {
                var golden = Golden.Load(name);
                var command = golden.Command.Replace(GoldenSubnet + ".", c.Subnet + ".", StringComparison.Ordinal);
                var node = name.EndsWith(".node2.txt", StringComparison.Ordinal) ? "2" : "1";
                var expected = Clean(golden.Output, c.Subnet);
                async Task<ToolResult> Run() => command.StartsWith("curl", StringComparison.Ordinal)
                    ? await c.ClusterAsync(TimeSpan.FromSeconds(30), "client", "bash", "-c", command)
                    : await c.ClusterAsync(TimeSpan.FromSeconds(90), "exec", node, "bash", "-c", command);
                bool Same(ToolResult r) => r.ExitCode == golden.ExitStatus && Clean(r.Err + r.Out, c.Subnet) == expected;
                var result = await Run();
                var settling = System.Diagnostics.Stopwatch.StartNew();
                for (int i = 0; i < 120 && IsView(command) && !Same(result) && settling.Elapsed < TimeSpan.FromSeconds(60); i++)
                {
                    await Task.Delay(500);
                    result = await Run();
                }
                output.WriteLine($"{name}: `{command}` on node{node}: exit {result.ExitCode}");
                if (!Same(result))
                    failures.Add($"{name}: `{command}` exit {result.ExitCode} (golden {golden.ExitStatus})\n--- expected\n{expected}--- actual\n{Clean(result.Err + result.Out, c.Subnet)}");
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        catch
        {
            foreach (var n in new[] { 1, 2 })
                output.WriteLine(c.Logs(n));
            throw;
        }
    }
}
