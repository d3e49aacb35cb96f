using Cluster.Agents;
using Cluster.Agents.Discovery;

namespace Cluster.Tools.Pcs;

/// <summary>Turns what a user typed (<c>IPaddr2</c>, <c>ocf:heartbeat:IPaddr2</c>, <c>lsb:x</c>) into one agent.</summary>
public static class AgentNameResolver
{
    /// <returns>The agent, a note when it was deduced from a short name, or an error message.</returns>
    public static (AgentId? Agent, string? Note, string? Error) Resolve(string name, AgentCatalog catalog)
    {
        if (name.Contains(':'))
        {
            return AgentId.TryParse(name, out var id, out var error)
                ? (id, null, null)
                : (null, null, error);
        }
        var matches = catalog.OcfAgents().Concat(catalog.LsbAgents())
            .Where(a => string.Equals(a.Type, name, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (matches.Count > 1)
        {
            var exact = matches.Where(a => a.Type == name).ToList();
            if (exact.Count == 1)
                matches = exact;
        }
        return matches.Count switch
        {
            0 => (null, null, $"Unable to find agent '{name}', try specifying its full name"),
            1 => (matches[0], $"Assumed agent name '{matches[0]}' (deduced from '{name}')", null),
            _ => (null, null, $"Multiple agents match '{name}', please specify full name: "
                              + string.Join(" or ", matches.Select(m => $"'{m}'"))),
        };
    }
}
