namespace Cluster.Crm.Graph;

/// <summary>
/// One action of a transition graph. <see cref="Attributes"/> holds every attribute Pacemaker
/// hands the executor (CRM_meta_* and the resource parameters), sorted by name as it writes them.
/// A clone instance's action is keyed by the name the cluster knows the instance by (its history
/// id, else its configured id); <see cref="InternalOperationKey"/> then holds the scheduler's own key.
/// </summary>
public sealed record GraphAction(
    int Id,
    GraphActionKind Kind,
    ActionTask Task,
    string Operation,
    string OperationKey,
    string? OnNode,
    string? OnNodeUuid,
    GraphResource? Resource,
    IReadOnlyList<KeyValuePair<string, string>> Attributes,
    IReadOnlyList<string> Downed,
    string? InternalOperationKey = null)
{
    /// <summary>The interval in ms (CRM_meta_interval; 0 for one-shot operations).</summary>
    public long IntervalMs => Attribute("CRM_meta_interval") is { } v && long.TryParse(v, out var ms) ? ms : 0;

    /// <summary>A probe: a monitor with interval 0, expecting "not running".</summary>
    public bool IsProbe => Task == ActionTask.Monitor && IntervalMs == 0;

    public string? Attribute(string name)
    {
        foreach (var (k, v) in Attributes)
            if (k == name) return v;
        return null;
    }

    public override string ToString() => OnNode is null ? OperationKey : $"{OperationKey} on {OnNode}";
}
