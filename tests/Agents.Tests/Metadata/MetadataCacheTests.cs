using Cluster.Agents.Discovery;
using Cluster.Agents.Invocation;
using Cluster.Agents.Metadata;
using Cluster.Agents.Tests.Support;
using Cluster.Common.Processes;

namespace Cluster.Agents.Tests.Metadata;

public sealed class MetadataCacheTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    /// <summary>
    /// An OCF agent in its own provider directory whose meta-data counts its own runs in a file,
    /// so a test can tell a cached answer from a fresh one.
    /// </summary>
    private (AgentInvoker Invoker, string Script, string Runs) CountingAgent(string description)
    {
        var root = _dirs.New();
        var provider = Path.Combine(root, "resource.d", "test");
        Directory.CreateDirectory(provider);
        var runs = Path.Combine(root, "runs");
        var script = Path.Combine(provider, "Counted");
        WriteAgent(script, runs, description);
        var paths = new AgentSearchPaths([Path.Combine(root, "resource.d")], [], []);
        var invoker = new AgentInvoker(new AgentCatalog(paths), ProcessRunner.Default, AgentInvoker.BaseEnvironmentFrom(_ => null))
        {
            MetadataCache = new MetadataCache(Path.Combine(root, "cache")),
        };
        return (invoker, script, runs);
    }

    private static void WriteAgent(string script, string runs, string description)
    {
        File.WriteAllText(script, $"""
            #!/bin/sh
            echo run >> {runs}
            cat <<'XML'
            <?xml version="1.0"?>
            <resource-agent name="Counted" version="1">
              <version>1.1</version>
              <shortdesc lang="en">{description}</shortdesc>
              <parameters/>
              <actions><action name="start" timeout="20s"/></actions>
            </resource-agent>
            XML
            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static int Runs(string file) => File.Exists(file) ? File.ReadAllLines(file).Length : 0;

    [Fact]
    public async Task ASecondMetadataQueryIsAnsweredWithoutRunningTheAgent()
    {
        var (invoker, _, runs) = CountingAgent("first");

        var (first, _) = await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));
        var (second, _) = await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));

        Assert.Equal("first", first!.ShortDescription);
        Assert.Equal("first", second!.ShortDescription);
        Assert.Equal(1, Runs(runs));
    }

    [Fact]
    public async Task AnEditedAgentIsAskedAgain()
    {
        var (invoker, script, runs) = CountingAgent("before");
        await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));

        WriteAgent(script, runs, "after the upgrade");
        var (metadata, _) = await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));

        Assert.Equal("after the upgrade", metadata!.ShortDescription);
        Assert.Equal(2, Runs(runs));
    }

    [Fact]
    public async Task ADamagedEntryIsReplacedByTheAgentsAnswer()
    {
        var (invoker, script, runs) = CountingAgent("good");
        await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));
        foreach (var entry in Directory.GetFiles(invoker.MetadataCache!.Directory))
            File.WriteAllText(entry, "<resource-agent");

        var (metadata, error) = await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));

        Assert.Null(error);
        Assert.Equal("good", metadata!.ShortDescription);
        Assert.Equal(2, Runs(runs));
        Assert.Equal(script, invoker.Catalog.Locate(AgentId.Ocf("test", "Counted")));
    }

    [Fact]
    public async Task AFailedMetadataActionIsNotCached()
    {
        var (invoker, script, runs) = CountingAgent("x");
        File.WriteAllText(script, $"#!/bin/sh\necho run >> {runs}\nexit 1\n");

        await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));
        var (metadata, error) = await invoker.GetMetadataAsync(AgentId.Ocf("test", "Counted"));

        Assert.Null(metadata);
        Assert.NotNull(error);
        Assert.Equal(2, Runs(runs));
    }
}
