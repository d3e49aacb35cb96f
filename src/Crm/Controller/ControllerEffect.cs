namespace Cluster.Crm.Controller;

/// <summary>What the sans-IO controller core asks its shell to do.</summary>
public abstract record ControllerEffect;

/// <summary>Send to one node's controller, or to the whole <c>crmd</c> group when <paramref name="Target"/> is null.</summary>
public sealed record SendToControllers(string? Target, ControllerMessage Message) : ControllerEffect;

public sealed record ArmControllerTimer(ControllerTimer Timer, TimeSpan After) : ControllerEffect;

public sealed record CancelControllerTimer(ControllerTimer Timer) : ControllerEffect;

/// <summary>The FSA changed state (for the log: "State transition S_ELECTION -> S_INTEGRATION").</summary>
public sealed record StateChanged(ControllerState From, ControllerState To, ControllerInput Input) : ControllerEffect;

/// <summary>CIB request: set <c>dc-uuid</c> to this node and the <c>dc-version</c> property.</summary>
public sealed record ClaimDc(string Node, string FeatureSet) : ControllerEffect;

/// <summary>CIB request (DC, finalize phase): make the best CIB among the members everybody's.</summary>
public sealed record SyncCib(int JoinId) : ControllerEffect;

/// <summary>CIB request: update one node_state.</summary>
public sealed record UpdateNodeState(NodeStateUpdate Update) : ControllerEffect;

/// <summary>CIB request: replace the node's <c>lrm</c> section with the history it sent at join_confirm.</summary>
public sealed record ReplaceNodeHistory(string Node) : ControllerEffect;

/// <summary>Run the scheduler on a snapshot of the CIB, off the loop; answer with <c>OnSchedulerResult</c>.</summary>
public sealed record RunScheduler(int TransitionId) : ControllerEffect;

/// <summary>Hand the plan to the graph engine; it answers with <c>OnTransitionFinished</c>.</summary>
public sealed record ExecuteTransition(int TransitionId, ITransitionPlan Plan) : ControllerEffect;

/// <summary>Ask the graph engine to stop firing new actions of the transition (in-flight ones finish).</summary>
public sealed record AbortTransition(int TransitionId, string Reason) : ControllerEffect;

/// <summary>Run one action here, through the executor; answer with <c>OnLocalActionResult</c>.</summary>
public sealed record ExecuteLocalAction(ActionRequest Request) : ControllerEffect;

/// <summary>For the graph engine (DC): the action with this key ended.</summary>
public sealed record ActionConfirmed(TransitionKey Key, int OpStatus, int Rc) : ControllerEffect;

/// <summary>The controller gives up (refused at join): the shell stops pacemakerd's controller.</summary>
public sealed record ControllerExit(string Reason) : ControllerEffect;
