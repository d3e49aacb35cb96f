namespace Cluster.Crm.Cib;

/// <summary>A constraint in &lt;constraints&gt;.</summary>
public abstract record CibConstraint(string Id);

/// <summary>&lt;resource_set&gt; inside a constraint.</summary>
public sealed record ResourceSet(
    string Id, bool Sequential, bool RequireAll, string? Action, string? Role, string? ScoreText, string? Kind,
    IReadOnlyList<string> Resources)
{
    /// <summary>Colocation sets: "group" (default, each member with the previous) or "listed" (each with the next).</summary>
    public string? Ordering { get; init; }
}

/// <summary>&lt;rsc_location&gt;: a plain node score or rules, for one resource, a pattern or a set.</summary>
public sealed record LocationConstraint(
    string Id, string? Resource, string? ResourcePattern, string? Node, string? ScoreText, string? Role,
    string? ResourceDiscovery, IReadOnlyList<Rule> Rules, IReadOnlyList<ResourceSet> Sets) : CibConstraint(Id);

/// <summary>&lt;rsc_colocation&gt;: <c>Resource</c> (dependent) placed with <c>WithResource</c> (primary).</summary>
public sealed record ColocationConstraint(
    string Id, string? Resource, string? WithResource, string? ScoreText, string? ResourceRole, string? WithResourceRole,
    string? NodeAttribute, bool? Influence, IReadOnlyList<ResourceSet> Sets) : CibConstraint(Id);

/// <summary>&lt;rsc_order&gt;: <c>Then</c> depends on <c>First</c>.</summary>
public sealed record OrderConstraint(
    string Id, string? First, string? Then, string? FirstAction, string? ThenAction, string? Kind, string? ScoreText,
    bool? Symmetrical, bool? RequireAll, IReadOnlyList<ResourceSet> Sets) : CibConstraint(Id);
