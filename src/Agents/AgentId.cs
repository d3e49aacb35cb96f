namespace Cluster.Agents;

/// <summary>
/// Names one agent: <c>ocf:heartbeat:IPaddr2</c>, <c>lsb:httpd</c>, <c>stonith:fence_dummy</c>.
/// Only OCF agents have a provider.
/// </summary>
public sealed record AgentId(AgentStandard Standard, string? Provider, string Type)
{
    public static AgentId Ocf(string provider, string type) => new(AgentStandard.Ocf, provider, type);

    /// <summary>Parses a full name; an error message says what is wrong with it.</summary>
    public static bool TryParse(string text, out AgentId? id, out string? error)
    {
        id = null;
        error = null;
        var parts = text.Split(':');
        if (!AgentStandardNames.TryParse(parts[0], out var standard))
        {
            error = $"Unknown agent standard '{parts[0]}'";
            return false;
        }
        switch (standard, parts.Length)
        {
            case (AgentStandard.Ocf, 3) when parts[1].Length > 0 && IsSafeName(parts[2]) && IsSafeName(parts[1]):
                id = new AgentId(standard, parts[1], parts[2]);
                return true;
            case (AgentStandard.Ocf, _):
                error = $"Invalid resource agent name '{text}': an ocf agent needs 'ocf:PROVIDER:TYPE'";
                return false;
            case (_, 2) when IsSafeName(parts[1]):
                id = new AgentId(standard, null, parts[1]);
                return true;
            default:
                error = $"Invalid resource agent name '{text}': expected '{parts[0]}:TYPE'";
                return false;
        }
    }

    /// <summary>Agent names become file names: no path separators, no dot-dot.</summary>
    public static bool IsSafeName(string name) =>
        name.Length > 0 && !name.Contains('/') && name != "." && name != ".." && !name.Contains('\0');

    public override string ToString() =>
        Provider is null ? $"{Standard.Name()}:{Type}" : $"{Standard.Name()}:{Provider}:{Type}";
}
