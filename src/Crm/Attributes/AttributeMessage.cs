namespace Cluster.Crm.Attributes;

/// <summary>What attrd instances tell each other over the <c>attrd</c> group (totally ordered).</summary>
public abstract record AttributeMessage;

/// <summary>
/// Set (or, with a null value, delete) one node's value of one attribute. <paramref name="Delay"/>
/// is the attribute's dampening; null keeps the one it has.
/// </summary>
public sealed record AttributeUpdate(string Node, string Name, string? Value, TimeSpan? Delay = null) : AttributeMessage;

/// <summary>The writer's whole table, sent when members join so everybody holds the same values.</summary>
public sealed record AttributeSync(IReadOnlyList<AttributeUpdate> Values) : AttributeMessage;

/// <summary>attrd_updater --refresh: the writer writes every value to the CIB again.</summary>
public sealed record AttributeRefresh : AttributeMessage;
