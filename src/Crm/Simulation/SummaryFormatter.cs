using System.Text;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>Transition Summary lines with crm_simulate's two-pass column widths.</summary>
public static class SummaryFormatter
{
    public static IReadOnlyList<string> Lines(IReadOnlyList<SummaryLine> lines)
    {
        int rw = 5, dw = 5;
        foreach (var l in lines)
        {
            if (l.Verbatim is not null) continue;
            if (l.Subject.Length > rw) rw = l.Subject.Length + 2;
            if ((l.Details?.Length ?? 0) > dw) dw = l.Details!.Length;
        }
        var result = new List<string>();
        foreach (var l in lines)
        {
            if (l.Verbatim is not null) { result.Add("  * " + l.Verbatim); continue; }
            var sb = new StringBuilder("  * ");
            sb.Append(l.Verb.PadRight(8)).Append("   ").Append(l.Subject.PadRight(rw)).Append("   ( ")
              .Append((l.Details ?? "").PadLeft(dw)).Append(" )");
            if (l.Reason is not null) sb.Append("  ").Append(l.Reason);
            result.Add(sb.ToString());
        }
        return result;
    }
}
