using Cluster.Agents;
using Cluster.Agents.Invocation;

namespace Cluster.Tools.Pcs;

/// <summary><c>pcs stonith list|describe</c>: the installed fence agents.</summary>
public static class StonithAgentCommands
{
    public static PcsCommand List { get; } = new(["stonith", "list"], "stonith list [filter] [--nodesc]", async inv =>
    {
        var invoker = AgentInvoker.FromEnvironment(inv.Context.GetEnv);
        var filter = inv.Args.Count > 0 ? inv.Args[0] : null;
        var agents = invoker.Catalog.FenceAgents()
            .Where(a => filter is null || a.Type.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (agents.Count == 0)
            return inv.Fail(filter is null ? "No stonith agents available. Do you have fence agents installed?"
                : $"No stonith agents matching the filter.");
        foreach (var agent in agents)
        {
            if (inv.Options.NoDescription)
            {
                inv.Out.WriteLine(agent.Type);
                continue;
            }
            var (metadata, _) = await invoker.GetMetadataAsync(agent).ConfigureAwait(false);
            var desc = AgentDescription.OneLine(metadata?.ShortDescription);
            inv.Out.WriteLine(desc.Length > 0 ? $"{agent.Type} - {desc}" : agent.Type);
        }
        return 0;
    });

    public static PcsCommand Describe { get; } = new(["stonith", "describe"], "stonith describe <fence agent> [--full]", async inv =>
    {
        if (inv.Args.Count != 1)
            return inv.Usage("usage: pcs stonith describe <fence agent> [--full]");
        var name = inv.Args[0].StartsWith("stonith:", StringComparison.Ordinal) ? inv.Args[0]["stonith:".Length..] : inv.Args[0];
        if (!AgentId.IsSafeName(name))
            return inv.Fail($"Invalid stonith agent name '{inv.Args[0]}'");
        var invoker = AgentInvoker.FromEnvironment(inv.Context.GetEnv);
        return await ResourceAgentCommands.DescribeAsync(inv, invoker, new AgentId(AgentStandard.Stonith, null, name), stonith: true)
            .ConfigureAwait(false);
    });
}
