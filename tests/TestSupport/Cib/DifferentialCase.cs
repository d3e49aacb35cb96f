using System.Text;

namespace Cluster.TestSupport.Cib;

/// <summary>
/// One differential comparison: the same generated CIB through the real crm_simulate and ours
/// (<c>-x FILE -S</c>); they agree when both exit alike and print identical Transition
/// Summary and Revised Cluster Status sections.
/// </summary>
public sealed record DifferentialCase(int Seed, ToolRun Real, ToolRun Ours)
{
    /// <summary>The real tool shipped by Debian's pacemaker-cli-utils.</summary>
    public const string RealCrmSimulate = "/usr/sbin/crm_simulate";

    /// <summary>Stands in for our tool when only the real one is run.</summary>
    public static ToolRun NotRun { get; } = new(-1, "", "(not run)\n", TimeSpan.Zero, 0);

    public bool Agrees => Real.ExitCode == Ours.ExitCode && Mismatch is null;

    /// <summary>Which section differs first (null when the sections agree).</summary>
    public string? Mismatch
    {
        get
        {
            var real = SimulateOutput.Parse(Real.Stdout);
            var ours = SimulateOutput.Parse(Ours.Stdout);
            if (real.TransitionSummary != ours.TransitionSummary) return "Transition Summary";
            if (real.RevisedStatus != ours.RevisedStatus) return "Revised Cluster Status";
            return Real.ExitCode == Ours.ExitCode ? null : "exit code";
        }
    }

    /// <summary>Seed, both exit codes and both outputs, for a failure message.</summary>
    public string Describe()
    {
        var s = new StringBuilder();
        s.Append("seed ").Append(Seed).Append(": ").Append(Mismatch ?? "agree")
            .Append(" (regenerate: dotnet run --project bench/Bench -- gen --seed ").Append(Seed).Append(")\n");
        if (Mismatch is "Transition Summary" or "Revised Cluster Status")
        {
            var header = Mismatch + ":";
            var real = SimulateOutput.Parse(Real.Stdout).Section(header).Split('\n');
            var ours = SimulateOutput.Parse(Ours.Stdout).Section(header).Split('\n');
            s.Append("difference in ").Append(header).Append(" (- real only, + ours only)\n");
            foreach (var line in real.Except(ours, StringComparer.Ordinal)) s.Append("- ").Append(line).Append('\n');
            foreach (var line in ours.Except(real, StringComparer.Ordinal)) s.Append("+ ").Append(line).Append('\n');
            if (real.Order().SequenceEqual(ours.Order())) s.Append("  (same lines, different order)\n");
        }
        s.Append("--- real crm_simulate (exit ").Append(Real.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "timeout").Append(")\n")
            .Append(Real.Stdout).Append(Real.Stderr);
        s.Append("--- ours (exit ").Append(Ours.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "timeout").Append(")\n")
            .Append(Ours.Stdout).Append(Ours.Stderr);
        return s.ToString();
    }

    /// <summary>
    /// Generates each seed's CIB into <paramref name="workDir"/> and runs both tools on it,
    /// <paramref name="parallelism"/> seeds at a time.
    /// </summary>
    public static async Task<IReadOnlyList<DifferentialCase>> RunAsync(
        IEnumerable<int> seeds, string? oursPath, string workDir, int parallelism, TimeSpan timeoutPerRun,
        string realPath = RealCrmSimulate, Func<int, string>? generate = null, CancellationToken ct = default)
    {
        generate ??= CibGenerator.Random;
        Directory.CreateDirectory(workDir);
        // DIFF_REAL_CACHE=DIR keeps the real tool's results by CIB content, for quick re-runs
        // while fixing differences (the real tool is what takes the time).
        var cache = Environment.GetEnvironmentVariable("DIFF_REAL_CACHE");
        if (cache is { Length: > 0 }) Directory.CreateDirectory(cache);
        var results = new System.Collections.Concurrent.ConcurrentBag<DifferentialCase>();
        await Parallel.ForEachAsync(seeds, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (seed, token) =>
            {
                var file = Path.Combine(workDir, $"seed-{seed}.xml");
                var text = generate(seed);
                await File.WriteAllTextAsync(file, text, token).ConfigureAwait(false);
                string? cached = cache is { Length: > 0 }
                    ? Path.Combine(cache, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32])
                    : null;
                ToolRun real;
                if (cached is not null && File.Exists(cached))
                {
                    var lines = await File.ReadAllLinesAsync(cached, token).ConfigureAwait(false);
                    var stderr = File.Exists(cached + ".err") ? await File.ReadAllTextAsync(cached + ".err", token).ConfigureAwait(false) : "";
                    real = new ToolRun(int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture),
                        string.Join('\n', lines.Skip(1)) + "\n", stderr, TimeSpan.Zero, 0);
                }
                else
                {
                    real = await ToolRun.RunAsync(realPath, ["-x", file, "-S"], timeoutPerRun, token).ConfigureAwait(false);
                    if (cached is not null && real.ExitCode is { } code)
                    {
                        await File.WriteAllTextAsync(cached + ".err", real.Stderr, token).ConfigureAwait(false);
                        await File.WriteAllTextAsync(cached, code.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + real.Stdout, token).ConfigureAwait(false);
                    }
                }
                var ours = oursPath is null
                    ? NotRun
                    : await ToolRun.RunAsync(oursPath, ["-x", file, "-S"], timeoutPerRun, token).ConfigureAwait(false);
                results.Add(new DifferentialCase(seed, real, ours));
            }).ConfigureAwait(false);
        return [.. results.OrderBy(r => r.Seed)];
    }
}
