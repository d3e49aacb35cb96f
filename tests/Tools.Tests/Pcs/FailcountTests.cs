using System.Xml.Linq;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// pcs resource failcount show on a CIB file with fail counts in its status: every expected text
/// below was printed by the real pcs 0.11.5 on the same CIB.
/// </summary>
public sealed class FailcountTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public FailcountTests()
    {
        // node2: WebServer failed its 60 s monitor twice and a start (INFINITY), WebIP a start and a
        // stop, a clone instance Cl:1 a start, Zed a start whose count is not a number; node1: WebIP
        // a 30 s monitor, and a last-failure without a count.
        var cib = XElement.Parse(_cib.Text);
        var status = cib.Element("status")!;
        status.RemoveNodes();
        status.Add(
            State("2", "node2", ("WebServer#monitor_60000", "2"), ("WebServer#start_0", "INFINITY"), ("WebIP#start_0", "999999"),
                ("WebIP#stop_0", "5"), ("Cl:1#start_0", "1"), ("Zed#start_0", "abc")),
            State("1", "node1", ("WebIP#monitor_30000", "1")));
        status.Elements("node_state").Last().Element("transient_attributes")!.Element("instance_attributes")!
            .Add(new XElement("nvpair", new XAttribute("id", "lf"), new XAttribute("name", "last-failure-Old#stop_0"), new XAttribute("value", "1795300600")));
        File.WriteAllText(_cib.File, cib.ToString());
    }

    private static XElement State(string id, string name, params (string Failure, string Count)[] counts) =>
        new("node_state", new XAttribute("id", id), new XAttribute("uname", name),
            new XElement("transient_attributes", new XAttribute("id", id),
                new XElement("instance_attributes", new XAttribute("id", $"status-{id}"),
                    counts.Select((c, i) => new XElement("nvpair", new XAttribute("id", $"status-{id}-{i}"),
                        new XAttribute("name", "fail-count-" + c.Failure), new XAttribute("value", c.Count))))));

    public void Dispose() => _cib.Dispose();

    [Theory]
    [InlineData("resource failcount show",
        "Failcounts for resource 'Cl'\n  node2: 1\nFailcounts for resource 'Old'\n  node1: 0\nFailcounts for resource 'WebIP'\n  node1: 1\n  node2: 1000004\n"
        + "Failcounts for resource 'WebServer'\n  node2: INFINITY\nFailcounts for resource 'Zed'\n  node2: 1\n")]
    [InlineData("resource failcount show WebServer --full",
        "Failcounts for resource 'WebServer'\n  node2:\n    monitor 60000ms: 2\n    start 0ms: INFINITY\n")]
    [InlineData("resource failcount show WebServer node=node2 operation=monitor interval=60s",
        "Failcounts for operation 'monitor' with interval '60s' of resource 'WebServer' on node 'node2'\n  node2: 2\n")]
    [InlineData("resource failcount show operation=start interval=0",
        "Failcounts for operation 'start' with interval '0' of resource 'Cl'\n  node2: 1\n"
        + "Failcounts for operation 'start' with interval '0' of resource 'WebIP'\n  node2: 999999\n"
        + "Failcounts for operation 'start' with interval '0' of resource 'WebServer'\n  node2: INFINITY\n"
        + "Failcounts for operation 'start' with interval '0' of resource 'Zed'\n  node2: 1\n")]
    [InlineData("resource failcount show WebServer operation=monitor interval=60000",
        "No failcounts for operation 'monitor' with interval '60000' of resource 'WebServer'\n")]
    [InlineData("resource failcount show node=nodeX", "No failcounts on node 'nodeX'\n")]
    [InlineData("resource failcount show WebServer node=", "No failcounts for resource 'WebServer'\n")]
    public async Task FailcountsAreSummedSortedAndFilteredAsPcsDoes(string command, string expected)
    {
        var (exit, output, error) = await _cib.Pcs(command);

        Assert.Equal((0, expected, ""), (exit, output, error));
    }

    [Theory]
    [InlineData("resource failcount show WebServer interval=60000", "Error: If option 'interval' is specified, option 'operation' must be specified as well\n")]
    [InlineData("resource failcount show WebServer operation=monitor interval=2ms", "Error: '2ms' is not a valid interval value, use time interval (e.g. 1, 2s, 3m, 4h, ...)\n")]
    [InlineData("resource failcount show WebServer a=1 b=2", "Error: Unknown options 'a', 'b'\n")]
    [InlineData("resource failcount show WebIP WebServer", "Error: missing value of 'WebServer' option\n")]
    [InlineData("resource failcount show WebServer node=node2 node=node1", "Error: duplicate option 'node' with different values 'node2' and 'node1'\n")]
    [InlineData("resource failcount show --force", "Error: Specified option '--force' is not supported in this command\n")]
    public async Task BadFailcountArgumentsAreRefusedWithPcsWording(string command, string expected)
    {
        var before = _cib.Text;

        var (exit, output, error) = await _cib.Pcs(command);

        Assert.Equal((1, "", expected), (exit, output, error));
        Assert.Equal(before, _cib.Text);
    }
}
