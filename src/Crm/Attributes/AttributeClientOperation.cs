namespace Cluster.Crm.Attributes;

/// <summary>What a local client (attrd_updater, crm_attribute -l reboot) asks the node's attrd.</summary>
public abstract record AttributeClientOperation;

/// <summary>Set or delete (null value) one node's value, agreed through the <c>attrd</c> group.</summary>
public sealed record AttributeSetRequest(AttributeUpdate Update) : AttributeClientOperation;

/// <summary>One node's value of <paramref name="Name"/>, or every node's when <paramref name="Node"/> is null.</summary>
public sealed record AttributeQuery(string Name, string? Node) : AttributeClientOperation;

/// <summary>attrd_updater --refresh: the writer writes every value to the CIB again.</summary>
public sealed record AttributeRefreshRequest : AttributeClientOperation;
