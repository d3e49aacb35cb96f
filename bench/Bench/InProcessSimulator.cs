using System.Diagnostics;
using Cluster.Crm.Digests;
using Cluster.Crm.Simulation;
using Cluster.TestSupport.Cib;

namespace Cluster.Bench;

/// <summary>
/// Our crm_simulate <c>-x F -S</c> run inside this process (no process start-up per seed), with
/// or without the operation digests of <see cref="OpDigest"/> wired into the scheduler's
/// digest hook, to measure what the digests change.
/// </summary>
internal static class InProcessSimulator
{
    public static ToolRun Run(string file, bool withDigests)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var cib = Cluster.Crm.Cib.CibDocument.Load(file);
            // The scheduler now checks op digests itself (crm 7a5dfc3); the flag no longer switches them.
            _ = withDigests;
            var request = new SimulationRequest { Simulate = true };
            var output = CrmSimulator.Run(cib, request);
            return new ToolRun(output.ExitCode, output.Text, "", watch.Elapsed, 0);
        }
#pragma warning disable CA1031 // any failure of ours is a differential result to report, not a crash of the harness
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new ToolRun(70, "", e.GetType().Name + ": " + e.Message + "\n", watch.Elapsed, 0);
        }
    }
}
