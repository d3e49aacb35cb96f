namespace Cluster.Crm.Graph;

/// <summary>What executes a graph action: the executor on a node, nobody, or the controller itself.</summary>
public enum GraphActionKind
{
    /// <summary>&lt;rsc_op&gt;: a resource agent operation on <c>on_node</c>.</summary>
    RscOp,
    /// <summary>&lt;pseudo_event&gt;: completes as soon as its inputs have (a group's running, a stop implied by fencing).</summary>
    PseudoEvent,
    /// <summary>&lt;crm_event&gt;: a cluster operation (fencing, shutdown, clearing a fail count).</summary>
    CrmEvent,
}
