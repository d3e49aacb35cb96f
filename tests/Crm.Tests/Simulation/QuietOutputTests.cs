using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Simulation;

/// <summary>
/// crm_simulate -Q prints only the sections asked for explicitly (scores); status, summary and
/// transition are hidden. Expected texts observed with Pacemaker 2.1.5 on the corpus case order7.
/// </summary>
public class QuietOutputTests
{
    private const string Scores = """
        pcmk__primitive_assign: rsc1 allocation score on node1: 0
        pcmk__primitive_assign: rsc2 allocation score on node1: 0
        pcmk__primitive_assign: rsc3 allocation score on node1: 0
        pcmk__primitive_assign: rscA allocation score on node1: -INFINITY
        pcmk__primitive_assign: rscB allocation score on node1: 0
        pcmk__primitive_assign: rscC allocation score on node1: 0

        """;

    private static string FancyScores => "Allocation Scores:\n" + string.Concat(Scores.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => "  * " + l + "\n"));

    private static string Corpus
    {
        get
        {
            var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
            return Directory.Exists(corpus) ? corpus : "/work/shared/conformance/scheduler";
        }
    }

    private static string Run(SimulationRequest req)
    {
        var cib = Cluster.Crm.Cib.CibDocument.Load(Path.Combine(Corpus, "tier2", "order7.xml"));
        return CrmSimulator.Run(cib, req with { Quiet = true }).Text;
    }

    [Fact]
    public void Quiet_run_prints_nothing() => Assert.Equal("", Run(new SimulationRequest()));

    [Fact]
    public void Quiet_simulate_prints_nothing() => Assert.Equal("", Run(new SimulationRequest { Simulate = true }));

    [Fact]
    public void Quiet_scores_print_bare_score_lines_without_trailing_blank() =>
        Assert.Equal(Scores, Run(new SimulationRequest { ShowScores = true, Fancy = false }));

    [Fact]
    public void Quiet_simulate_with_scores_keeps_the_blank_line_after_the_scores() =>
        Assert.Equal(Scores + "\n", Run(new SimulationRequest { ShowScores = true, Fancy = false, Simulate = true }));

    [Fact]
    public void Quiet_fancy_scores_keep_their_header_and_bullets() =>
        Assert.Equal(FancyScores, Run(new SimulationRequest { ShowScores = true, Fancy = true }));

    [Fact]
    public void Quiet_with_modifications_prints_only_the_blank_line_that_ends_them() =>
        Assert.Equal("\n", Run(new SimulationRequest { Simulate = true, OpInjections = ["rsc1_monitor_0@node1=0"] }));

    [Fact]
    public void Quiet_with_modifications_and_scores_prints_blank_then_scores() =>
        Assert.Equal("\n" + Scores, Run(new SimulationRequest { ShowScores = true, Fancy = false, NodesUp = ["node1"] }));

    [Fact]
    public void Quiet_simulate_with_scores_and_modifications_separates_all_three_sections() =>
        Assert.Equal("\n" + Scores + "\n", Run(new SimulationRequest { ShowScores = true, Fancy = false, Simulate = true, NodesUp = ["node1"] }));

    [Fact]
    public void Quiet_run_with_modifications_but_nothing_shown_prints_nothing() =>
        Assert.Equal("", Run(new SimulationRequest { NodesUp = ["node1"] }));

    [Fact]
    public void Quorum_setting_alone_is_not_a_modification()
    {
        // crm_simulate 2.1.5 ignores -q unless another modification is requested.
        var text = CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(Path.Combine(Corpus, "tier1", "failed-probe-primitive.xml")),
            new SimulationRequest { Quorum = "0" }).Text;
        Assert.DoesNotContain("Performing Requested Modifications", text, StringComparison.Ordinal);
        Assert.DoesNotContain("no quorum", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Quorum_setting_is_listed_first_among_modifications()
    {
        var text = CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(Path.Combine(Corpus, "tier1", "failed-probe-primitive.xml")),
            new SimulationRequest { Quorum = "0", NodesUp = ["hb1"] }).Text;
        Assert.Contains("Performing Requested Modifications:\n  * Setting quorum: 0\n  * Bringing node hb1 online\n", text, StringComparison.Ordinal);
        Assert.Contains("due to no quorum", text, StringComparison.Ordinal);
    }
}
