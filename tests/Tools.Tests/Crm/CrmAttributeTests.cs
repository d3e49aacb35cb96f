using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Crm;

/// <summary>crm_attribute on CIB_file: where each kind of attribute goes and what Pacemaker 2.1.5 prints.</summary>
public sealed class CrmAttributeTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    [Fact]
    public async Task ClusterOptionIsSetQueriedAndDeletedInCibBootstrapOptions()
    {
        Assert.Equal(0, (await _cib.Tool("crm_attribute -n foo -v bar")).Exit);
        Assert.Contains("<nvpair id=\"cib-bootstrap-options-foo\" name=\"foo\" value=\"bar\"/>", _cib.Text, StringComparison.Ordinal);
        Assert.Equal("scope=crm_config  name=foo value=bar\n", (await _cib.Tool("crm_attribute -n foo -G")).Out);
        Assert.Equal("Deleted crm_config option: id=cib-bootstrap-options-foo name=foo\n", (await _cib.Tool("crm_attribute -n foo -D")).Out);
        Assert.DoesNotContain("cib-bootstrap-options-foo", _cib.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeAttributeIsPermanentAndRebootLifetimeGoesToStatus()
    {
        await _cib.Tool("crm_attribute -N node1 -n rack -v 1");
        await _cib.Tool("crm_attribute -N node1 -n rack -l reboot -v 2");

        Assert.Contains("<nvpair id=\"nodes-1-rack\" name=\"rack\" value=\"1\"/>", _cib.Text, StringComparison.Ordinal);
        Assert.Contains("<nvpair id=\"status-1-rack\" name=\"rack\" value=\"2\"/>", _cib.Text, StringComparison.Ordinal);
        Assert.Equal("scope=status  name=rack value=2\n", (await _cib.Tool("crm_attribute -N node1 -n rack -l reboot -G")).Out);
    }

    [Fact]
    public async Task MissingAttributeAndUnknownNodeAreNoSuchObject()
    {
        var before = _cib.Text;

        var missing = await _cib.Tool("crm_attribute -n nope -G");
        var unknownNode = await _cib.Tool("crm_attribute -N node9 -n rack -v 1");

        Assert.Equal((105, "crm_attribute: Error performing operation: No such device or address\n"), (missing.Exit, missing.Err));
        Assert.Equal((105, "crm_attribute: Could not map name=node9 to a UUID\n"), (unknownNode.Exit, unknownNode.Err));
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public async Task Deprecated_spellings_still_accepted_by_2_1_5_act_as_their_options()
    {
        Assert.Equal(0, (await _cib.Tool("crm_attribute --attr-name foo --attr-value bar")).Exit);
        Assert.Equal("bar\n", (await _cib.Tool("crm_attribute -n foo --get-value -Q")).Out);
        Assert.Equal(0, (await _cib.Tool("crm_attribute -U node1 -n rack --attr-value 3")).Exit);
        Assert.Contains("<nvpair id=\"nodes-1-rack\" name=\"rack\" value=\"3\"/>", _cib.Text, StringComparison.Ordinal);
    }
}

