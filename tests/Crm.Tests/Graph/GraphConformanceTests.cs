using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>
/// Every case listed in tests/conformance/graph-passing.txt must still write the transition graph
/// Pacemaker 2.1.5's crm_simulate writes (&lt;name&gt;.exp), compared by meaning.
/// </summary>
public class GraphConformanceTests
{
    private static string Corpus() => CorpusGraph.Corpus;

    /// <summary>Sweeps every tier and rewrites graph-passing.txt; runs only with GRAPH_SWEEP=1
    /// (`GRAPH_SWEEP=1 dotnet test tests/Crm.Tests --filter Sweep_writes_the_passing_list`).</summary>
    [Fact]
    public void Sweep_writes_the_passing_list()
    {
        if (Environment.GetEnvironmentVariable("GRAPH_SWEEP") != "1") return;
        var corpus = Corpus();
        var passing = new List<string>();
        var report = new List<string>();
        foreach (var tier in (string[])["tier1", "tier2", "tier3"])
        {
            int pass = 0, total = 0;
            foreach (var xml in Directory.GetFiles(Path.Combine(corpus, tier), "*.xml").Order(StringComparer.Ordinal))
            {
                var name = $"{tier}/{Path.GetFileNameWithoutExtension(xml)}";
                total++;
                List<string> diffs;
                try { diffs = Diff(corpus, name); }
                catch (Exception e) { diffs = [$"{e.GetType().Name}: {e.Message}"]; }
                if (diffs.Count == 0) { pass++; passing.Add(name); }
                else report.Add($"== {name}\n  " + string.Join("\n  ", diffs));
            }
            report.Insert(0, $"{tier}: {pass}/{total}");
        }
        File.WriteAllLines(Path.Combine(RepoPaths.Root, "tests", "conformance", "graph-passing.txt"), passing);
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "graph-sweep.txt"), report);
    }

    private static List<string> Diff(string corpus, string name)
    {
        var expected = TransitionGraphXml.Parse(File.ReadAllText(Path.Combine(corpus, name + ".exp")), name + ".exp");
        var result = CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(Path.Combine(corpus, name + ".xml")),
            new SimulationRequest { Simulate = true, Now = Conformance.CaseClock.For(name) }).Result;
        // Through the writer and the reader, as crm_simulate -G and the controller see it.
        var actual = TransitionGraphXml.Parse(TransitionGraphXml.Write(result.Graph), name);
        return GraphMeaning.Differences(expected, actual);
    }

    [Fact]
    public void Listed_passing_graphs_do_not_regress()
    {
        var listFile = Path.Combine(RepoPaths.Root, "tests", "conformance", "graph-passing.txt");
        var corpus = Corpus();
        Assert.True(Directory.Exists(corpus), $"conformance corpus not found at {corpus}");
        var cases = File.ReadAllLines(listFile).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var name in cases)
        {
            try
            {
                var diffs = Diff(corpus, name);
                if (diffs.Count > 0) failures.Add($"{name}:\n  " + string.Join("\n  ", diffs.Take(10)));
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} listed graphs regressed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void The_comparison_notices_a_missing_input()
    {
        // Pins that the comparison can fail: drop one input from a real graph with inputs.
        var corpus = Corpus();
        var text = File.ReadAllText(Path.Combine(corpus, "tier1", "not-installed-tools.exp"));
        var expected = TransitionGraphXml.Parse(text);
        var withInput = expected.Synapses.First(s => s.Inputs.Count > 0);
        var damaged = new TransitionGraph(expected.Settings,
            [.. expected.Synapses.Select(s => s == withInput ? s with { Inputs = [] } : s)]);
        Assert.Contains(GraphMeaning.Differences(expected, damaged), d => d.Contains("missing input", StringComparison.Ordinal));
        Assert.Empty(GraphMeaning.Differences(expected, expected));
    }
}
