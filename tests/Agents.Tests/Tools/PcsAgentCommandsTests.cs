using Cluster.Agents.Tests.Support;
using Cluster.Tools.Pcs;

namespace Cluster.Agents.Tests.Tools;

public sealed class PcsAgentCommandsTests
{
    /// <summary>Only Debian's agents: what the real pcs saw when the goldens were captured.</summary>
    private static readonly Dictionary<string, string> RealAgents = new() { ["OCF_RA_PATH"] = TestAgents.SystemOcf };

    /// <summary>Our agents first (the default search order), found through HA_AGENTS_DIR.</summary>
    private static readonly Dictionary<string, string> OurAgents = new() { ["HA_AGENTS_DIR"] = TestAgents.Shipped };

    [Theory]
    [InlineData("pcs-resource-describe-IPaddr.txt")]
    [InlineData("pcs-resource-describe-IPaddr2.txt")]
    [InlineData("pcs-resource-describe-apache.txt")]
    [InlineData("pcs-resource-describe-Dummy.txt")]
    [InlineData("pcs-resource-standards.txt")]
    [InlineData("pcs-resource-providers.txt")]
    [InlineData("pcs-resource-agents-ocf-pacemaker.txt")]
    public async Task OverTheSameAgentsOutputIsIdenticalToTheRealPcs(string golden)
    {
        var expected = GoldenFile.Load(golden);

        var (exit, output, error) = await ToolRun.RunAsync(PcsTool.Entry, RealAgents, Args(expected.Command));

        Assert.Equal("", error);
        Assert.Equal(expected.ExitStatus, exit);
        Assert.Equal(expected.Output, output);
    }

    [Fact]
    public async Task LsbScriptIsDescribedLikeTheRealPcs()
    {
        var expected = GoldenFile.LoadLocal("pcs-resource-describe-lsb-apache2.txt");

        var (exit, output, _) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, Args(expected.Command));

        Assert.Equal((expected.ExitStatus, expected.Output), (exit, output));
    }

    [Fact]
    public void StonithDescribeAppendsTheFencersCommonParametersInThePcsOrder()
    {
        var expected = GoldenFile.LoadLocal("pcs-stonith-describe-fence_watchdog.txt");
        var pcmk = expected.Output.Split('\n')
            .Where(l => l.StartsWith("  pcmk_", StringComparison.Ordinal))
            .Select(l => l[2..l.IndexOf(':')]);

        Assert.Equal(pcmk, Cluster.Agents.Metadata.FencerParameters.Common.Select(p => p.Name));
    }

    [Fact]
    public async Task AgentListIsSortedCaseInsensitivelyLikeTheRealPcs()
    {
        var expected = GoldenFile.Load("pcs-resource-agents-ocf-heartbeat-head.txt");

        var (_, output, _) = await ToolRun.RunAsync(PcsTool.Entry, RealAgents, "resource", "agents", "ocf:heartbeat");

        Assert.Equal(expected.Output, string.Concat(output.Split('\n').Take(10).Select(l => l + "\n")));
    }

    [Fact]
    public async Task UnknownAgentGivesTheRealError()
    {
        var expected = GoldenFile.Load("err-pcs-resource-describe-unknown.txt");

        var (exit, output, error) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, Args(expected.Command));

        Assert.Equal((expected.ExitStatus, ""), (exit, output));
        Assert.Equal(expected.Output, error);
    }

    [Theory]
    [InlineData("pcs-resource-describe-IPaddr.txt")]
    [InlineData("pcs-resource-describe-IPaddr2.txt")]
    [InlineData("pcs-resource-describe-apache.txt")]
    [InlineData("pcs-resource-describe-Dummy.txt")]
    public async Task OurAgentsHaveTheRealParametersAndOperationsLineByLine(string golden)
    {
        // Our agents' texts are our own; names, flags, order and operations match the real ones.
        var expected = GoldenFile.Load(golden);

        var (exit, output, _) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, Args(expected.Command));

        Assert.Equal(0, exit);
        Assert.Equal(Skeleton(expected.Output), Skeleton(output));
    }

    [Fact]
    public async Task FullAlsoListsTheTracingParametersOfOcfAgents()
    {
        var (_, brief, _) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "resource", "describe", "ocf:pacemaker:Dummy");
        var (_, full, _) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "resource", "describe", "ocf:pacemaker:Dummy", "--full");

        Assert.DoesNotContain("  trace_ra: ", brief, StringComparison.Ordinal);
        Assert.Contains("  envfile: When set, every action writes its environment to this file.\n  trace_ra: ", full, StringComparison.Ordinal);
        Assert.Contains("\n  trace_file: ", full, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShortNameIsDeducedOrReportedAmbiguous()
    {
        var (exit, output, error) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "resource", "describe", "IPaddr2");
        var (ambiguousExit, _, ambiguous) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "resource", "describe", "Dummy");

        Assert.Equal(0, exit);
        Assert.StartsWith("ocf:heartbeat:IPaddr2 - ", output, StringComparison.Ordinal);
        Assert.Equal("Assumed agent name 'ocf:heartbeat:IPaddr2' (deduced from 'IPaddr2')\n", error);
        Assert.Equal(1, ambiguousExit);
        Assert.StartsWith("Error: Multiple agents match 'Dummy', please specify full name: 'ocf:heartbeat:Dummy' or 'ocf:pacemaker:Dummy'\n", ambiguous, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StonithListAndDescribeShowOurFenceAgents()
    {
        var (listExit, list, _) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "stonith", "list");
        var (exit, describe, _) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "stonith", "describe", "fence_netns");

        Assert.Equal(0, listExit);
        Assert.Contains("fence_dummy - Dummy fence agent for tests\n", list, StringComparison.Ordinal);
        Assert.Contains("fence_netns - Fence agent for nodes that are network namespaces\n", list, StringComparison.Ordinal);
        Assert.Equal(0, exit);
        Assert.StartsWith("fence_netns - Fence agent for nodes that are network namespaces\n\n", describe, StringComparison.Ordinal);
        Assert.Contains("\nStonith options:\n  port: Node (plug) to fence\n  netns: ", describe, StringComparison.Ordinal);
        Assert.Contains("\n  pcmk_host_map: ", describe, StringComparison.Ordinal);
        Assert.DoesNotContain("  action:", describe, StringComparison.Ordinal);
        Assert.EndsWith("Default operations:\n  monitor:\n    interval=60s\n", describe, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandIsAnError()
    {
        var (exit, _, error) = await ToolRun.RunAsync(PcsTool.Entry, OurAgents, "resource", "frobnicate");

        // As pcs 0.11.5: the group's usage on stderr, no error line.
        Assert.Equal(1, exit);
        Assert.StartsWith("\nUsage: pcs resource ...\n", error, StringComparison.Ordinal);
    }

    private static string[] Args(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).TakeWhile(w => w != "|").ToArray();

    /// <summary>Each line up to its first ": " (parameter names and flags), the description paragraph blanked.</summary>
    private static List<string> Skeleton(string output)
    {
        var lines = output.Split('\n').ToList();
        lines[2] = "<longdesc>";
        return lines.Select(l => l.Contains(": ", StringComparison.Ordinal) ? l[..l.IndexOf(": ", StringComparison.Ordinal)] : l).ToList();
    }
}
