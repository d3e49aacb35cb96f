using Cluster.TestSupport;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// Each class of refused command (unknown agent or standard, missing required or unknown option,
/// bad score or value, duplicate id, unknown resource or node, constraint on a missing resource):
/// pcs's wording and exit code from the goldens, and the CIB file left byte for byte unchanged.
/// </summary>
public sealed class RefusalTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    [Theory]
    [InlineData("err-pcs-resource-create-unknown-agent.txt")]
    [InlineData("err-pcs-resource-create-unknown-standard.txt")]
    [InlineData("err-pcs-resource-create-missing-required.txt")]
    [InlineData("err-pcs-resource-create-bad-option.txt")]
    [InlineData("err-pcs-resource-create-duplicate-id.txt")]
    [InlineData("err-pcs-resource-delete-missing.txt")]
    [InlineData("err-pcs-constraint-colocation-missing.txt")]
    [InlineData("err-pcs-constraint-order-missing.txt")]
    [InlineData("err-pcs-node-standby-unknown.txt")]
    [InlineData("err-pcs-property-set-bad-value.txt")]
    [InlineData("err-pcs-property-set-unknown.txt")]
    [InlineData("err-pcs-resource-describe-unknown.txt")]
    public async Task RefusedCommandPrintsTheGoldenErrorAndLeavesTheCibUnchanged(string goldenName)
    {
        var golden = Golden.Load(goldenName);
        var before = _cib.Text;

        var (exit, output, error) = await _cib.Pcs(golden.Command["pcs ".Length..]);

        Assert.Equal(golden.ExitStatus, exit);
        Assert.Equal(golden.Output, output + error);
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public async Task ConstraintOnAMissingResourceOnAFileWarnsAboutNodesThenRefuses()
    {
        var before = _cib.Text;

        var (exit, _, error) = await _cib.Pcs("constraint location NoSuchRes prefers node1=100");

        // pcs 0.11.5 -f: the node check is skipped (with its warning), the resource check is not.
        Assert.Equal(1, exit);
        Assert.Equal("Warning: Validation for node existence in the cluster will be skipped\nError: Resource 'NoSuchRes' does not exist\n", error);
        Assert.Equal(before, _cib.Text);
    }

    [Theory]
    [InlineData("constraint location WebIP prefers node2=abc", "Error: invalid score 'abc', use integer or INFINITY or -INFINITY\n")]
    // pcs 0.11.5 reads a word after the target that is neither a score nor an option as meaning
    // the target was a role: the refusal names the resource as a bad role.
    [InlineData("constraint colocation add WebServer with WebIP abc", "Error: invalid role value 'WebIP', allowed values are: 'Master', 'Promoted', 'Slave', 'Started', 'Stopped', 'Unpromoted'\n")]
    public async Task BadScoreIsRefused(string command, string expectedTail)
    {
        var before = _cib.Text;

        var (exit, _, error) = await _cib.Pcs(command);

        Assert.Equal(1, exit);
        Assert.EndsWith(expectedTail, error, StringComparison.Ordinal);
        Assert.Equal(before, _cib.Text);
    }

    [Theory]
    [InlineData("constraint order WebServer then WebIP kind=bogus", "Adding WebServer WebIP (kind: bogus) (Options: first-action=start then-action=start)\n")]
    [InlineData("constraint colocation add WebServer with promoted WebIP abc", "")]
    [InlineData("constraint order WebServer then WebIP score=+5", "Adding WebServer WebIP (score: +5) (Options: first-action=start then-action=start)\n")]
    public async Task ValuesPcsPassesThroughAreRefusedByTheSchemaWithTheAttemptedCibNumbered(string command, string before)
    {
        var original = _cib.Text;

        var (exit, _, error) = await _cib.Pcs(command);

        // pcs leaves these values to the CIB, whose schema refuses them (kind, score, the id
        // "order-WebServer-WebIP-+5"); cibadmin's report shows the CIB it was given, epoch one up.
        Assert.Equal(1, exit);
        Assert.StartsWith(before + "Error: Unable to update cib\n   1 <cib ", error, StringComparison.Ordinal);
        Assert.Contains("\n  10 ", error, StringComparison.Ordinal);
        Assert.Matches("</cib>\n +[0-9]+ \nCall failed: Update does not conform to the configured schema\n\n$", error);
        var epoch = int.Parse(System.Text.RegularExpressions.Regex.Match(original, "\\sepoch=\"([0-9]+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($" epoch=\"{epoch + 1}\"", error, StringComparison.Ordinal);
        Assert.Equal(original, _cib.Text);
    }

    [Fact]
    public async Task UnknownAgentWithForceIsCreatedWithAWarning()
    {
        var golden = Golden.Load("err-pcs-resource-create-unknown-agent-force.txt");

        var (exit, output, error) = await _cib.Pcs("resource create Foo ocf:heartbeat:NoSuchAgent --force");
        var (deleteExit, deleteOut, deleteErr) = await _cib.Pcs("resource delete Foo");

        Assert.Equal(0, exit);
        Assert.Equal(0, deleteExit);
        Assert.Equal(golden.Output, output + error + deleteOut + deleteErr);
    }

    [Fact]
    public async Task NonNumericOperationIntervalIsStoredAsPcsDoes()
    {
        // pcs 0.11.5 stores interval=abc silently (err-pcs-resource-create-bad-op*.txt) and the
        // cluster reads it as 0; we follow it, and the resource's config shows what was stored.
        var golden = Golden.Load("err-pcs-resource-create-bad-op.txt");

        var (exit, output, error) = await _cib.Pcs("resource create BadOp ocf:pacemaker:Dummy op monitor interval=abc");
        var (_, config, _) = await _cib.Pcs("resource config BadOp");

        Assert.Equal(golden.ExitStatus, exit);
        Assert.Equal(golden.Output, output + error);
        Assert.Equal(Golden.Load("err-pcs-resource-create-bad-op.pcs-resource-config.txt").Output, config);
    }

    [Fact]
    public async Task DuplicateConstraintIsRefusedNamingTheExistingOne()
    {
        var before = _cib.Text;

        var (exit, _, error) = await _cib.Pcs("constraint order WebIP then WebServer");

        Assert.Equal(1, exit);
        Assert.Equal("Error: duplicate constraint already exists, use --force to override\n"
                     + "  start WebIP then start WebServer (kind:Mandatory) (id:order-WebIP-WebServer-mandatory)\n", error);
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public async Task CrmResourceLocateOfAMissingResourceIsNoSuchObject()
    {
        var golden = Golden.Load("err-crm_resource-locate-missing.txt");

        var (exit, output, error) = await _cib.Tool(golden.Command);

        Assert.Equal(golden.ExitStatus, exit);
        Assert.Equal(golden.Output, output + error);
    }
}
