using Cluster.Crm.Graph;

namespace Cluster.Crm.Tests.Graph;

/// <summary>
/// Compares two transition graphs by meaning, as ../shared/conformance/tools/compare_graph.py
/// does: action ids differ between schedulers, so each action is named by a key
/// (rsc_op "key@node", pseudo "pseudo:key", crm_event "operation@node") and compared on its
/// element kind, priority, attributes (crm_feature_set aside), resource, downed nodes and the set
/// of its inputs' keys; the graph attributes must match except transition_id.
/// </summary>
public static class GraphMeaning
{
    private static string Key(GraphAction a) => a.Kind switch
    {
        GraphActionKind.RscOp => $"{a.OperationKey}@{a.OnNode}",
        GraphActionKind.PseudoEvent => $"pseudo:{a.OperationKey}",
        _ => $"{a.Operation}@{a.OnNode}",
    };

    private static string Tag(GraphAction a) => a.Kind switch
    {
        GraphActionKind.RscOp => "rsc_op",
        GraphActionKind.PseudoEvent => "pseudo_event",
        _ => "crm_event",
    };

    private static Dictionary<string, (Synapse S, HashSet<string> Inputs)> Index(TransitionGraph g)
    {
        var map = new Dictionary<string, (Synapse, HashSet<string>)>(StringComparer.Ordinal);
        foreach (var s in g.Synapses)
        {
            var key = Key(s.Action);
            var inputs = s.Inputs.Select(i => $"{Tag(g.Action(i))}:{Key(g.Action(i))}").ToHashSet(StringComparer.Ordinal);
            var k = key;
            for (int dup = 1; map.ContainsKey(k); dup++) k = $"{key}#dup{dup}";
            map[k] = (s, inputs);
        }
        return map;
    }

    /// <summary>The differences (empty when the graphs mean the same).</summary>
    public static List<string> Differences(TransitionGraph expected, TransitionGraph actual)
    {
        var diffs = new List<string>();
        if (expected.Settings with { TransitionId = 0 } != actual.Settings with { TransitionId = 0 })
            diffs.Add($"graph attributes: expected {expected.Settings} got {actual.Settings}");
        var e = Index(expected);
        var a = Index(actual);
        foreach (var k in e.Keys.Except(a.Keys).Order(StringComparer.Ordinal)) diffs.Add($"missing action {k}");
        foreach (var k in a.Keys.Except(e.Keys).Order(StringComparer.Ordinal)) diffs.Add($"unexpected action {k}");
        foreach (var k in e.Keys.Intersect(a.Keys).Order(StringComparer.Ordinal))
        {
            var (es, ei) = e[k];
            var (@as, ai) = a[k];
            if (es.Action.Kind != @as.Action.Kind) diffs.Add($"{k}: element {Tag(es.Action)}/{Tag(@as.Action)}");
            if (es.Priority != @as.Priority) diffs.Add($"{k}: priority {es.Priority}/{@as.Priority}");
            if (es.Action.Resource != @as.Action.Resource) diffs.Add($"{k}: resource {es.Action.Resource}/{@as.Action.Resource}");
            if (!es.Action.Downed.Order().SequenceEqual(@as.Action.Downed.Order())) diffs.Add($"{k}: downed nodes differ");
            var ea = Attrs(es.Action);
            var aa = Attrs(@as.Action);
            foreach (var name in ea.Keys.Union(aa.Keys).Order(StringComparer.Ordinal))
                if (ea.GetValueOrDefault(name) != aa.GetValueOrDefault(name))
                    diffs.Add($"{k}: attribute {name} {ea.GetValueOrDefault(name) ?? "(none)"}/{aa.GetValueOrDefault(name) ?? "(none)"}");
            foreach (var x in ei.Except(ai).Order(StringComparer.Ordinal)) diffs.Add($"{k}: missing input {x}");
            foreach (var x in ai.Except(ei).Order(StringComparer.Ordinal)) diffs.Add($"{k}: unexpected input {x}");
        }
        return diffs;
    }

    private static Dictionary<string, string> Attrs(GraphAction a) =>
        a.Attributes.Where(kv => kv.Key != "crm_feature_set").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
