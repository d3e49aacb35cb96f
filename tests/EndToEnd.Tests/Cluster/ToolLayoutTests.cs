using Cluster.Messaging.Ipc;
using Cluster.TestSupport;
using Cluster.Tools.Messaging;

namespace Cluster.EndToEnd.Tests.Cluster;

/// <summary>corosync-cfgtool and corosync-cpgtool layouts compared byte for byte with the real tools' captures.</summary>
public class ToolLayoutTests
{
    private static string Golden(string name)
    {
        var lines = File.ReadAllText(Path.Combine(RepoPaths.Shared, "golden", name)).Split('\n').ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines.Skip(1).Where(l => !l.StartsWith("# ", StringComparison.Ordinal))) + "\n";
    }

    private static CfgInfo Info(string transport, string linkTransport, string address, uint local, int nodes) =>
        new(local, transport,
            [new CfgLinkInfo(0, address, linkTransport,
                [.. Enumerable.Range(1, nodes).Select(n => new CfgNodeLink((uint)n, n == local ? "localhost" : "connected", true, true, null))])],
            [], 1397);

    [Theory]
    [InlineData("corosync-cfgtool-s.txt", "knet", "udp", "10.77.0.11", 1u, 2)]
    [InlineData("corosync-cfgtool-s.node2.txt", "knet", "udp", "10.77.0.12", 2u, 2)]
    [InlineData("3node.corosync-cfgtool-s.txt", "knet", "udp", "10.77.0.11", 1u, 3)]
    [InlineData("udpu.corosync-cfgtool-s.node2.txt", "udpu", "", "10.77.0.11", 2u, 2)]
    public void Cfgtool_status_matches_the_real_tool(string golden, string transport, string linkTransport, string address, uint local, int nodes) =>
        Assert.Equal(Golden(golden), CorosyncCfgtoolTool.Status(Info(transport, linkTransport, address, local, nodes), brief: false));

    [Fact]
    public void Cfgtool_brief_status_prints_one_character_per_node()
    {
        var text = CorosyncCfgtoolTool.Status(Info("knet", "udp", "10.0.0.1", 1, 3), brief: true);
        Assert.EndsWith("\tstatus\t= n33\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Cpgtool_matches_the_real_tool()
    {
        static CpgGroupInfo Group(string name, uint pid1, uint pid2) => new(name, [new CpgMemberInfo(1, pid1, 0), new CpgMemberInfo(2, pid2, 0)]);
        var groups = new[] { Group("crmd\0", 18475, 18505), Group("attrd\0", 18473, 18503), Group("stonith-ng\0", 18471, 18501), Group("cib\0", 18470, 18500) };
        var addresses = new Dictionary<uint, string> { [1] = "10.77.0.11", [2] = "10.77.0.12" };
        Assert.Equal(Golden("corosync-cpgtool.txt"), CorosyncCpgtoolTool.Format(groups, addresses, null, noEscape: false, namesOnly: false));
    }

    [Fact]
    public void Cpgtool_delimited_rows_and_names_only()
    {
        var groups = new[] { new CpgGroupInfo("a\\b", [new CpgMemberInfo(3, 9, 0)]) };
        Assert.Equal("GRP_NAME,PID,NODEID\na\\\\b,9,3\n", CorosyncCpgtoolTool.Format(groups, new Dictionary<uint, string>(), ",", false, false));
        Assert.Equal("a\\b\n", CorosyncCpgtoolTool.Format(groups, new Dictionary<uint, string>(), null, noEscape: true, namesOnly: true));
    }
}
