namespace Cluster.Crm.Cib;

/// <summary>A configured operation (&lt;op&gt;) of a primitive.</summary>
public sealed record CibOperation(
    string Id,
    string Name,
    string IntervalText,
    long IntervalMs,
    string? Role,
    string? OnFail,
    bool Enabled,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<NvSet> MetaAttributes,
    IReadOnlyList<NvSet> InstanceAttributes);
