using System.Xml.Linq;
using Cluster.TestSupport;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// The tutorials' older pcs spellings (issue 14): each does what today's form does (the golden
/// CIB's configuration comes out), and the ones pcs 0.11.5 refuses (colocation without "with",
/// "resource rsc defaults") say on stderr which command is today's. "constraint location add"
/// is still current in pcs 0.11.5 and prints nothing more than the real one.
/// </summary>
public sealed class OlderFormTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    private void Without(Func<XElement, IEnumerable<XElement>> select)
    {
        var cib = XElement.Parse(_cib.Text);
        select(cib).ToList().ForEach(e => e.Remove());
        CibText.Write(_cib.File, cib);
    }

    private void AssertGoldenConfiguration() =>
        Assert.Equal(CibFixture.Configuration(Golden.FinalCib()), CibFixture.Configuration(XElement.Parse(_cib.Text)));

    /// <summary>The walkthrough's three constraints in its order (wt05..wt07), one of them given as <paramref name="step"/>.</summary>
    private async Task<(int Exit, string Out, string Err)> ConstraintsWith(string step, int index)
    {
        Without(cib => cib.Descendants("constraints").Elements());
        string[] steps = ["constraint colocation add WebServer with WebIP INFINITY", "constraint order WebIP then WebServer",
            "constraint location WebServer prefers node1=500"];
        steps[index] = step;
        (int, string, string) result = default;
        for (var i = 0; i < steps.Length; i++)
        {
            var r = await _cib.Pcs(steps[i]);
            if (i == index) result = r;
        }
        return result;
    }

    [Fact]
    public async Task ColocationWithoutWithAddsTheSameConstraintAndNamesTodaysForm()
    {
        var (exit, output, error) = await ConstraintsWith("constraint colocation add WebServer WebIP INFINITY", 0);

        Assert.Equal(0, exit);
        Assert.Equal("", output);
        Assert.Equal("Warning: 'colocation add <source> <target>' is the old form; today's is 'pcs constraint colocation add WebServer with WebIP INFINITY'\n", error);
        AssertGoldenConfiguration();
    }

    [Fact]
    public async Task RscDefaultsSetsTheResourceDefaultsAndNamesTodaysForm()
    {
        Without(cib => cib.Descendants("rsc_defaults"));

        var (exit, _, error) = await _cib.Pcs("resource rsc defaults resource-stickiness=100");

        Assert.Equal(0, exit);
        Assert.StartsWith("Warning: 'pcs resource rsc defaults' is the old form; today's is 'pcs resource defaults update resource-stickiness=100'\n", error, StringComparison.Ordinal);
        AssertGoldenConfiguration();
    }

    [Fact]
    public async Task LocationAddWithAnIdIsTheSameAsPrefersAndPrintsWhatPcsPrints()
    {
        var (exit, _, error) = await ConstraintsWith("constraint location add location-WebServer-node1-500 WebServer node1 500", 2);

        Assert.Equal(0, exit);
        Assert.Equal("Warning: Validation for node existence in the cluster will be skipped\n", error);
        AssertGoldenConfiguration();
    }

    [Fact]
    public async Task TheTutorialsIPaddrAgentIsAccepted()
    {
        var (exit, _, error) = await _cib.Pcs("resource create TestIP ocf:heartbeat:IPaddr ip=10.77.0.101 cidr_netmask=24 op monitor interval=30s");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("<primitive id=\"TestIP\" class=\"ocf\" type=\"IPaddr\" provider=\"heartbeat\">", _cib.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnLsbAgentThatIsNotInstalledNeedsForceAsInPcs()
    {
        var before = _cib.Text;

        // (lsb:httpd is shipped now, for the tutorials' walkthrough.)
        var refused = await _cib.Pcs("resource create WebServer2 lsb:nosuchd");

        Assert.Equal(1, refused.Exit);
        Assert.StartsWith("Error: Agent 'lsb:nosuchd' is not installed or does not provide valid metadata", refused.Err, StringComparison.Ordinal);
        Assert.Equal(before, _cib.Text);
    }
}
