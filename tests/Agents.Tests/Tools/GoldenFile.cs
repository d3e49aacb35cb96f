using Cluster.TestSupport;

namespace Cluster.Agents.Tests.Tools;

/// <summary>A golden output of the real tools: line 1 the command, line 2 where/when, then output, then exit status.</summary>
public sealed record GoldenFile(string Command, string Output, int ExitStatus)
{
    /// <summary>From the shared goldens (../shared/golden).</summary>
    public static GoldenFile Load(string name) => LoadPath(Path.Combine(RepoPaths.Shared, "golden", name));

    /// <summary>From this project's own captures of the real tools (tests/Agents.Tests/Golden).</summary>
    public static GoldenFile LoadLocal(string name) => LoadPath(Path.Combine(RepoPaths.Root, "tests", "Agents.Tests", "Golden", name));

    private static GoldenFile LoadPath(string path)
    {
        var lines = File.ReadAllLines(path);
        var status = int.Parse(lines[^1]["# exit status: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var output = string.Concat(lines[2..^1].Select(l => l + "\n"));
        return new GoldenFile(lines[0][2..], output, status);
    }
}
