namespace Cluster.Agents.Invocation;

/// <summary>Runs one agent action; the executor's only dependency on real processes.</summary>
public interface IAgentRunner
{
    Task<AgentResult> InvokeAsync(AgentRequest request, CancellationToken cancellationToken = default);
}
