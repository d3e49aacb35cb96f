using Cluster.Tools.Cibadmin;
using Cluster.Tools.Crm;
using Cluster.Tools.Pacemakerd;

namespace Cluster.Tools.Dispatch;

/// <summary>Tools of the resource manager (crm_*, pcs, cibadmin, pacemakerd).</summary>
public static class CrmTools
{
    public static IEnumerable<ToolEntry> Entries => [CrmSimulateTool.Entry, CrmVerifyTool.Entry, CrmMonTool.Entry, CrmAttributeTool.Entry, AttrdUpdaterTool.Entry, StonithAdminTool.Entry, CrmNodeTool.Entry, CibadminTool.Entry, PacemakerdTool.Entry, CibBenchTool.Entry, CrmSimTool.Entry];
}
