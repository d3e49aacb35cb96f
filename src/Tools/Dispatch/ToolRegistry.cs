namespace Cluster.Tools.Dispatch;

/// <summary>
/// Every tool name the executable implements. Each area contributes its own list (one file per
/// area) so areas can grow without touching each other.
/// </summary>
public static class ToolRegistry
{
    public const string MainName = "hacluster";

    public static IReadOnlyDictionary<string, ToolEntry> All { get; } = Build();

    private static Dictionary<string, ToolEntry> Build()
    {
        var all = new Dictionary<string, ToolEntry>(StringComparer.Ordinal);
        foreach (var entry in MessagingTools.Entries
                     .Concat(CrmTools.Entries)
                     .Concat(AgentTools.Entries)
                     .Concat(FuzzTools.Entries))
        {
            if (!all.TryAdd(entry.Name, entry))
                throw new InvalidOperationException($"tool name '{entry.Name}' registered twice");
        }
        return all;
    }
}
