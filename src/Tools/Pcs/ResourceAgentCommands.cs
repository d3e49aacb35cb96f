using Cluster.Agents;
using Cluster.Agents.Discovery;
using Cluster.Agents.Invocation;

namespace Cluster.Tools.Pcs;

/// <summary><c>pcs resource standards|providers|agents|describe</c>: what agents are installed and what they take.</summary>
public static class ResourceAgentCommands
{
    public static PcsCommand Standards { get; } = new(["resource", "standards"], "resource standards", inv =>
    {
        foreach (var standard in AgentCatalog.ResourceStandards)
            inv.Out.WriteLine(standard);
        return Task.FromResult(0);
    });

    public static PcsCommand Providers { get; } = new(["resource", "providers"], "resource providers", inv =>
    {
        foreach (var provider in Catalog(inv).OcfProviders())
            inv.Out.WriteLine(provider);
        return Task.FromResult(0);
    });

    public static PcsCommand Agents { get; } = new(["resource", "agents"], "resource agents [standard[:provider]]", inv =>
    {
        var catalog = Catalog(inv);
        if (inv.Args.Count == 0)
        {
            // pcs prints the types of every standard (service repeating lsb) in one sorted list, repeats kept.
            var lsb = catalog.LsbAgents();
            foreach (var type in catalog.OcfAgents().Concat(lsb).Concat(lsb).Select(a => a.Type)
                         .Order(StringComparer.OrdinalIgnoreCase).ThenBy(t => t, StringComparer.Ordinal))
                inv.Out.WriteLine(type);
            return Task.FromResult(0);
        }
        var filter = inv.Args[0].Split(':');
        IReadOnlyList<AgentId> agents;
        switch (filter[0])
        {
            case "ocf" when filter.Length == 1:
                agents = catalog.OcfAgents();
                break;
            case "ocf" when filter.Length == 2:
                if (!catalog.OcfProviders().Contains(filter[1]))
                    return Task.FromResult(inv.Fail($"Unable to get agents of '{inv.Args[0]}': No agents found"));
                agents = catalog.OcfAgents(filter[1]);
                break;
            case "lsb" or "service" when filter.Length == 1:
                agents = catalog.LsbAgents();
                break;
            case "stonith" when filter.Length == 1:
                agents = catalog.FenceAgents();
                break;
            default:
                return Task.FromResult(inv.Fail($"Unable to get agents of '{inv.Args[0]}': unknown standard or provider"));
        }
        foreach (var agent in agents)
            inv.Out.WriteLine(agent.Type);
        return Task.FromResult(0);
    });

    public static PcsCommand Describe { get; } = new(["resource", "describe"], "resource describe [<standard>:[<provider>:]]<type> [--full]", async inv =>
    {
        if (inv.Args.Count != 1)
            return inv.Usage("usage: pcs resource describe [<standard>:[<provider>:]]<type> [--full]");
        var invoker = AgentInvoker.FromEnvironment(inv.Context.GetEnv);
        var (agent, note, error) = AgentNameResolver.Resolve(inv.Args[0], invoker.Catalog);
        if (agent is null)
            return inv.Fail(error!);
        if (agent.Standard == AgentStandard.Stonith)
            return inv.Fail($"Type of agent '{agent}' is not 'resource', use 'pcs stonith describe {agent.Type}'");
        if (note is not null)
            inv.Err.WriteLine(note);
        return await DescribeAsync(inv, invoker, agent, stonith: false).ConfigureAwait(false);
    });

    internal static async Task<int> DescribeAsync(PcsInvocation inv, AgentInvoker invoker, AgentId agent, bool stonith)
    {
        var (metadata, why) = await invoker.GetMetadataAsync(agent).ConfigureAwait(false);
        if (metadata is null)
        {
            var detail = why == "not installed"
                ? $"crm_resource: Metadata query for {agent} failed: No such device or address, Error performing operation: No such object"
                : why;
            var shown = stonith ? agent.Type : agent.ToString();
            return inv.Fail($"Agent '{shown}' is not installed or does not provide valid metadata: {detail}");
        }
        AgentDescription.Write(inv.Out, stonith ? agent.Type : agent.ToString(), metadata, inv.Options.Full, stonith);
        return 0;
    }

    private static AgentCatalog Catalog(PcsInvocation inv) =>
        new(AgentSearchPaths.FromEnvironment(inv.Context.GetEnv));
}
