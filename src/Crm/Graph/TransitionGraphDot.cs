using System.Text;

namespace Cluster.Crm.Graph;

/// <summary>A transition graph as DOT, for people (crm_simulate -D).</summary>
public static class TransitionGraphDot
{
    private static string Name(GraphAction a) => a.Kind == GraphActionKind.PseudoEvent || a.OnNode is null
        ? a.OperationKey : $"{a.OperationKey} {a.OnNode}";

    public static string Write(TransitionGraph graph)
    {
        var sb = new StringBuilder(" digraph \"g\" {\n");
        foreach (var s in graph.Synapses)
            foreach (var i in s.Inputs)
                sb.Append($"\"{Name(graph.Action(i))}\" -> \"{Name(s.Action)}\" [ style = bold]\n");
        foreach (var a in graph.Actions)
            sb.Append($"\"{Name(a)}\" [ style=bold color=\"green\" fontcolor=\"{(a.Kind == GraphActionKind.PseudoEvent ? "orange" : "black")}\"]\n");
        sb.Append("}\n");
        return sb.ToString();
    }
}
