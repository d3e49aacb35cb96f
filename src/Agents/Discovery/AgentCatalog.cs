namespace Cluster.Agents.Discovery;

/// <summary>Lists and locates installed agents along the search paths.</summary>
public sealed class AgentCatalog(AgentSearchPaths paths)
{
    public AgentSearchPaths Paths => paths;

    /// <summary>The standards pcs shows (stonith has its own command).</summary>
    public static IReadOnlyList<string> ResourceStandards { get; } = ["lsb", "ocf", "service"];

    public IReadOnlyList<string> OcfProviders() =>
        paths.OcfResourceDirs.Where(Directory.Exists)
            .SelectMany(Subdirectories)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();

    public IReadOnlyList<AgentId> OcfAgents(string? provider = null)
    {
        var found = new List<AgentId>();
        foreach (var root in paths.OcfResourceDirs.Where(Directory.Exists))
        {
            foreach (var providerDir in Subdirectories(root))
            {
                var name = Path.GetFileName(providerDir);
                if (provider is not null && name != provider)
                    continue;
                found.AddRange(Executables(providerDir).Select(type => AgentId.Ocf(name, type)));
            }
        }
        return Sorted(found);
    }

    public IReadOnlyList<AgentId> LsbAgents() =>
        Sorted(paths.LsbDirs.SelectMany(Executables).Select(t => new AgentId(AgentStandard.Lsb, null, t)));

    public IReadOnlyList<AgentId> FenceAgents() =>
        Sorted(paths.FenceDirs.SelectMany(Executables)
            .Where(t => t.StartsWith("fence_", StringComparison.Ordinal))
            .Select(t => new AgentId(AgentStandard.Stonith, null, t)));

    /// <summary>The executable for an agent, or null when it is not installed.</summary>
    public string? Locate(AgentId id)
    {
        if (!AgentId.IsSafeName(id.Type) || (id.Provider is not null && !AgentId.IsSafeName(id.Provider)))
            return null;
        IEnumerable<string> candidates = id.Standard switch
        {
            AgentStandard.Ocf => paths.OcfResourceDirs.Select(d => Path.Combine(d, id.Provider ?? "", id.Type)),
            AgentStandard.Lsb or AgentStandard.Service => paths.LsbDirs.Select(d => Path.Combine(d, id.Type)),
            AgentStandard.Stonith => paths.FenceDirs.Select(d => Path.Combine(d, id.Type)),
            _ => [],
        };
        return candidates.FirstOrDefault(Cluster.Common.Processes.ProgramLocator.IsExecutableFile);
    }

    /// <summary>The OCF_ROOT for an OCF agent found at <paramref name="agentPath"/>: the parent of its resource.d.</summary>
    public static string OcfRootOf(string agentPath) =>
        Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(agentPath)!)!)!;

    private static IEnumerable<string> Executables(string dir) =>
        Entries(dir, Directory.EnumerateFiles)
            .Where(Cluster.Common.Processes.ProgramLocator.IsExecutableFile)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.StartsWith('.'));

    /// <summary>Provider directories: a link that loops or points nowhere is no directory and is skipped.</summary>
    private static IEnumerable<string> Subdirectories(string dir) => Entries(dir, Directory.EnumerateDirectories).Where(Directory.Exists);

    /// <summary>A directory's entries read at once, so an unreadable directory (or a link loop) lists nothing instead of throwing.</summary>
    private static List<string> Entries(string dir, Func<string, IEnumerable<string>> list)
    {
        try
        {
            return Directory.Exists(dir) ? [.. list(dir)] : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Case-insensitive order as pcs prints; the first location of a name wins.</summary>
    private static List<AgentId> Sorted(IEnumerable<AgentId> ids) =>
        ids.DistinctBy(i => i.ToString())
            .OrderBy(i => i.Provider ?? "", StringComparer.OrdinalIgnoreCase)
            .ThenBy(i => i.Type, StringComparer.OrdinalIgnoreCase)
            .ThenBy(i => i.Type, StringComparer.Ordinal)
            .ToList();
}
