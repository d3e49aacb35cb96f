using System.Xml.Linq;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Pcs.Declarative;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// The declarative cluster file: export, apply and export again is the identity; apply shows the
/// difference in the file's own lines and changes nothing with --dry-run; a bad file is refused
/// naming the file, the line and the key, with the CIB unchanged.
/// </summary>
public sealed class ClusterYamlTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    private string YamlFile => Path.Combine(_cib.Dir, "cluster.yaml");

    private async Task<string> Export()
    {
        var (exit, output, error) = await _cib.Pcs("cluster config export --yaml");
        Assert.True(exit == 0, error);
        return output;
    }

    [Fact]
    public async Task ExportApplyExportIsTheIdentityAndApplyingItChangesNothing()
    {
        var before = _cib.Text;
        var first = await Export();
        File.WriteAllText(YamlFile, first);

        var (exit, output, _) = await _cib.Pcs($"cluster config apply {YamlFile}");

        Assert.Equal(0, exit);
        Assert.Equal($"No changes: the cluster's configuration already is {YamlFile}\n", output);
        Assert.Equal(before, _cib.Text);
        Assert.Equal(first, await Export());
        Assert.Contains("- colocation: colocation-WebServer-WebIP-INFINITY\n  resource: WebServer\n  with: WebIP\n  score: INFINITY\n", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DryRunShowsTheChangedLinesAndLeavesTheCibAlone()
    {
        var before = _cib.Text;
        File.WriteAllText(YamlFile, (await Export()).Replace("score: 500", "score: 600", StringComparison.Ordinal));

        var (exit, output, _) = await _cib.Pcs($"cluster config apply {YamlFile} --dry-run");

        Assert.Equal(0, exit);
        Assert.Equal($"--- cluster\n+++ {YamlFile}\n-  score: 500\n+  score: 600\nDry run: nothing was changed\n", output);
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public async Task ApplyReplacesTheConfigurationAndKeepsTheNodes()
    {
        var yaml = await Export();
        // WebServer and its three constraints go; the score of nothing else changes.
        var cut = yaml[..yaml.IndexOf("- primitive: WebServer", StringComparison.Ordinal)];
        File.WriteAllText(YamlFile, cut);

        var (exit, _, error) = await _cib.Pcs($"cluster config apply {YamlFile}");

        Assert.True(exit == 0, error);
        var cib = XElement.Parse(_cib.Text);
        var config = cib.Element("configuration")!;
        Assert.Equal(["WebIP"], config.Element("resources")!.Elements().Select(e => (string?)e.Attribute("id")));
        Assert.Empty(config.Element("constraints")!.Elements());
        Assert.Equal(2, config.Element("nodes")!.Elements("node").Count());
        Assert.Equal(cut, await Export());
    }

    [Fact]
    public async Task WhatTheFileCannotSayReadablyIsKeptAsXml()
    {
        var cib = XElement.Parse(_cib.Text);
        cib.Element("configuration")!.Element("constraints")!.Add(XElement.Parse(
            "<rsc_order id=\"set-order\"><resource_set id=\"set-order-0\"><resource_ref id=\"WebIP\"/><resource_ref id=\"WebServer\"/></resource_set></rsc_order>"));
        CibText.Write(_cib.File, cib);
        var yaml = await Export();
        cib.Element("configuration")!.Element("constraints")!.Elements().Where(e => (string?)e.Attribute("id") == "set-order").Remove();
        CibText.Write(_cib.File, cib);
        File.WriteAllText(YamlFile, yaml);

        var (exit, _, error) = await _cib.Pcs($"cluster config apply {YamlFile}");

        Assert.True(exit == 0, error);
        Assert.Contains("- xml: |\n    <rsc_order id=\"set-order\">\n", yaml, StringComparison.Ordinal);
        Assert.Contains("<resource_ref id=\"WebServer\"/>", _cib.Text, StringComparison.Ordinal);
        Assert.Equal(yaml, await Export());
    }

    [Theory]
    [InlineData("constraints:\n- colocation: c1\n  resource: WebServer\n  wiht: WebIP\n", ":4: key 'wiht': unknown key for a colocation constraint (known: resource, with, score, rsc-role, with-rsc-role)")]
    [InlineData("resources:\n- primitive: X\n  agent: ocf:pacemaker\n", ":3: key 'agent': 'ocf:pacemaker' is not standard:provider:type (ocf) or standard:type")]
    [InlineData("resourcse:\n- primitive: X\n", ":1: key 'resourcse': unknown section (known: cluster-properties, resource-defaults, operation-defaults, resources, fencing, constraints, other-sections)")]
    [InlineData("constraints:\n- location: l1\n  resource: WebIP\n  score: 5\n", ":2: key 'node': the location constraint 'l1' needs 'node'")]
    [InlineData("resources: [\n", ":2: While parsing a node, did not find expected node content.")]
    public async Task ABadFileIsRefusedNamingFileLineAndKey(string yaml, string expected)
    {
        var before = _cib.Text;
        File.WriteAllText(YamlFile, yaml);

        var (exit, _, error) = await _cib.Pcs($"cluster config apply {YamlFile}");

        Assert.Equal(1, exit);
        Assert.Equal($"Error: {YamlFile}{expected}\n", error);
        Assert.Equal(before, _cib.Text);
    }

    [Fact]
    public void DifferenceListsRemovedBeforeAddedLines()
    {
        Assert.Equal(["-b: 1", "+b: 2"], ClusterYaml.Difference("a: 0\nb: 1\nc: 3", "a: 0\nb: 2\nc: 3"));
        Assert.Empty(ClusterYaml.Difference("a: 0\n", "a: 0\n"));
    }
}
