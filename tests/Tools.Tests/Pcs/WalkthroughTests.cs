using System.Text.RegularExpressions;
using Cluster.TestSupport;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// The tutorial walkthrough (../shared/golden/wt*) run in the goldens' order on one CIB file:
/// every step's output must equal the real stack's, and the final configuration the golden CIB's.
/// </summary>
public sealed partial class WalkthroughTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithWalkthroughStart();

    public void Dispose() => _cib.Dispose();

    /// <summary>The goldens in the order they were taken (a few are checked differently, see <see cref="Expected"/>).</summary>
    private static readonly string[] Steps =
    [
        "wt01-pcs-property-set-no-quorum-policy.txt", "wt01-pcs-property.txt",
        // wt02-pcs-status is left out: the final status section already holds WebServer's history (shown ORPHANED before it is configured).
        "wt02-pcs-resource-create-WebIP.txt", "wt02-pcs-config.txt",
        // wt03-pcs-status is left out: TestIPaddr ran on node2, which the final status section does not record.
        "wt03-pcs-resource-create-TestIPaddr.txt", "wt03-pcs-resource-config-TestIPaddr.txt", "wt03-pcs-resource-delete-TestIPaddr.txt",
        // wt04-pcs-status is left out: WebServer ran on node2 before the colocation, and the file's status section is the final one.
        "wt04-pcs-resource-create-WebServer.txt", "wt04-pcs-config.txt",
        "wt05-pcs-constraint-colocation-add.txt", "wt05-pcs-constraint.txt", "wt05-pcs-status.txt",
        "wt06-pcs-constraint-order.txt", "wt06-pcs-constraint.txt", "wt06-pcs-status.txt",
        "wt07-pcs-constraint-location-prefers.txt", "wt07-pcs-constraint.txt", "wt07-pcs-status.txt",
        "wt08-pcs-resource-defaults-update.txt", "wt08-pcs-resource-defaults.txt",
        "wt09-pcs-config.txt", "wt09-pcs-constraint.txt", "wt09-pcs-constraint-config-full.txt", "wt09-pcs-status.txt",
        "wt09-crm_mon-1-r.txt", "wt09-crm_mon-1-r.node2.txt", "wt09-crm_resource-list.txt", "wt09-crm_verify-L-V.txt",
        "wt09-pcs-resource-config.txt",
    ];

    /// <summary>
    /// The golden's output as the same command prints it on a file: the clock and the last-change
    /// line differ, daemons and pacemakerd are not there; "resource delete" on a file does not stop
    /// the resource first (pcs 0.11.5 -f prints "Deleting Resource - ID" instead) and pcs cannot ask
    /// the cluster which nodes exist (it warns, as pcs 0.11.5 -f does).
    /// </summary>
    private static string Expected(string name, Golden golden) => name switch
    {
        "wt03-pcs-resource-delete-TestIPaddr.txt" => "Deleting Resource - TestIPaddr\n",
        "wt07-pcs-constraint-location-prefers.txt" => "Warning: Validation for node existence in the cluster will be skipped\n",
        _ => Clean(golden.Output),
    };

    private static string Clean(string text) => LastChange().Replace(Golden.Normalise(text), "Last change: X");

    [GeneratedRegex("Last change: .*")]
    private static partial Regex LastChange();

    [Fact]
    public async Task EveryStepPrintsTheGoldenOutputAndTheFinalConfigurationIsTheGoldenOne()
    {
        var failures = new List<string>();
        foreach (var name in Steps)
        {
            var golden = Golden.Load(name);
            var command = golden.Command;
            if (command is "pcs status" or "pcs config") command += " --corosync_conf " + _cib.CorosyncConf;
            var (exit, output, error) = command.StartsWith("pcs ", StringComparison.Ordinal)
                ? await _cib.Pcs(command["pcs ".Length..])
                : await _cib.Tool(command);
            var actual = Clean(output + error);
            var expected = Expected(name, golden);
            if (exit != golden.ExitStatus || actual != expected)
                failures.Add($"{name}: `{command}` exit {exit} (golden {golden.ExitStatus})\n--- expected\n{expected}--- actual\n{actual}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var final = System.Xml.Linq.XElement.Parse(_cib.Text);
        Assert.Equal(CibFixture.Configuration(Golden.FinalCib()), CibFixture.Configuration(final));
    }
}
