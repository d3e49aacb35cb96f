using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.Graph;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>
/// Pretends to execute a transition: runs its graph on the <see cref="GraphEngine"/>, every
/// action succeeding unless a failure was asked for (crm_simulate -F), writes the results into a
/// copy of the CIB status (as crm_simulate does) and lists them in execution order. A failed
/// action aborts the transition: the actions that depend on it are not executed.
/// </summary>
public static class TransitionExecutor
{
    /// <summary>The lines to print ("* " bullets added by the caller, except on lines starting
    /// with <see cref="Unbulleted"/>), the revised CIB, and whether the transition was invalid.</summary>
    public sealed record Outcome(IReadOnlyList<string> Lines, XElement RevisedCib, bool Invalid = false);

    /// <summary>Marks a line crm_simulate prints without indentation or bullet.</summary>
    public const string Unbulleted = "\u0001";

    /// <summary>The lrm_resource id results are recorded under: a clone instance keeps the id its history
    /// used on that node; a new anonymous instance is recorded under its configured id.</summary>
    private static string HistoryId(WorkResource rsc, WorkNode node) =>
        rsc.Instance is not { } ci ? rsc.Id
        : ci.HistoryIds.TryGetValue(node, out var h) ? h
        : ci.Clone.Clone!.Unique ? rsc.Id : ci.BaseId;

