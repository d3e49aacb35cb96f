using System.Globalization;
using System.Text;
using Cluster.TestSupport;
using Cluster.TestSupport.Cib;

namespace Cluster.Bench;

/// <summary>
/// <c>sched</c>: generated clusters of the issue's sizes, "no history yet" and "all running,
/// one node just died", through the real crm_simulate (<c>-R -Q -x F</c>: scheduling only) and
/// ours on the same file in the same run: wall time, peak RSS and the ratio.
/// </summary>
internal static class SchedulerBenchmark
{
    public static async Task<int> RunAsync(Options o)
    {
        var sizes = (o.Get("sizes") ?? "16x200,32x1000,64x5000").Split(',').Select(Options.ParseSize).ToList();
        // The limit is CPU seconds (RLIMIT_CPU): wall time on a shared machine depends on the load.
        var cpuLimit = o.GetInt("timeout", 300);
        var timeout = TimeSpan.FromSeconds(o.GetInt("wall-timeout", cpuLimit * 6));
        var real = o.Get("real") ?? DifferentialCase.RealCrmSimulate;
        var ours = o.Get("ours") ?? RepoPaths.Tool("crm_simulate");
        var histories = (o.Get("histories") ?? "none,died").Split(',');
        var work = Path.Combine(Path.GetTempPath(), "crm-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var table = new StringBuilder();
        table.AppendLine("| cluster | history | CIB size | real wall / CPU | real peak RSS | ours wall / CPU | ours peak RSS | speed-up (wall / CPU) | memory ratio |");
        table.AppendLine("|---|---|---|---|---|---|---|---|---|");
        Console.WriteLine($"real: {real} -R -Q -x F   ours: {ours} -R -Q -x F   limit {cpuLimit} s CPU ({timeout.TotalSeconds} s wall)");
        try
        {
            foreach (var (nodes, resources) in sizes)
            {
                foreach (var h in histories)
                {
                    var history = h == "died" ? CibGenerator.LargeHistory.AllRunningOneNodeDied : CibGenerator.LargeHistory.None;
                    var file = Path.Combine(work, $"{nodes}x{resources}-{h}.xml");
                    var xml = CibGenerator.Large(nodes, resources, history);
                    await File.WriteAllTextAsync(file, xml);
                    var realRun = real != "none" && File.Exists(real) ? await ToolRun.RunMeasuredAsync(real, ["-R", "-Q", "-x", file], timeout, cpuLimit) : null;
                    var oursRun = File.Exists(ours) ? await ToolRun.RunMeasuredAsync(ours, ["-R", "-Q", "-x", file], timeout, cpuLimit) : null;
                    var line = string.Create(CultureInfo.InvariantCulture,
                        $"| {nodes} x {resources} | {(h == "died" ? "all running, one node died" : "no history")} | {xml.Length / 1048576.0:F1} MiB | {Time(realRun)} | {Mem(realRun)} | {Time(oursRun)} | {Mem(oursRun)} | {Ratio(realRun, oursRun, r => r.Elapsed.TotalSeconds)} / {Ratio(realRun, oursRun, r => r.CpuTime.TotalSeconds)} | {Ratio(realRun, oursRun, r => r.PeakRssKiB)} |");
                    Console.WriteLine(line);
                    if (realRun is { TimedOut: false, CpuLimited: false, ExitCode: not 0 }) Console.WriteLine("  real exit " + realRun.ExitCode + ": " + First(realRun.Stderr));
                    if (oursRun is { TimedOut: false, CpuLimited: false, ExitCode: not 0 }) Console.WriteLine("  ours exit " + oursRun.ExitCode + ": " + First(oursRun.Stderr));
                    // -Q prints nothing on success; compare summaries only if a tool printed one.
                    if (realRun is { TimedOut: false } && oursRun is { TimedOut: false } && (realRun.Stdout.Length > 0) != (oursRun.Stdout.Length > 0))
                    {
                        Console.WriteLine($"  with -Q only {(realRun.Stdout.Length > 0 ? "the real tool" : "ours")} printed output: summaries not compared");
                    }
                    else if (realRun is { TimedOut: false } && oursRun is { TimedOut: false } && realRun.Stdout.Length > 0)
                    {
                        var same = SimulateOutput.Parse(realRun.Stdout).TransitionSummary == SimulateOutput.Parse(oursRun.Stdout).TransitionSummary;
                        Console.WriteLine("  transition summaries " + (same ? "identical" : "DIFFER"));
                    }
                    table.AppendLine(line);
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Console.WriteLine();
        Console.Write(table);
        return 0;
    }

    private static string First(string text) => text.Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";

    private static string Time(ToolRun? r) => r switch
    {
        null => "n/a",
        { TimedOut: true } => string.Create(CultureInfo.InvariantCulture, $"> {r.Elapsed.TotalSeconds:F0} s wall (timeout)"),
        { CpuLimited: true } => string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalSeconds:F0} s / > {r.CpuTime.TotalSeconds:F0} s (CPU limit, did not finish)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalSeconds:F2} s / {r.CpuTime.TotalSeconds:F2} s"),
    };

    private static string Mem(ToolRun? r) => r is null
        ? "n/a"
        : r.PeakRssKiB >= 1048576
            ? string.Create(CultureInfo.InvariantCulture, $"{r.PeakRssKiB / 1048576.0:F2} GiB{(r.TimedOut ? "+" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"{r.PeakRssKiB / 1024.0:F0} MiB{(r.TimedOut ? "+" : "")}");

    private static string Ratio(ToolRun? real, ToolRun? ours, Func<ToolRun, double> metric)
    {
        if (real is null || ours is null || ours.TimedOut || ours.CpuLimited || metric(ours) <= 0) return "n/a";
        var r = metric(real) / metric(ours);
        return string.Create(CultureInfo.InvariantCulture, $"{(real.TimedOut || real.CpuLimited ? "> " : "")}{r:F1}x");
    }
}
