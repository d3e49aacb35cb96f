namespace Cluster.Crm.Cib;

/// <summary>A configured resource: primitive, group or clone.</summary>
public abstract record CibResource(string Id, IReadOnlyList<NvSet> MetaAttributes, IReadOnlyList<NvSet> InstanceAttributes)
{
    /// <summary>Children in configuration order (empty for a primitive).</summary>
    public abstract IReadOnlyList<CibResource> Children { get; }
}

/// <summary>&lt;primitive class provider type&gt;.</summary>
public sealed record CibPrimitive(
    string Id,
    string Class,
    string? Provider,
    string Type,
    IReadOnlyList<NvSet> MetaAttributes,
    IReadOnlyList<NvSet> InstanceAttributes,
    IReadOnlyList<NvSet> Utilization,
    IReadOnlyList<CibOperation> Operations) : CibResource(Id, MetaAttributes, InstanceAttributes)
{
    public override IReadOnlyList<CibResource> Children => [];

    /// <summary>"ocf:heartbeat:IPaddr2" / "stonith:fence_xvm".</summary>
    public string Agent => Provider is null ? $"{Class}:{Type}" : $"{Class}:{Provider}:{Type}";
}

/// <summary>&lt;group&gt;: ordered, colocated members.</summary>
public sealed record CibGroup(string Id, IReadOnlyList<NvSet> MetaAttributes, IReadOnlyList<NvSet> InstanceAttributes, IReadOnlyList<CibPrimitive> Members)
    : CibResource(Id, MetaAttributes, InstanceAttributes)
{
    public override IReadOnlyList<CibResource> Children => Members;
}

/// <summary>&lt;clone&gt; or legacy &lt;master&gt; (promotable) with exactly one child.</summary>
public sealed record CibClone(string Id, IReadOnlyList<NvSet> MetaAttributes, IReadOnlyList<NvSet> InstanceAttributes, CibResource Child, bool LegacyMaster)
    : CibResource(Id, MetaAttributes, InstanceAttributes)
{
    public override IReadOnlyList<CibResource> Children => [Child];
}