    /// <summary>"rsc_task_interval@node=rc" specs (crm_simulate -F) into (operation key, node) -> rc.</summary>
    private static Dictionary<(string Key, string Node), int> ParseFailures(IReadOnlyList<string> specs)
    {
        var map = new Dictionary<(string, string), int>();
        foreach (var spec in specs)
        {
            int at = spec.LastIndexOf('@'), eq = spec.LastIndexOf('=');
            if (at <= 0 || eq < at || !int.TryParse(spec[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rc))
                throw new FormatException($"invalid operation failure '{spec}' (expected RSC_TASK_INTERVAL@NODE=RC)");
            map[(spec[..at], spec[(at + 1)..eq])] = rc;
        }
        return map;
    }

    /// <summary>The graph to run: an action that waits on one the graph lacks (Pacemaker's graph
    /// names it as an input; ours cannot) never becomes ready, so it waits on itself here.</summary>
    private static TransitionGraph WithUnsatisfiableInputs(ScheduleResult result)
    {
        var waiting = result.UnsatisfiableInputs.Select(u => u.Waiting.Id).ToHashSet();
        if (waiting.Count == 0) return result.Graph;
        return new TransitionGraph(result.Graph.Settings, [.. result.Graph.Synapses.Select(s =>
            waiting.Contains(s.Action.Id) ? s with { Inputs = [.. s.Inputs, s.Action.Id] } : s)]);
    }

    public static Outcome Execute(Cib.CibDocument cib, ScheduleResult result, IReadOnlyList<string>? opFailures = null)
    {
        var root = new XElement(cib.Source);
        var ns = root.Name.Namespace;
        var status = root.Element(ns + "status");
        if (status is null) { status = new XElement(ns + "status"); root.Add(status); }
        int callId = root.Descendants(ns + "lrm_rsc_op").Select(o => int.TryParse((string?)o.Attribute("call-id"), out var c) ? c : 0).DefaultIfEmpty(0).Max();
        var lines = new List<string>();
        var nowSecs = result.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        XElement NodeState(WorkNode n)
        {
            var st = status.Elements(ns + "node_state").FirstOrDefault(e => (string?)e.Attribute("id") == n.Id)
                ?? status.Elements(ns + "node_state").FirstOrDefault(e => (string?)e.Attribute("uname") == n.Uname);
            if (st is null)
            {
                st = new XElement(ns + "node_state", new XAttribute("id", n.Id), new XAttribute("uname", n.Uname),
                    new XAttribute("in_ccm", "true"), new XAttribute("crmd", "online"), new XAttribute("join", "member"), new XAttribute("expected", "member"));
                status.Add(st);
            }
            return st;
        }

        void Record(Scheduler.ScheduledAction a, int rc, int target)
        {
            var st = NodeState(a.Node!);
            var lrm = st.Element(ns + "lrm") ?? new XElement(ns + "lrm", new XAttribute("id", a.Node!.Id));
            if (lrm.Parent is null) st.Add(lrm);
            var lrs = lrm.Element(ns + "lrm_resources") ?? new XElement(ns + "lrm_resources");
            if (lrs.Parent is null) lrm.Add(lrs);
            var rsc = a.Resource!;
            var lrmId = HistoryId(rsc, a.Node!);
            var lr = lrs.Elements(ns + "lrm_resource").FirstOrDefault(e => (string?)e.Attribute("id") == lrmId);
            if (lr is null)
            {
                lr = new XElement(ns + "lrm_resource", new XAttribute("id", lrmId), new XAttribute("class", rsc.Primitive!.Class), new XAttribute("type", rsc.Primitive.Type));
                if (rsc.Primitive.Provider is not null) lr.Add(new XAttribute("provider", rsc.Primitive.Provider));
                lrs.Add(lr);
            }
            var id = a.IntervalMs > 0 ? $"{lrmId}_{a.Task}_{a.IntervalMs}" : $"{lrmId}_last_0";
            lr.Elements(ns + "lrm_rsc_op").Where(e => (string?)e.Attribute("id") == id).Remove();
            XElement Op(string opId)
            {
                var key = $"{a.Id}:-1:{target}:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
                var e = new XElement(ns + "lrm_rsc_op",
                    new XAttribute("id", opId), new XAttribute("operation_key", $"{lrmId}_{a.Task}_{a.IntervalMs}"),
                    new XAttribute("operation", a.Task), new XAttribute("crm-debug-origin", "crm_simulate"),
                    new XAttribute("transition-key", key), new XAttribute("transition-magic", $"0:{rc};{key}"),
                    new XAttribute("call-id", callId), new XAttribute("rc-code", rc), new XAttribute("op-status", 0),
                    new XAttribute("interval", a.IntervalMs), new XAttribute("last-rc-change", nowSecs));
                if (rc != target) e.Add(new XAttribute("exit-reason", "User-injected result"));
                return e;
            }
            ++callId;
            lr.Add(Op(id));
            if (rc == target) return;
            // A failure is recorded as the controller would: a last_failure entry and the fail count.
            var failId = $"{lrmId}_last_failure_0";
            lr.Elements(ns + "lrm_rsc_op").Where(e => (string?)e.Attribute("id") == failId).Remove();
            lr.Add(Op(failId));
            var suffix = $"{lrmId}#{a.Task}_{a.IntervalMs}";
            var ta = st.Element(ns + "transient_attributes") ?? new XElement(ns + "transient_attributes", new XAttribute("id", a.Node!.Id));
            if (ta.Parent is null) st.AddFirst(ta);
            var ia = ta.Element(ns + "instance_attributes") ?? new XElement(ns + "instance_attributes", new XAttribute("id", $"status-{a.Node!.Id}"));
            if (ia.Parent is null) ta.Add(ia);
            void Set(string name, string value)
            {
                lines.Add($"Injecting attribute {name}={(name.StartsWith("fail-count", StringComparison.Ordinal) ? "value++" : value)} into /node_state '{a.Node!.Id}'");
                var nv = ia.Elements(ns + "nvpair").FirstOrDefault(e => (string?)e.Attribute("name") == name);
                if (nv is null) { nv = new XElement(ns + "nvpair", new XAttribute("id", $"{a.Node!.Id}-{name.Replace('#', '.')}"), new XAttribute("name", name)); ia.Add(nv); }
                nv.SetAttributeValue("value", value);
            }
            var previous = ia.Elements(ns + "nvpair").FirstOrDefault(e => (string?)e.Attribute("name") == $"fail-count-{suffix}");
            long count = long.TryParse((string?)previous?.Attribute("value"), out var c) ? c : 0;
            Set($"fail-count-{suffix}", (count + 1).ToString(CultureInfo.InvariantCulture));
            Set($"last-failure-{suffix}", nowSecs);
        }

        var byId = result.Actions.ToDictionary(a => a.Id);
        var failures = ParseFailures(opFailures ?? []);
        var effects = GraphEngine.RunToEnd(WithUnsatisfiableInputs(result), g =>
        {
            var a = byId[g.Id];
            int expected = GraphEngine.ExpectedRc(g);
            if (g.Task == ActionTask.Stonith)
            {
                lines.Add($"Fencing {a.Node!.Uname} ({a.Detail})");
                var st = NodeState(a.Node!);
                st.SetAttributeValue("in_ccm", "false");
                st.SetAttributeValue("crmd", "offline");
                st.SetAttributeValue("join", "down");
                st.SetAttributeValue("expected", "down");
                st.Elements(ns + "lrm").Remove();
                st.Elements(ns + "transient_attributes").Remove();
                return expected;
            }
            if (g.Task == ActionTask.DoShutdown)
            {
                // crm_simulate only reports it: the node leaves once the controller acts on it.
                lines.Add($"Cluster action:  do_shutdown on {a.Node!.Uname}");
                return expected;
            }
            // crm_simulate neither prints nor records a re-probe request.
            if (a.Resource is null) return expected;
            if (g.Task == ActionTask.ClearFailcount)
            {
                lines.Add($"Cluster action:  clear_failcount for {a.Resource.Id} on {a.Node!.Uname}");
                var st = NodeState(a.Node!);
                foreach (var nv in st.Descendants(ns + "nvpair").Where(e => ((string?)e.Attribute("name") ?? "").StartsWith($"fail-count-{a.Resource.Id}", StringComparison.Ordinal)).ToList())
                    nv.Remove();
                return expected;
            }
            lines.Add(a.IntervalMs > 0 || a.Task == "cancel"
                ? $"Resource action: {a.Resource.Id,-15} {a.Task}={a.IntervalMs} on {a.Node!.Uname}"
                : $"Resource action: {a.Resource.Id,-15} {a.Task} on {a.Node!.Uname}");
            // A cancelled recurring operation leaves no result behind.
            // A notification changes nothing the status records.
            // Nor does crm_simulate record a delete (a clean-up) or a reload-agent in the history
            // it injects into.
            if (a.Task is "cancel" or "notify" or "delete" or "reload-agent") return expected;
            int rc = failures.TryGetValue((g.OperationKey, g.OnNode ?? ""), out var injected) ? injected : expected;
            if (rc != expected) lines.Add($"{Unbulleted}Pretending action {g.Id} failed with rc={rc}");
            Record(a, rc, expected);
            return rc;
        }, pseudo => lines.Add($"Pseudo action:   {pseudo.OperationKey}"));
        // A graph that can never finish (an ordering loop) is an invalid transition; an aborted
        // one (a failed action) is simply left for the next transition, as in crm_simulate.
        bool invalid = effects.Any(e => e is TransitionStalled);
        if (invalid)
        {
            lines.Add($"{Unbulleted}Transition failed: terminated");
            lines.Add($"{Unbulleted}An invalid transition was produced");
        }
        return new Outcome(lines, root, invalid);
    }
}
