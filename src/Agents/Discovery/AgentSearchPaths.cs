namespace Cluster.Agents.Discovery;

/// <summary>
/// Where agents are looked for. OCF: each entry is a <c>resource.d</c> directory holding one
/// directory per provider; the first one holding a provider/type wins. Our shipped agents come
/// first, then the system's, unless <c>OCF_RA_PATH</c> says otherwise (as in Pacemaker).
/// </summary>
public sealed record AgentSearchPaths(
    IReadOnlyList<string> OcfResourceDirs,
    IReadOnlyList<string> LsbDirs,
    IReadOnlyList<string> FenceDirs)
{
    public const string OcfRaPathVariable = "OCF_RA_PATH";
    public const string AgentsDirVariable = "HA_AGENTS_DIR";
    public const string SystemOcfResourceDir = "/usr/lib/ocf/resource.d";

    /// <summary>
    /// Our installed agents: <c>HA_AGENTS_DIR</c>, else <c>agents</c> beside the executable's
    /// <c>bin</c> (artifacts/agents), else the repository's <c>agents</c> when run from a build tree.
    /// </summary>
    public static string? ShippedAgentsDir(Func<string, string?> getEnv)
    {
        if (getEnv(AgentsDirVariable) is { Length: > 0 } configured)
            return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "agents");
            if (Directory.Exists(Path.Combine(candidate, "ocf", "resource.d")))
                return candidate;
        }
        return null;
    }

    public static AgentSearchPaths FromEnvironment(Func<string, string?> getEnv)
    {
        var shipped = ShippedAgentsDir(getEnv);
        IReadOnlyList<string> ocf = getEnv(OcfRaPathVariable) is { Length: > 0 } raPath
            ? raPath.Split(':', StringSplitOptions.RemoveEmptyEntries)
            : shipped is null
                ? [SystemOcfResourceDir]
                : [Path.Combine(shipped, "ocf", "resource.d"), SystemOcfResourceDir];
        IReadOnlyList<string> lsb = shipped is null ? ["/etc/init.d"] : ["/etc/init.d", Path.Combine(shipped, "lsb")];
        var fence = new List<string>();
        if (shipped is not null)
            fence.Add(Path.Combine(shipped, "fence"));
        fence.AddRange(["/usr/sbin", "/usr/local/sbin", "/sbin"]);
        return new AgentSearchPaths(ocf, lsb, fence);
    }
}
