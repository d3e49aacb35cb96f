using Cluster.Agents.Discovery;
using Cluster.Agents.Metadata;
using Cluster.Agents.Tests.Support;

namespace Cluster.Agents.Tests.Metadata;

public sealed class MetadataParserTests
{
    [Fact]
    public async Task OurIPaddr2DescribesItsParametersAndActions()
    {
        var (metadata, error) = await TestAgents.Ours().GetMetadataAsync(AgentId.Ocf("heartbeat", "IPaddr2"));

        Assert.Null(error);
        var ip = metadata!.Parameter("ip")!;
        Assert.True(ip.Required && ip.Unique);
        Assert.Equal("5", metadata.Parameter("arp_count")!.Default);
        Assert.Equal("integer", metadata.Parameter("arp_count")!.Type);
        var monitor = metadata.Action("monitor")!;
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)), (monitor.Timeout, monitor.Interval));
        Assert.Equal(0, monitor.Depth);
    }

    [Fact]
    public async Task EveryShippedAgentHasParsableMetadata()
    {
        var invoker = TestAgents.Ours();
        var catalog = new AgentCatalog(new AgentSearchPaths(
            [Path.Combine(TestAgents.Shipped, "ocf", "resource.d")], [], [Path.Combine(TestAgents.Shipped, "fence")]));
        var agents = catalog.OcfAgents().Concat(catalog.FenceAgents()).ToList();

        Assert.Equal(["ocf:heartbeat:apache", "ocf:heartbeat:IPaddr", "ocf:heartbeat:IPaddr2", "ocf:pacemaker:Dummy",
            "stonith:fence_dummy", "stonith:fence_netns"], agents.Select(a => a.ToString()));
        foreach (var agent in agents)
        {
            var (metadata, error) = await invoker.GetMetadataAsync(agent);
            Assert.True(metadata is not null, $"{agent}: {error}");
            Assert.Equal(agent.Type, metadata.Name);
            Assert.False(string.IsNullOrWhiteSpace(metadata.ShortDescription), $"{agent} has no shortdesc");
            Assert.All(metadata.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.ShortDescription), $"{agent} {p.Name}"));
        }
    }

    [Fact]
    public async Task UniqueGroupAndReloadableAreRead()
    {
        var (metadata, _) = await TestAgents.Ours().GetMetadataAsync(AgentId.Ocf("pacemaker", "Dummy"));

        var state = metadata!.Parameter("state")!;
        Assert.Equal("state", state.UniqueGroup);
        Assert.False(state.Unique);
        Assert.True(metadata.Parameter("fake")!.Reloadable);
    }

    [Fact]
    public void MalformedXmlIsReportedWithSourceAndLine()
    {
        var e = Assert.Throws<MetadataFormatException>(() =>
            MetadataParser.Parse("<?xml version=\"1.0\"?>\n<resource-agent name=\"x\">\n<parameters>\n</resource-agent>", "ocf:test:Broken"));

        Assert.StartsWith("ocf:test:Broken:4:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongRootElementIsRejected()
    {
        var e = Assert.Throws<MetadataFormatException>(() => MetadataParser.Parse("<html/>", "lsb:x"));

        Assert.Contains("<resource-agent>", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("20s", 20_000)]
    [InlineData("20", 20_000)]
    [InlineData("100ms", 100)]
    [InlineData("5min", 300_000)]
    [InlineData("1h", 3_600_000)]
    public void DurationsParseAsPacemakerWritesThem(string text, long ms)
    {
        Assert.True(PacemakerDuration.TryParse(text, out var value));
        Assert.Equal(ms, (long)value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("10 parsecs")]
    public void BadDurationsAreRejected(string text) => Assert.False(PacemakerDuration.TryParse(text, out _));

    [Fact]
    public async Task NotInstalledAgentHasNoMetadata()
    {
        var (metadata, error) = await TestAgents.Ours().GetMetadataAsync(AgentId.Ocf("heartbeat", "Nope"));

        Assert.Null(metadata);
        Assert.Equal("not installed", error);
    }
}

public sealed class LsbMetadataTests
{
    [Fact]
    public void InitInfoBlockGivesTheDescriptionsAndFixedActions()
    {
        const string script = "#!/bin/sh\n### BEGIN INIT INFO\n# Provides: x\n# Short-Description: Example service\n"
                              + "# Description:       First line\n#                    second line.\n# Default-Start: 2 3\n### END INIT INFO\n";

        var metadata = LsbMetadata.FromScript("x", script);

        Assert.Equal(("Example service", "First line\n                    second line."), (metadata.ShortDescription, metadata.LongDescription));
        Assert.Empty(metadata.Parameters);
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)), (metadata.Action("monitor")!.Timeout, metadata.Action("monitor")!.Interval));
    }

    [Fact]
    public async Task ShippedLsbScriptIsDescribed()
    {
        var (metadata, error) = await TestAgents.Ours().GetMetadataAsync(new AgentId(AgentStandard.Lsb, null, "demo-daemon"));

        Assert.Null(error);
        Assert.Equal("Example LSB service for the cluster's lsb: class", metadata!.ShortDescription);
    }
}
