using Cluster.Tools.CrmResource;
using Cluster.Tools.Pcs;

namespace Cluster.Tools.Dispatch;

/// <summary>Tools around resource agents that need no CIB.</summary>
public static class AgentTools
{
    public static IEnumerable<ToolEntry> Entries => [PcsTool.Entry, CrmResourceTool.Entry];
}
