using System.Xml.Linq;
using Cluster.Crm.Digests;
using Cluster.TestSupport.Cib;

namespace Cluster.Crm.Tests.Differential;

/// <summary>The seeded CIB generator: deterministic, well-formed, unique ids, correct digests.</summary>
public sealed class CibGeneratorTests
{
    [Fact]
    public void SameSeed_SameText_DifferentSeeds_DifferentText()
    {
        Assert.Equal(CibGenerator.Random(42), CibGenerator.Random(42));
        Assert.NotEqual(CibGenerator.Random(42), CibGenerator.Random(43));
        Assert.Equal(CibGenerator.Large(4, 40, CibGenerator.LargeHistory.AllRunningOneNodeDied),
            CibGenerator.Large(4, 40, CibGenerator.LargeHistory.AllRunningOneNodeDied));
    }

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        for (var seed = 1; seed <= 60; seed++) data.Add("random:" + seed);
        data.Add("large:none");
        data.Add("large:died");
        return data;
    }

    private static string Generate(string sample) => sample switch
    {
        "large:none" => CibGenerator.Large(8, 100, CibGenerator.LargeHistory.None),
        "large:died" => CibGenerator.Large(8, 100, CibGenerator.LargeHistory.AllRunningOneNodeDied),
        _ => CibGenerator.Random(int.Parse(sample["random:".Length..], System.Globalization.CultureInfo.InvariantCulture)),
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void GeneratedCib_IsWellFormed_WithUniqueIds_AndResolvableReferences(string sample)
    {
        var doc = XDocument.Parse(Generate(sample));
        var config = doc.Root!.Element("configuration")!;
        var ids = config.Descendants().Select(e => (string?)e.Attribute("id")).Where(id => id is not null).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        var resources = config.Element("resources")!.Descendants().Where(e => e.Name == "primitive" || e.Name == "group")
            .Select(e => (string)e.Attribute("id")!).ToHashSet(StringComparer.Ordinal);
        var nodes = config.Element("nodes")!.Elements("node").Select(e => (string)e.Attribute("uname")!).ToHashSet(StringComparer.Ordinal);
        foreach (var c in config.Element("constraints")!.Elements())
        {
            foreach (var attr in new[] { "rsc", "with-rsc", "first", "then" })
            {
                if (c.Attribute(attr) is { } a) Assert.Contains(a.Value, resources);
            }
            if (c.Attribute("node") is { } n) Assert.Contains(n.Value, nodes);
        }
        foreach (var lrm in doc.Descendants("lrm_resource"))
            Assert.Contains((string)lrm.Attribute("id")!, resources);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void HistoryDigests_EqualWhatPacemakerRecords_ExceptDeliberatelyStaleOnes(string sample)
    {
        // The generator's own MD5 text must agree with Cluster.Crm.Digests; a stale entry is
        // recorded for the value "<current>-old" and must then differ.
        var doc = XDocument.Parse(Generate(sample));
        var primitives = doc.Descendants("primitive").ToDictionary(p => (string)p.Attribute("id")!, StringComparer.Ordinal);
        foreach (var op in doc.Descendants("lrm_rsc_op"))
        {
            var rsc = (string)op.Parent!.Attribute("id")!;
            var p = primitives[rsc];
            var fake = p.Descendants("nvpair").FirstOrDefault(nv => (string?)nv.Attribute("name") == "fake");
            var interval = long.Parse((string)op.Attribute("interval")!, System.Globalization.CultureInfo.InvariantCulture);
            var monitor = p.Descendants("op").FirstOrDefault(o => (string?)o.Attribute("name") == "monitor");
            var timeout = OpTimeout.ResolveMs(opAttribute: (string?)monitor?.Attribute("timeout"));
            string Digest(string? value) => OpDigest.ComputeRecorded(new OpDigestInput(
                (string)op.Attribute("operation")!, interval,
                value is null ? [] : [new("fake", value)], [], timeout));
            var recorded = (string)op.Attribute("op-digest")!;
            var current = Digest((string?)fake?.Attribute("value"));
            if (recorded != current)
                Assert.Equal(Digest((string)fake!.Attribute("value")! + "-old"), recorded);
        }
    }

    [Fact]
    public void RandomCibs_CoverTheBriefsFeatures()
    {
        var all = string.Join('\n', Enumerable.Range(1, 300).Select(CibGenerator.Random));
        foreach (var needle in new[]
                 {
                     "name=\"standby\" value=\"on\"", "expected=\"down\"", "in_ccm=\"false\" crmd=\"offline\" crm-debug-origin=\"generator\" join=\"down\" expected=\"member\"",
                     "class=\"stonith\"", "<group ", "<rsc_location ", "<rsc_colocation ", "<rsc_order ", "score=\"INFINITY\"",
                     "score=\"-INFINITY\"", "score=\"-50\"", "resource-stickiness", "fail-count-", "migration-threshold",
                     "operation=\"start\"", "rc-code=\"7\"", "value=\"true\"", "value=\"false\"", "have-quorum=\"0\"",
                     "have-quorum=\"1\"", "no-quorum-policy", "target-role", "priority",
                 })
        {
            Assert.Contains(needle, all, StringComparison.Ordinal);
        }
    }
}
