namespace Cluster.Agents.Metadata;

/// <summary>
/// LSB init scripts have no meta-data action; like Pacemaker we describe them from their
/// "### BEGIN INIT INFO" block (Short-Description, Description) with fixed 15s actions.
/// </summary>
public static class LsbMetadata
{
    public static AgentMetadata FromScript(string name, string script)
    {
        string? shortDesc = null;
        var description = new List<string>();
        var inBlock = false;
        var inDescription = false;
        foreach (var raw in script.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("### BEGIN INIT INFO", StringComparison.Ordinal))
            {
                inBlock = true;
                continue;
            }
            if (!inBlock)
                continue;
            if (line.StartsWith("### END INIT INFO", StringComparison.Ordinal))
                break;
            if (!line.StartsWith('#'))
                continue;
            var body = line[1..];
            // A description continues on lines indented by a tab or at least two spaces.
            // Kept as written after the '#' (pcs shows the line breaks as spaces, as Pacemaker's text has them).
            if (inDescription && (body.StartsWith('\t') || body.StartsWith("  ", StringComparison.Ordinal)))
            {
                description.Add(body.TrimEnd());
                continue;
            }
            inDescription = false;
            var colon = body.IndexOf(':');
            if (colon < 0)
                continue;
            var key = body[..colon].Trim();
            var value = body[(colon + 1)..].Trim();
            if (key == "Short-Description")
                shortDesc = value;
            else if (key == "Description")
            {
                description.Add(value);
                inDescription = true;
            }
        }
        var longDesc = description.Count > 0 ? string.Join('\n', description) : shortDesc;
        AgentAction Action(string action, int timeout, int? interval = null) =>
            new(action, TimeSpan.FromSeconds(timeout), interval is { } i ? TimeSpan.FromSeconds(i) : null, null, null)
            {
                // Pacemaker writes LSB durations as bare seconds ("15"), and pcs shows them so.
                TimeoutText = $"{timeout}",
                IntervalText = interval is { } j ? $"{j}" : null,
            };
        return new AgentMetadata(name, "1.0", shortDesc ?? name, longDesc ?? name, [],
        [
            Action("meta-data", 5),
            Action("start", 15),
            Action("stop", 15),
            Action("status", 15),
            Action("restart", 15),
            Action("force-reload", 15),
            Action("monitor", 15, 15),
        ]);
    }
}
