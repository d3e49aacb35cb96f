using Cluster.Crm.Cib;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Cib;

/// <summary>The schema rules crm_verify and crm_simulate apply must not refuse what Pacemaker accepts.</summary>
public class SchemaRulesTests
{
    [Fact]
    public void Every_conformance_cib_passes_the_schema_rules()
    {
        var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
        if (!Directory.Exists(corpus)) corpus = "/work/shared/conformance/scheduler";
        var files = Directory.EnumerateFiles(corpus, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 100, $"conformance corpus not found at {corpus}");

        var refused = files
            .Select(f => (File: Path.GetFileName(f), Errors: CibVerifier.SchemaMessages(CibDocument.Load(f))))
            .Where(x => x.Errors.Count > 0)
            .Select(x => $"{x.File}: {string.Join("; ", x.Errors)}")
            .ToList();

        Assert.True(refused.Count == 0, string.Join("\n", refused));
    }
}
