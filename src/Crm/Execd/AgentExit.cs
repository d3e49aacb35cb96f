using Cluster.Agents.Invocation;

namespace Cluster.Crm.Execd;

/// <summary>How an agent process ended, as the shell saw it (the core decides what it means).</summary>
public sealed record AgentExit(ExecutionStatus Status, int Rc, string? ExitReason, string StandardOutput = "", string StandardError = "")
{
    public static AgentExit From(AgentResult result) =>
        new(result.Status, result.Rc, result.ExitReason, result.StandardOutput, result.StandardError);
}
