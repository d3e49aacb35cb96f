using System.Xml.Linq;
using Cluster.Tools.Crm.Planning;
using Cluster.Tools.CrmResource;
using Cluster.Tools.Pcs.Commands;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// pcs resource move / move-with-constraint / restart and crm_resource --restart: the outputs
/// pcs 0.11.5 and crm_resource 2.1.5 print on the golden CIB file (captured from the real tools),
/// and the simulation pcs move relies on before it touches the live cluster.
/// </summary>
public sealed class MoveTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private XElement Cib => XElement.Parse(_cib.Text);

    [Fact]
    public async Task MoveWithConstraintToANodeAddsAPreferConstraintAndWarnsItMayNotMove()
    {
        var (exit, output, error) = await _cib.Pcs("resource move-with-constraint WebIP node2");

        Assert.Equal(0, exit);
        Assert.Equal("", output);
        Assert.Equal("Warning: A move constraint has been created and the resource 'WebIP' may or may not move depending on other configuration\n", error);
        Assert.Contains("<rsc_location id=\"cli-prefer-WebIP\" rsc=\"WebIP\" role=\"Started\" node=\"node2\" score=\"INFINITY\"/>", _cib.Text);
    }

    [Fact]
    public async Task MoveWithConstraintWithoutANodeBansTheNodeItRunsOn()
    {
        var (exit, _, error) = await _cib.Pcs("resource move-with-constraint WebIP");

        Assert.Equal(0, exit);
        Assert.Equal("Warning: Creating location constraint 'cli-ban-WebIP-on-node1' with a score of -INFINITY for resource WebIP on node1.\n"
            + "\tThis will prevent WebIP from running on node1 until the constraint is removed\n"
            + "\tThis will be the case even if node1 is the last node in the cluster\n", error);
        Assert.Contains("<rsc_location id=\"cli-ban-WebIP-on-node1\" rsc=\"WebIP\" role=\"Started\" node=\"node1\" score=\"-INFINITY\"/>", _cib.Text);
    }

    [Theory]
    [InlineData("resource move-with-constraint WebIP node1", "Error: cannot move resource 'WebIP'\ncrm_resource: Error performing operation: Requested item already exists\n")]
    [InlineData("resource move-with-constraint Nope node2", "Error: bundle/clone/group/resource 'Nope' does not exist\nError: Errors have occurred, therefore pcs is unable to continue\n")]
    [InlineData("resource move-with-constraint WebIP node9", "Error: Node 'node9' does not appear to exist in configuration\nError: Errors have occurred, therefore pcs is unable to continue\n")]
    [InlineData("resource move WebIP node2", "Error: Specified option '-f' is not supported in this command\n")]
    [InlineData("resource ban Nope node1", "Error: bundle/clone/group/resource 'Nope' does not exist\nError: Errors have occurred, therefore pcs is unable to continue\n")]
    [InlineData("resource ban WebIP node9", "Error: Node 'node9' does not appear to exist in configuration\nError: Errors have occurred, therefore pcs is unable to continue\n")]
    [InlineData("resource clear Nope", "Error: bundle/clone/group/resource 'Nope' does not exist\nError: Errors have occurred, therefore pcs is unable to continue\n")]
    [InlineData("resource restart WebIP", "Error: Specified option '-f' is not supported in this command\n")]
    public async Task RefusedMoveLeavesTheCibUnchanged(string command, string expected)
    {
        var before = _cib.Text;

        var (exit, output, error) = await _cib.Pcs(command);

        Assert.Equal(1, exit);
        Assert.Equal(expected, output + error);
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public async Task CrmResourceMoveToWhereItRunsIsRefusedWithExists()
    {
        var (exit, _, error) = await _cib.Tool("crm_resource --move -r WebIP -N node1");

        Assert.Equal(108, exit);
        Assert.Equal("crm_resource: Error performing operation: Requested item already exists\n", error);
    }

    [Fact]
    public async Task CrmResourceRestartAndWaitRefuseACibFile()
    {
        var before = _cib.Text;

        var restart = await _cib.Tool("crm_resource --restart -r WebIP");
        var wait = await _cib.Tool("crm_resource --wait");

        Assert.Equal(64, restart.Exit);
        Assert.Contains("--restart needs the running cluster", restart.Err, StringComparison.Ordinal);
        Assert.Equal(64, wait.Exit);
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public void MoveIsRefusedWhenALocationPreferenceWouldBringTheResourceBack()
    {
        // WebServer prefers node1 (500) more than stickiness (100 each for WebIP and WebServer) holds them on node2.
        var cib = Cib;
        var before = ClusterSimulation.StateOf(cib, "WebIP", Now);
        var moved = WithPrefer(cib, "WebIP", "node2");

        var reason = ResourceMoveCommands.MoveCheck(ClusterSimulation.AfterTransition(moved, Now),
            ResourceMoveCommands.WithoutMoveConstraints(moved, "WebIP", "node2"), "WebIP", "node2", before, strict: false);

        Assert.Equal("Unable to ensure that moved resource 'WebIP' will stay on the same node after a constraint used for moving it is removed.", reason);
    }

    [Fact]
    public void MoveIsAcceptedWhenStickinessKeepsTheResourceWhereItWasMoved()
    {
        var cib = Cib;
        cib.Descendants("rsc_location").Remove();
        var before = ClusterSimulation.StateOf(cib, "WebIP", Now);
        var moved = WithPrefer(cib, "WebIP", "node2");
        var afterMove = ClusterSimulation.AfterTransition(moved, Now);

        var reason = ResourceMoveCommands.MoveCheck(afterMove, ResourceMoveCommands.WithoutMoveConstraints(moved, "WebIP", "node2"), "WebIP", "node2", before, strict: false);

        Assert.Null(reason);
        Assert.Equal("resource 'WebIP' is running on node 'node2'", ClusterSimulation.StateOf(afterMove, "WebIP", Now).Describe("WebIP"));
    }

    [Fact]
    public void MoveThatCannotTakeEffectIsRefused()
    {
        // A ban on node2 outweighs the move's preference for it: the resource would not move.
        var cib = Cib;
        cib.Element("configuration")!.Element("constraints")!.Add(new XElement("rsc_location", new XAttribute("id", "keep-off"),
            new XAttribute("rsc", "WebIP"), new XAttribute("node", "node2"), new XAttribute("score", "-INFINITY")));
        var before = ClusterSimulation.StateOf(cib, "WebIP", Now);
        var moved = WithPrefer(cib, "WebIP", "node2");

        var reason = ResourceMoveCommands.MoveCheck(ClusterSimulation.AfterTransition(moved, Now),
            ResourceMoveCommands.WithoutMoveConstraints(moved, "WebIP", "node2"), "WebIP", "node2", before, strict: false);

        Assert.StartsWith("Unable to move resource 'WebIP' using a location constraint.", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSettledGoldenClusterHasNoPendingActionsAndANewResourceHas()
    {
        var cib = Cib;
        Assert.Empty(ClusterSimulation.PendingActions(cib, Now));

        cib.Element("configuration")!.Element("resources")!.Add(new XElement("primitive", new XAttribute("id", "D"),
            new XAttribute("class", "ocf"), new XAttribute("provider", "pacemaker"), new XAttribute("type", "Dummy")));

        Assert.Contains(ClusterSimulation.PendingActions(cib, Now), a => a.StartsWith("D_start_0", StringComparison.Ordinal));
    }

    [Fact]
    public void RestartStopsThroughTargetRoleAndPutsTheOriginalBackWithCrmResourcesLines()
    {
        var original = Cib;

        var stopped = ResourceRestart.Stopped(original, "WebIP", host: null);
        var restored = ResourceRestart.Restored(stopped, original, "WebIP", host: null);

        // crm_resource 2.1.5 --restart prints these two lines (value in lower case, as it writes it).
        Assert.Equal("Set 'WebIP' option: id=WebIP-meta_attributes-target-role set=WebIP-meta_attributes name=target-role value=stopped",
            ResourceRestart.SetLine(original, stopped, "WebIP"));
        Assert.Equal("Deleted 'WebIP' option: id=WebIP-meta_attributes-target-role name=target-role", ResourceRestart.SetLine(stopped, restored, "WebIP"));
        Assert.DoesNotContain("WebIP", ClusterSimulation.ActiveResources(ClusterSimulation.AfterTransition(stopped, Now), null, Now));
        Assert.DoesNotContain(restored.Descendants("nvpair"), p => (string?)p.Attribute("name") == "target-role");
    }

    private static XElement WithPrefer(XElement cib, string rsc, string node)
    {
        var copy = new XElement(cib);
        copy.Element("configuration")!.Element("constraints")!.Add(new XElement("rsc_location", new XAttribute("id", $"cli-prefer-{rsc}"),
            new XAttribute("rsc", rsc), new XAttribute("role", "Started"), new XAttribute("node", node), new XAttribute("score", "INFINITY")));
        return copy;
    }
}

/// <summary>
/// crm_resource --restart and --wait against a stand-in cluster: a CIB client whose every write
/// is followed by the transition the scheduler computes for it (every action succeeding), so
/// the restart's stop, wait, restore and start run as on a live cluster, in-process.
/// </summary>
public sealed class RestartOnASettlingClusterTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    private sealed class SettlingCluster(XElement cib) : Cluster.Crm.CibClient.ICibClient
    {
        public XElement Cib { get; private set; } = cib;

        public List<string> History { get; } = [];

        public event Action<Cluster.Crm.CibClient.CibChange>? Changed;

        public Cluster.Crm.CibClient.CibReply Execute(Cluster.Crm.CibClient.CibRequest request)
        {
            var outcome = Cluster.Crm.CibClient.CibOperations.Apply(Cib, request);
            if (outcome.Cib is { } updated)
            {
                Cib = ClusterSimulation.AfterTransition(updated, DateTimeOffset.UtcNow);
                History.Add(string.Join(",", ClusterSimulation.ActiveResources(Cib, null, DateTimeOffset.UtcNow).Order(StringComparer.Ordinal)));
                Changed?.Invoke(new Cluster.Crm.CibClient.CibChange("0"));
            }
            return outcome.Reply;
        }

        public void Dispose() { }
    }

    [Fact]
    public void RestartStopsTheResourceAndWhatDependsOnItThenStartsThemAgain()
    {
        var cluster = new SettlingCluster(XElement.Parse(_cib.Text));
        var output = new StringWriter { NewLine = "\n" };
        var ctx = new Cluster.Tools.Dispatch.ToolContext(TextReader.Null, output, output, _ => null);

        var exit = ResourceRestart.Run(ctx, cluster, cluster.Cib, "WebIP", host: null, timeout: TimeSpan.FromSeconds(10));

        Assert.Equal(0, exit);
        // WebServer is colocated with WebIP: it stops too (as the real one prints for the golden CIB).
        Assert.Equal("Set 'WebIP' option: id=WebIP-meta_attributes-target-role set=WebIP-meta_attributes name=target-role value=stopped\n"
            + "Waiting for 2 resources to stop:\n * WebIP\n * WebServer\n"
            + "Deleted 'WebIP' option: id=WebIP-meta_attributes-target-role name=target-role\n"
            + "Waiting for 2 resources to start again:\n * WebIP\n * WebServer\n", output.ToString());
        Assert.Equal(["", "WebIP,WebServer"], cluster.History);
        Assert.DoesNotContain(cluster.Cib.Descendants("nvpair"), p => (string?)p.Attribute("name") == "target-role");
    }

    [Fact]
    public void RestartOfAStoppedResourceIsRefused()
    {
        var cluster = new SettlingCluster(XElement.Parse(_cib.Text));
        var output = new StringWriter { NewLine = "\n" };
        var ctx = new Cluster.Tools.Dispatch.ToolContext(TextReader.Null, output, output, _ => null);

        var exit = ResourceRestart.Run(ctx, cluster, cluster.Cib, "WebIP", host: "node2", timeout: TimeSpan.FromSeconds(5));

        Assert.Equal(105, exit);
        Assert.Equal("crm_resource: WebIP is not running on node2 and so cannot be restarted\n", output.ToString());
        Assert.Empty(cluster.History);
    }

    [Fact]
    public void WaitReturnsAtOnceOnASettledClusterAndTimesOutNamingWhatIsPending()
    {
        var settled = new SettlingCluster(XElement.Parse(_cib.Text));
        var pendingCib = XElement.Parse(_cib.Text);
        pendingCib.Element("configuration")!.Element("resources")!.Add(new XElement("primitive", new XAttribute("id", "D"),
            new XAttribute("class", "ocf"), new XAttribute("provider", "pacemaker"), new XAttribute("type", "Dummy")));
        var output = new StringWriter { NewLine = "\n" };
        var ctx = new Cluster.Tools.Dispatch.ToolContext(TextReader.Null, output, output, _ => null);
        Cluster.Tools.Crm.Access.CibText.Write(Path.Combine(_cib.Dir, "stuck.xml"), pendingCib);
        using var stuckClient = new Cluster.Crm.CibClient.FileCibClient(Path.Combine(_cib.Dir, "stuck.xml"));

        Assert.Equal(0, ResourceRestart.Wait(ctx, settled, TimeSpan.FromSeconds(5)));
        Assert.Equal(124, ResourceRestart.Wait(ctx, stuckClient, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("Pending actions:\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\tAction D_start_0 on node", output.ToString(), StringComparison.Ordinal);
    }
}
