using Cluster.Crm.CibClient;

namespace Cluster.Crm.CibManager;

/// <summary>What the CIB manager core reacts to.</summary>
public abstract record CibInput;

/// <summary>A local client's request; <paramref name="CallId"/> comes back in the reply.</summary>
public sealed record CibClientRequest(long ClientId, long CallId, CibRequest Request, string ClientName, string User, DateTimeOffset Now) : CibInput;

/// <summary>A message of the `cib` CPG group, in the group's agreed delivery order (own messages too).</summary>
public sealed record CibDelivered(uint Sender, byte[] Payload) : CibInput;

/// <summary>
/// The `cib` group's members changed (CPG configuration change), every member in the same order.
/// <paramref name="SomeoneJoined"/>: the change brought a process in (also one that restarted on
/// a node id already listed, which the id list alone would not show).
/// </summary>
public sealed record CibMembership(IReadOnlyList<uint> Members, bool SomeoneJoined = false) : CibInput;

/// <summary>A client went away: forget its pending calls.</summary>
public sealed record CibClientGone(long ClientId) : CibInput;
