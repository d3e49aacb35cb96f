namespace Cluster.TestSupport;

/// <summary>Where the repository, its build output and the shared reference data are.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The shared references (docs, conformance, golden, fixtures) beside the clone, or beside the
    /// main clone when this one is a worktree nested deeper (the first "shared" found going up).
    /// </summary>
    public static string Shared { get; } = FindShared();

    /// <summary>The published multi-call executable and its tool links (built by build.sh).</summary>
    public static string ArtifactsBin => Path.Combine(Root, "artifacts", "bin");

    public static string Tool(string name) => Path.Combine(ArtifactsBin, name);

    private static string FindShared()
    {
        for (var dir = Directory.GetParent(Root); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(shared)) return shared;
        }
        return Path.GetFullPath(Path.Combine(Root, "..", "shared"));
    }

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
