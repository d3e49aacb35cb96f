using Cluster.TestSupport;

namespace Cluster.Agents.Tests.Tools;

/// <summary>A golden output of the real tools: line 1 the command, line 2 where/when, then output, then exit status.</summary>
public sealed record GoldenFile(string Command, string Output, int ExitStatus)
{
    public static GoldenFile Load(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", name));
        var status = int.Parse(lines[^1]["# exit status: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var output = string.Concat(lines[2..^1].Select(l => l + "\n"));
        return new GoldenFile(lines[0][2..], output, status);
    }
}
