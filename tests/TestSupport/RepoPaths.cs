namespace Cluster.TestSupport;

/// <summary>Where the repository, its build output and the shared reference data are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The shared references (docs, conformance, golden, fixtures) beside the clone.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The published multi-call executable and its tool links (built by build.sh).</summary>
    public static string ArtifactsBin => Path.Combine(Root, "artifacts", "bin");

    public static string Tool(string name) => Path.Combine(ArtifactsBin, name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"Cluster.sln not found above {AppContext.BaseDirectory}");
    }
}
