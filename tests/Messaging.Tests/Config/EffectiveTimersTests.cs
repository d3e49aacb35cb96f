using Cluster.Messaging.Cmap;
using Cluster.Messaging.Config;
using Cluster.TestSupport;
using static Cluster.Messaging.Tests.Config.ConfTestSupport;

namespace Cluster.Messaging.Tests.Config;

public class EffectiveTimersTests
{
    private static string Nodes(int count) =>
        "nodelist {\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"    node {{\n        ring0_addr: 10.77.0.{i}\n        nodeid: {i}\n    }}\n")) + "}\n";

    private static CorosyncConfig Config(int nodes, string totemExtra = "")
    {
        var result = Load($"totem {{\n    version: 2\n{totemExtra}}}\n{Nodes(nodes)}");
        Assert.True(result.Config is not null, string.Join("\n", result.Errors));
        return result.Config;
    }

    /// <summary>The golden file's <c>key (type) = value</c> lines (between the header and the exit status).</summary>
    private static string[] GoldenLines(string name) =>
        [.. File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", name)).Where(l => !l.StartsWith('$') && !l.StartsWith('#'))];

    private static string[] RuntimeLines(CorosyncConfig config)
    {
        var entries = CmapFlattener.RuntimeEntries(config).ToList();
        entries.Sort(CmapEntry.KeyOrder);
        return [.. entries.Select(e => e.ToString())];
    }

    [Fact]
    public void Two_nodes_with_default_token_match_the_real_runtime_config_totem_keys()
    {
        Assert.Equal(GoldenLines("corosync-cmapctl-runtime.config.totem.txt"), RuntimeLines(Config(2)));
        Assert.Equal(GoldenLines("udpu.corosync-cmapctl-runtime.config.totem.txt"), RuntimeLines(Config(2, "    transport: udpu\n")));
    }

    [Fact]
    public void Three_nodes_grow_the_token_by_the_coefficient_as_the_real_cluster_shows()
    {
        Assert.Equal(GoldenLines("3node.corosync-cmapctl-runtime.config.totem.txt"), RuntimeLines(Config(3)));
    }

    [Fact]
    public void Token_1000_derives_retransmit_hold_and_consensus_as_the_real_cluster_shows()
    {
        var golden = GoldenLines("corosync-cmapctl-runtime.config.totem.token1000.txt");
        // The real capture was taken after a live reload, which does not re-derive the knet ping
        // timers (they still show the 3000 ms values); a fresh start derives them from 1000 ms.
        var ours = RuntimeLines(Config(2, "    token: 1000\n"));
        Assert.Equal(golden.Where(l => !l.Contains("knet_ping", StringComparison.Ordinal)), ours.Where(l => !l.Contains("knet_ping", StringComparison.Ordinal)));
        Assert.Contains("runtime.config.totem.interface.0.knet_ping_interval (u32) = 250", ours);
    }

    [Fact]
    public void Explicit_timers_win_over_derived_ones()
    {
        var timers = Config(3, "    token_retransmit: 500\n    hold: 300\n    consensus: 9000\n").Timers;
        Assert.Equal((3650u, 500u, 300u, 9000u), (timers.Token, timers.TokenRetransmit, timers.Hold, timers.Consensus));
    }

    [Fact]
    public void A_zero_token_coefficient_disables_the_scaling()
    {
        Assert.Equal(3000u, Config(5, "    token_coefficient: 0\n").Timers.Token);
        Assert.Equal(3000u + 3 * 650u, Config(5).Timers.Token);
    }
}
