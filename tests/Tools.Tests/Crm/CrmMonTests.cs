using Cluster.TestSupport;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Crm;

/// <summary>crm_mon's one-shot views on the golden CIB (what the real crm_mon prints on the same file).</summary>
public sealed class CrmMonTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    private const string Summary = "Cluster Summary:\n  * Stack: corosync\n  * Current DC: node1 (version 2.1.5-a3f44794f94) - partition with quorum\n"
        + "  * Last updated: X\n  * Last change:  Sat Nov 21 22:35:25 2026 by root via cibadmin on node1\n  * 2 nodes configured\n  * 2 resource instances configured\n";

    [Fact]
    public async Task WithoutInactiveOnlyActiveResourcesAreListed()
    {
        var (exit, output, _) = await _cib.Tool("crm_mon -1");

        Assert.Equal(0, exit);
        Assert.Equal(Summary + "\nNode List:\n  * Online: [ node1 node2 ]\n\nActive Resources:\n"
                     + "  * WebIP\t(ocf:heartbeat:IPaddr2):\t Started node1\n  * WebServer\t(ocf:heartbeat:apache):\t Started node1\n",
            Golden.Normalise(output));
    }

    [Fact]
    public async Task GroupByNodeListsEachNodesResourcesWithoutTheNodeName()
    {
        var (_, output, _) = await _cib.Tool("crm_mon -1 -n");

        Assert.EndsWith("Node List:\n  * Node node1: online:\n    * Resources:\n      * WebIP\t(ocf:heartbeat:IPaddr2):\t Started\n"
                        + "      * WebServer\t(ocf:heartbeat:apache):\t Started\n  * Node node2: online:\n    * Resources:\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailCountsAddAMigrationSummary()
    {
        var (_, output, _) = await _cib.Tool("crm_mon -1 -f");

        Assert.EndsWith("\nMigration Summary:\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task XmlOutputNamesTheDcAndTheResources()
    {
        var (exit, output, _) = await _cib.Tool("crm_mon -1 --output-as=xml");

        var xml = System.Xml.Linq.XElement.Parse(output);
        Assert.Equal(0, exit);
        Assert.Equal("node1", (string?)xml.Element("summary")!.Element("current_dc")!.Attribute("name"));
        Assert.Equal(["WebIP", "WebServer"], xml.Element("resources")!.Elements("resource").Select(r => (string?)r.Attribute("id")));
    }

    [Fact]
    public async Task NoCibFileIsAnErrorNotAStackTrace()
    {
        System.IO.File.Delete(_cib.File);

        var (exit, _, error) = await _cib.Tool("crm_mon -1");

        Assert.Equal(102, exit);
        Assert.StartsWith("crm_mon: Error: ", error, StringComparison.Ordinal);
    }
}
