using Cluster.Crm.Cib;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Cib;

/// <summary>
/// CIBs saved by cluster-fuzz (named target-seed-index) that threw out of the readers, the
/// verifier or the scheduler: each must now be read and checked, or refused with a
/// <see cref="CibParseException"/>.
/// </summary>
public class FuzzFindingTests
{
    private static string Dir => Path.Combine(RepoPaths.Root, "tests", "Crm.Tests", "Cib", "FuzzFindings");

    public static TheoryData<string> Findings => [.. Directory.EnumerateFiles(Dir, "*.xml").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Findings))]
    public void A_saved_fuzz_finding_gives_a_clear_error_or_a_verdict(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, name));
        CibDocument cib;
        try
        {
            cib = CibDocument.FromBytes(bytes, name);
        }
        catch (CibParseException)
        {
            return;
        }

        var report = CibVerifier.Verify(cib, name);

        Assert.NotNull(report);
    }
}
