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
/// Change the CIB (record a result or forget history); once the change is applied
/// (or refused), report <paramref name="Report"/> to the DC with its op-status and rc, if any.
/// Reporting only after the CIB has the result means the DC never schedules on a CIB without it.
/// </summary>
public sealed record WriteHistory(CibRequest Request, ActionRequest? Report, int OpStatus, int Rc) : LrmEffect;

/// <summary>
/// An operation failed: count it through attrd (<c>fail-count-&lt;rsc&gt;#&lt;op&gt;_&lt;interval&gt;</c> set to
/// <paramref name="FailCount"/>, <c>value++</c> or <c>INFINITY</c>, and <c>last-failure-…</c> to now).
/// Comes before the result's <see cref="WriteHistory"/>.
/// </summary>
public sealed record CountFailure(string ResourceId, string Operation, TimeSpan Interval, string FailCount) : LrmEffect;

/// <summary>
/// The DC's <c>clear_failcount</c>: forget the resource's fail counts here (of one operation when
/// <paramref name="Operation"/> is given, else all of them) through attrd. No agent runs; the
/// action is then reported done (<see cref="ReportDone"/>).
/// </summary>
public sealed record ClearFailCount(string ResourceId, string? Operation, TimeSpan Interval) : LrmEffect;

/// <summary>Report an action the controller carries out itself as finished, with no history entry.</summary>
public sealed record ReportDone(ActionRequest Request, int OpStatus, int Rc) : LrmEffect;
