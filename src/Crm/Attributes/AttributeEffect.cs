namespace Cluster.Crm.Attributes;

/// <summary>What the sans-IO attribute core (attrd) asks its shell to do.</summary>
public abstract record AttributeEffect;

/// <summary>Send a message to the <c>attrd</c> group, the sender included.</summary>
public sealed record SendToAttributeGroup(AttributeMessage Message) : AttributeEffect;

/// <summary>
/// A CIB request: write every node's value of one attribute into
/// <c>status/node_state/transient_attributes</c> in one update (a null value removes the nvpair).
/// Only the writer emits it.
/// </summary>
public sealed record WriteAttribute(string Name, IReadOnlyDictionary<string, string?> ValuesByNode) : AttributeEffect;

/// <summary>Arm the dampening timer of one attribute; the shell calls <c>OnDampeningExpired(name, now)</c>.</summary>
public sealed record ArmDampening(string Name, TimeSpan After) : AttributeEffect;
