namespace Cluster.Crm.Cib;

/// <summary>The model of a &lt;configuration&gt; element, before it is combined with the status into a <see cref="CibDocument"/>.</summary>
internal sealed record ConfigurationSection(
    IReadOnlyList<NvSet> ClusterProperties,
    IReadOnlyList<CibNode> Nodes,
    IReadOnlyList<CibResource> Resources,
    IReadOnlyList<CibConstraint> Constraints,
    IReadOnlyList<NvSet> RscDefaults,
    IReadOnlyList<NvSet> OpDefaults);
