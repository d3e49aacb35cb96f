using System.Diagnostics;

namespace Cluster.Tools.Fuzz;

/// <summary>What a run found wrong with one input, and how to get that input again.</summary>
public sealed record FuzzFinding(string Target, long Seed, long Index, string What, string? SavedAs)
{
    public string ReplayCommand => $"cluster-fuzz --target {Target} --seed {Seed} --from {Index} --count 1";
}

/// <summary>Figures for one target: inputs by outcome, the slowest input and the largest allocation.</summary>
public sealed record FuzzTargetStats(string Target, long Inputs, long Accepted, long Rejected, long Findings,
    TimeSpan Elapsed, double SlowestMs, long SlowestIndex, long MostAllocatedBytes, long MostAllocatedIndex);

/// <summary>
/// Runs targets in-process over a seeded, replayable sequence: input <c>i</c> of target <c>t</c>
/// under seed <c>s</c> is made from a random stream seeded by (s, t, i) alone, so
/// <c>--from i --count 1</c> gives it again. An exception escaping the target, an input slower
/// than <see cref="SlowLimit"/> or allocating more than <see cref="AllocationLimitBytes"/> is a
/// finding: it is printed with its replay command and saved when a directory is given.
/// </summary>
public sealed class FuzzRunner(TextWriter output, string? saveDirectory)
{
    public TimeSpan SlowLimit { get; init; } = TimeSpan.FromSeconds(1);

    public long AllocationLimitBytes { get; init; } = 256L << 20;

    /// <summary>The findings printed so far.</summary>
    public List<FuzzFinding> Findings { get; } = [];

    public FuzzTargetStats Run(FuzzTarget target, long seed, long from, long count)
    {
        long accepted = 0, rejected = 0, findings = 0, slowestIndex = -1, mostAllocatedIndex = -1, mostAllocated = 0;
        double slowestMs = 0;
        var total = Stopwatch.StartNew();
        for (var index = from; index < from + count; index++)
        {
            var input = target.NextInput(new Random(InputSeed(seed, target.Name, index)));
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            string? problem = null;
            try
            {
                if (target.Run(input) == FuzzVerdict.Accepted) accepted++;
                else rejected++;
            }
            catch (Exception e)
            {
                problem = $"{e.GetType().FullName}: {e.Message}{Environment.NewLine}{e.StackTrace}";
            }
            var elapsed = Stopwatch.GetElapsedTime(started);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (elapsed.TotalMilliseconds > slowestMs) (slowestMs, slowestIndex) = (elapsed.TotalMilliseconds, index);
            if (allocated > mostAllocated) (mostAllocated, mostAllocatedIndex) = (allocated, index);
            if (problem is null && elapsed > SlowLimit && CpuTime(target, input) is var cpu && cpu > SlowLimit)
                problem = $"took {elapsed.TotalMilliseconds:F0} ms, {cpu.TotalMilliseconds:F0} ms of CPU when run again (limit {SlowLimit.TotalMilliseconds:F0} ms)";
            if (problem is null && allocated > AllocationLimitBytes)
                problem = $"allocated {allocated >> 20} MiB (limit {AllocationLimitBytes >> 20} MiB)";
            if (problem is not null)
            {
                findings++;
                Report(new FuzzFinding(target.Name, seed, index, problem, Save(target.Name, seed, index, input)));
            }
        }
        return new FuzzTargetStats(target.Name, count, accepted, rejected, findings, total.Elapsed, slowestMs, slowestIndex,
            mostAllocated, mostAllocatedIndex);
    }

    /// <summary>
    /// The process CPU time of running <paramref name="input"/> again: on a loaded machine wall time
    /// alone exceeds the bound for inputs that are not slow (pre-emption, a collection), so an
    /// input is only slow when its second run also costs that much CPU.
    /// </summary>
    private static TimeSpan CpuTime(FuzzTarget target, byte[] input)
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        try { target.Run(input); }
        catch (Exception) { /* reported from the first run */ }
        self.Refresh();
        return self.TotalProcessorTime - before;
    }

    /// <summary>Runs one saved input (a file written for an earlier finding).</summary>
    public bool Replay(FuzzTarget target, byte[] input)
    {
        try
        {
            output.WriteLine($"{target.Name}: {target.Run(input)}");
            return true;
        }
        catch (Exception e)
        {
            output.WriteLine($"{target.Name}: FINDING {e.GetType().FullName}: {e.Message}{Environment.NewLine}{e.StackTrace}");
            return false;
        }
    }

    private void Report(FuzzFinding finding)
    {
        Findings.Add(finding);
        output.WriteLine($"FINDING {finding.Target} seed {finding.Seed} input {finding.Index}: {finding.What}");
        output.WriteLine($"  replay: {finding.ReplayCommand}");
        if (finding.SavedAs is not null)
            output.WriteLine($"  saved:  {finding.SavedAs} (cluster-fuzz --target {finding.Target} --replay {finding.SavedAs})");
    }

    private string? Save(string target, long seed, long index, byte[] input)
    {
        if (saveDirectory is null) return null;
        Directory.CreateDirectory(saveDirectory);
        var path = Path.Combine(saveDirectory, $"{target}-{seed}-{index}.bin");
        File.WriteAllBytes(path, input);
        return path;
    }

    /// <summary>The seed of input <paramref name="index"/>: (seed, target, index) mixed by splitmix64.</summary>
    public static int InputSeed(long seed, string target, long index)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in target) h = (h ^ c) * 1099511628211UL;
        var x = (ulong)seed * 0x9E3779B97F4A7C15UL ^ h ^ (ulong)index * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x & 0x7FFF_FFFF);
    }
}
