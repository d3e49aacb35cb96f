using Cluster.Agents.Invocation;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Controller;

/// <summary>What a node's <see cref="LocalResourceManager"/> asks its shell to do.</summary>
public abstract record LrmEffect;

/// <summary>Queue an operation on the executor; tell the manager its call-id with <see cref="LocalResourceManager.Submitted"/>.</summary>
public sealed record SubmitOperation(AgentRequest Agent, ActionRequest For) : LrmEffect;

/// <summary>Cancel a recurring operation on the executor.</summary>
public sealed record CancelOperation(string ResourceId, string Action, TimeSpan Interval) : LrmEffect;

/// <summary>
/// Change the CIB (record a result, a fail count, or forget history); once the change is applied
/// (or refused), report <paramref name="Report"/> to the DC with its op-status and rc, if any.
/// Reporting only after the CIB has the result means the DC never schedules on a CIB without it.
/// </summary>
public sealed record WriteHistory(CibRequest Request, ActionRequest? Report, int OpStatus, int Rc) : LrmEffect;
