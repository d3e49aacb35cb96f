using System.Text;
using System.Text.RegularExpressions;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Conformance;

/// <summary>
/// Every case listed in tests/conformance/passing.txt must still produce the Transition Summary
/// and the Revised Cluster Status of Pacemaker 2.1.5's crm_simulate (whitespace collapsed).
/// </summary>
public partial class ConformanceTests
{
    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>The comparable part of crm_simulate -S output (as tests/conformance/run extracts it).</summary>
    public static string Extract(string text)
    {
        var sb = new StringBuilder();
        string section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("Transition Summary:", StringComparison.Ordinal)) { section = "T"; sb.Append("== summary\n"); continue; }
            if (line.StartsWith("Executing Cluster Transition:", StringComparison.Ordinal)) { section = ""; continue; }
            if (line.StartsWith("Revised Cluster Status:", StringComparison.Ordinal)) { section = "R"; sb.Append("== revised\n"); continue; }
            if (line.StartsWith("Using the original execution date", StringComparison.Ordinal)) continue;
            if (section.Length == 0 || line.Trim().Length == 0) continue;
            sb.Append(Spaces().Replace(line.Trim(), " ")).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Sweeps every tier in process and rewrites passing.txt (the list may only grow:
    /// check `git diff`); runs only with SUMMARY_SWEEP=1. The failing names and their
    /// differences go to $TMPDIR/summary-sweep.txt.</summary>
    [Fact]
    public void Sweep_writes_the_passing_list()
    {
        if (Environment.GetEnvironmentVariable("SUMMARY_SWEEP") != "1") return;
        var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
        if (!Directory.Exists(corpus)) corpus = "/work/shared/conformance/scheduler";
        var passing = new List<string>();
        var report = new List<string>();
        var totals = new List<string>();
        foreach (var tier in (string[])["tier1", "tier2", "tier3"])
        {
            int pass = 0, total = 0;
            foreach (var xml in Directory.GetFiles(Path.Combine(corpus, tier), "*.xml").OrderBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal))
            {
                var name = $"{tier}/{Path.GetFileNameWithoutExtension(xml)}";
                var summary = Path.ChangeExtension(xml, ".summary");
                if (!File.Exists(summary)) continue;
                total++;
                string actual;
                try { actual = CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(xml), new SimulationRequest { Simulate = true, Now = CaseClock.For(xml) }).Text; }
                catch (Exception e) { actual = $"{e.GetType().Name}: {e.Message}"; }
                var expected = Extract(File.ReadAllText(summary));
                if (expected == Extract(actual)) { pass++; passing.Add(name); }
                else report.Add($"== {name}\n--- expected\n{expected}--- actual\n{Extract(actual)}");
            }
            totals.Add($"{tier}: {pass}/{total}");
        }
        File.WriteAllLines(Path.Combine(RepoPaths.Root, "tests", "conformance", "passing.txt"), passing);
        File.WriteAllLines(Path.Combine(Path.GetTempPath(), "summary-sweep.txt"), totals.Concat(report));
    }

    [Fact]
    public void Listed_passing_cases_do_not_regress()
    {
        var listFile = Path.Combine(RepoPaths.Root, "tests", "conformance", "passing.txt");
        var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
        Assert.True(File.Exists(listFile), $"{listFile} missing");
        if (!Directory.Exists(corpus)) corpus = "/work/shared/conformance/scheduler";
        Assert.True(Directory.Exists(corpus), $"conformance corpus not found at {corpus}");
        var failures = new List<string>();
        var cases = File.ReadAllLines(listFile).Where(l => l.Trim().Length > 0).ToList();
        Assert.NotEmpty(cases);
        foreach (var name in cases)
        {
            var xml = Path.Combine(corpus, name + ".xml");
            var expected = File.ReadAllText(Path.Combine(corpus, name + ".summary"));
            string actual;
            try
            {
                actual = CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(xml), new SimulationRequest { Simulate = true, Now = CaseClock.For(xml) }).Text;
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                continue;
            }
            if (Extract(expected) != Extract(actual))
                failures.Add($"{name}:\n--- expected\n{Extract(expected)}--- actual\n{Extract(actual)}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} listed cases regressed:\n" + string.Join("\n", failures));
    }
}
