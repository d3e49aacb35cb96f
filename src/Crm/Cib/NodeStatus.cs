namespace Cluster.Crm.Cib;

/// <summary>One &lt;lrm_rsc_op&gt; history entry.</summary>
public sealed record LrmOp(
    string Id, string Operation, string? OperationKey, long IntervalMs, int CallId, int RcCode, int OpStatus,
    string? OpDigest, string? TransitionKey, string? TransitionMagic, long LastRcChange, string? ExitReason,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>One &lt;lrm_resource&gt;: the history of a resource on a node.</summary>
public sealed record LrmResource(string Id, string? Class, string? Provider, string? Type, IReadOnlyList<LrmOp> Ops);

/// <summary>A &lt;node_state&gt; entry of the status section.</summary>
public sealed record NodeStatus(
    string Id, string? Uname, string? InCcm, string? Crmd, string? Join, string? Expected,
    IReadOnlyList<NvSet> TransientAttributes, IReadOnlyList<LrmResource> Resources, bool HasLrm);
