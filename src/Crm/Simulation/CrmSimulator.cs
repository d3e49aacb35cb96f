using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>crm_simulate: inject modifications, schedule, print, pretend to execute, print again.</summary>
public static class CrmSimulator
{
    public static SimulationOutput Run(Cib.CibDocument input, SimulationRequest req)
    {
        var o = new StringBuilder();
        // The document is only needed to inject modifications or execute the transition; a plain
        // scheduling run (-R) works on the model alone.
        bool needsDocument = req.Simulate || req.NodesUp.Count > 0 || req.NodesDown.Count > 0 || req.NodesFail.Count > 0
            || req.OpInjections.Count > 0 || req.Quorum is not null;
        var root = needsDocument ? new XElement(input.Source) : null;
        DateTimeOffset? now = req.Now;
        string? dateLine = null;
        if (now is null && input.RootAttributes.TryGetValue("execution-date", out var ed) && long.TryParse(ed, out var secs))
        {
            now = DateTimeOffset.FromUnixTimeSeconds(secs);
            dateLine = $"Using the original execution date of: {now.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z";
        }
        var effectiveNow = now ?? DateTimeOffset.UtcNow;
        var opts = new SchedulerOptions { Now = effectiveNow, CollectScores = req.ShowScores };
        bool fancy = req.Fancy;
        string H(string header) => fancy ? header : "";
        string I1 = fancy ? "  * " : "";

        bool hasMods = req.NodesUp.Count + req.NodesDown.Count + req.NodesFail.Count + req.OpInjections.Count > 0;
        // Quiet mode shows no current status, so the pre-modification run is only needed otherwise.
        var before = req.Quiet && hasMods ? null : Scheduler.Scheduler.Schedule(input, opts);
        if (!req.Quiet && before is not null)
        {
            if (dateLine is not null) o.Append(dateLine).Append('\n');
            if (StatusFormatter.DisabledHeader(before) is { } hdr) o.Append(hdr).Append('\n');
            if (dateLine is not null || StatusFormatter.DisabledHeader(before) is not null) o.Append('\n');
            o.Append(H("Current cluster status:\n"));
            AppendStatus(o, before, fancy);
            o.Append('\n');
        }

        var mods = new List<string>();
        // Like crm_simulate 2.1.5, a quorum setting is applied (first) only along with another modification.
        if (root is not null)
        {
            if (req.Quorum is not null && hasMods) mods.Add(Injection.Quorum(root, req.Quorum));
            foreach (var n in req.NodesUp) mods.Add(Injection.NodeUp(root, n));
            foreach (var n in req.NodesDown) mods.Add(Injection.NodeDown(root, n));
            foreach (var n in req.NodesFail) mods.Add(Injection.NodeFail(root, n));
            foreach (var op in req.OpInjections) mods.AddRange(Injection.Op(root, op, effectiveNow));
        }
        // Quiet mode hides every section's text but keeps the blank line between two sections
        // when a later one (scores, the transition) follows.
        bool quietSectionShown = mods.Count > 0;
        if (mods.Count > 0 && !req.Quiet)
        {
            o.Append(H("Performing Requested Modifications:\n"));
            foreach (var m in mods) o.Append(I1).Append(m).Append('\n');
            o.Append('\n');
        }

        var cib = mods.Count > 0 ? Cib.CibDocument.FromElement(root!) : input;
        var result = mods.Count > 0 || before is null ? Scheduler.Scheduler.Schedule(cib, opts) : before;
        if (req.ShowScores)
        {
            if (req.Quiet && quietSectionShown) o.Append('\n');
            if (fancy) o.Append("Allocation Scores:\n");
            foreach (var l in result.ScoreLines) o.Append(I1).Append(l).Append('\n');
            if (!req.Quiet) o.Append('\n');
            quietSectionShown = true;
        }
        if (!req.Quiet)
        {
            o.Append(H("Transition Summary:\n"));
            foreach (var l in SummaryFormatter.Lines(result.Summary)) o.Append(fancy ? l : l[4..]).Append('\n');
        }

        XElement? revised = null;
        int exitCode = 0;
        if (req.Simulate)
        {
            var outcome = TransitionExecutor.Execute(cib, result, req.OpFailures);
            if (req.Quiet && quietSectionShown) o.Append('\n');
            if (!req.Quiet)
            {
                o.Append('\n');
                o.Append(H("Executing Cluster Transition:\n"));
                foreach (var l in outcome.Lines)
                    if (l.StartsWith(TransitionExecutor.Unbulleted, StringComparison.Ordinal)) o.Append(l[1..]).Append('\n');
                    else o.Append(I1).Append(l).Append('\n');
            }
            revised = outcome.RevisedCib;
            // crm_simulate exits 1 (CRM_EX_ERROR) when the transition it produced cannot complete.
            if (outcome.Invalid) exitCode = 1;
            if (!req.Quiet)
            {
                var after = Scheduler.Scheduler.Schedule(Cib.CibDocument.FromElement(revised), opts with { CollectScores = false, CheckDigests = false });
                // Pacemaker's crm_simulate shows in-flight operations ("Starting") in the current
                // status only: the revised one prints roles, though the pending entries remain.
                foreach (var p in after.Primitives) p.ForgetPending();
                o.Append('\n');
                if (dateLine is not null) o.Append(dateLine).Append("\n\n");
                o.Append(H("Revised Cluster Status:\n"));
                AppendStatus(o, after, fancy);
            }
        }
        return root is null
            ? new SimulationOutput(o.ToString(), result, input, revised, exitCode)
            : new SimulationOutput(o.ToString(), result, root, revised, exitCode);
    }

    private static void AppendStatus(StringBuilder o, ScheduleResult r, bool fancy)
    {
        var sb = new StringBuilder();
        StatusFormatter.Format(r, sb);
        if (fancy) { o.Append(sb); return; }
        foreach (var line in sb.ToString().Split('\n'))
        {
            var t = line.TrimStart();
            if (t.StartsWith("* Node List:", StringComparison.Ordinal) || t.StartsWith("* Full List of Resources:", StringComparison.Ordinal)) continue;
            if (t.StartsWith("* ", StringComparison.Ordinal)) t = t[2..];
            if (t.StartsWith("Online: ", StringComparison.Ordinal) || t.StartsWith("OFFLINE: ", StringComparison.Ordinal)) t = t[(t.IndexOf(' ') + 1)..];
            o.Append(t).Append('\n');
        }
        while (o.Length >= 2 && o[^1] == '\n' && o[^2] == '\n') o.Length--;
    }
}
