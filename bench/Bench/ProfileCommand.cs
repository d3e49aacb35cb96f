using System.Diagnostics;
using System.Globalization;
using Cluster.Crm.Simulation;

namespace Cluster.Bench;

/// <summary>
/// <c>prof --file FILE</c>: one crm_simulate <c>-R -Q</c> run inside this process, timed by phase
/// (load = read + parse into the model, simulate = schedule + summary), with GC counts and
/// the peak working set, so a slow phase shows without an external profiler.
/// </summary>
internal static class ProfileCommand
{
    public static int Run(Options o)
    {
        var file = o.Get("file");
        if (file is null || !File.Exists(file)) throw new OptionException("prof: expected an existing CIB file");
        var repeat = o.GetInt("repeat", 1);
        for (var i = 0; i < repeat; i++)
        {
            var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var total = Stopwatch.StartNew();
            var watch = Stopwatch.StartNew();
            var cpu0 = Cpu();
            var pause0 = GC.GetTotalPauseDuration();
            var cib = Cluster.Crm.Cib.CibDocument.Load(file);
            var load = watch.Elapsed;
            var cpu1 = Cpu();
            var pause1 = GC.GetTotalPauseDuration();
            watch.Restart();
            var output = CrmSimulator.Run(cib, new SimulationRequest { Quiet = true });
            var simulate = watch.Elapsed;
            var cpu2 = Cpu();
            var pause2 = GC.GetTotalPauseDuration();
            var gc = (GC.CollectionCount(0) - gc0.Item1, GC.CollectionCount(1) - gc0.Item2, GC.CollectionCount(2) - gc0.Item3);
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(file)}: load {load.TotalMilliseconds:F0} ms ({(cpu1 - cpu0).TotalMilliseconds:F0} ms CPU, GC pauses {(pause1 - pause0).TotalMilliseconds:F0} ms), " +
                $"simulate {simulate.TotalMilliseconds:F0} ms ({(cpu2 - cpu1).TotalMilliseconds:F0} ms CPU, GC pauses {(pause2 - pause1).TotalMilliseconds:F0} ms), total {total.Elapsed.TotalMilliseconds:F0} ms; " +
                $"GC gen0/1/2 {gc.Item1}/{gc.Item2}/{gc.Item3}; heap {GC.GetTotalMemory(false) / 1048576.0:F0} MiB; peak working set {self.PeakWorkingSet64 / 1048576.0:F0} MiB; " +
                $"summary {output.Result.Summary.Count} lines"));
            GC.KeepAlive(cib);
        }
        return 0;
    }

    /// <summary>CPU time of this process (all threads): the comparable figure on a loaded machine.</summary>
    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
