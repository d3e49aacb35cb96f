using Cluster.Tools.Fuzz;

namespace Cluster.Tools.Dispatch;

/// <summary>Development tools that test the others (the fuzzing harness).</summary>
public static class FuzzTools
{
    public static IEnumerable<ToolEntry> Entries => [FuzzTool.Entry];
}
