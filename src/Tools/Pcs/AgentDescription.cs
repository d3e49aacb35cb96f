using Cluster.Agents.Metadata;

namespace Cluster.Tools.Pcs;

/// <summary>Formats agent meta-data the way <c>pcs resource|stonith describe</c> prints it.</summary>
public static class AgentDescription
{
    /// <summary>Actions pcs never lists as default operations.</summary>
    private static readonly HashSet<string> NotOperations = ["meta-data", "metadata", "validate-all", "status"];

    /// <summary>Fence agent options that are about running the agent by hand, hidden without --full.</summary>
    private static readonly HashSet<string> StonithHidden = ["action", "help", "version", "debug", "verbose", "separator"];

    public static void Write(TextWriter output, string fullName, AgentMetadata metadata, bool full, bool stonith)
    {
        var shortDesc = OneLine(metadata.ShortDescription);
        output.WriteLine(shortDesc.Length > 0 ? $"{fullName} - {shortDesc}" : fullName);
        var longDesc = OneLine(metadata.LongDescription);
        if (longDesc.Length > 0)
        {
            output.WriteLine();
            output.WriteLine(longDesc);
        }
        var shown = metadata.Parameters
            .Where(p => full || !(p.Deprecated || (stonith && StonithHidden.Contains(p.Name))))
            // The fencer passes the node as port/plug itself (pcmk_host_map/pcmk_host_argument).
            .Select(p => stonith && p.Name is "port" or "plug" ? p with { Required = false } : p)
            .ToList();
        if (stonith)
            shown.AddRange(FencerParameters.Common.Where(f => shown.All(p => p.Name != f.Name)));
        else if (full && fullName.StartsWith("ocf:", StringComparison.Ordinal))
            shown.AddRange(FencerParameters.OcfTracing.Where(f => shown.All(p => p.Name != f.Name)));
        if (shown.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(stonith ? "Stonith options:" : "Resource options:");
            foreach (var parameter in shown)
                output.WriteLine(ParameterLine(parameter, full));
        }
        var operations = Operations(metadata, stonith);
        if (operations.Count == 0)
            return;
        output.WriteLine();
        output.WriteLine("Default operations:");
        foreach (var (name, properties) in operations)
        {
            output.WriteLine($"  {name}:");
            foreach (var property in properties)
                output.WriteLine($"    {property}");
        }
    }

    public static string ParameterLine(AgentParameter parameter, bool full)
    {
        var line = "  " + parameter.Name;
        if (parameter.Required)
            line += " (required)";
        if (parameter.Unique)
            line += " (unique)";
        if (parameter.UniqueGroup is { Length: > 0 } group)
            line += $" (unique group: {group})";
        if (full && parameter.Deprecated)
            line += " (deprecated)";
        var desc = OneLine(parameter.LongDescription);
        if (desc.Length == 0)
            desc = OneLine(parameter.ShortDescription);
        return desc.Length > 0 ? $"{line}: {desc}" : line;
    }

    /// <summary>pcs joins the description's lines with spaces (blank lines become double spaces).</summary>
    public static string OneLine(string? text) =>
        text is null ? "" : text.Trim().Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ');

    private static List<(string Name, List<string> Properties)> Operations(AgentMetadata metadata, bool stonith)
    {
        if (stonith)
            return [("monitor", ["interval=60s"])];
        var result = new List<(string, List<string>)>();
        foreach (var action in metadata.Actions)
        {
            if (NotOperations.Contains(action.Name) || result.Any(r => r.Item1 == action.Name))
                continue;
            var properties = new List<string>
            {
                "interval=" + (action.Name == "monitor" && action.IntervalText is { } i ? i : "0s"),
            };
            if (action.TimeoutText is { } timeout)
                properties.Add("timeout=" + timeout);
            if (action.Role is { } role)
                properties.Add("role=" + role);
            result.Add((action.Name, properties));
        }
        return result;
    }
}
