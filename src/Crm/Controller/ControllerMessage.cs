namespace Cluster.Crm.Controller;

/// <summary>What controllers tell each other over the <c>crmd</c> group.</summary>
public abstract record ControllerMessage;

/// <summary>A starting controller asks who leads; every member answers with <see cref="AnnounceReply"/>.</summary>
public sealed record Announce : ControllerMessage;

/// <summary>The member's DC (or the node it conceded to), and whether it is in an election.</summary>
public sealed record AnnounceReply(string? Leader, bool Electing) : ControllerMessage;

/// <summary>An election vote for round <paramref name="Round"/> of its sender.</summary>
public sealed record Vote(int Round, ElectionCredentials Credentials) : ControllerMessage;

/// <summary>"You win round <paramref name="Round"/>", sent to the vote's sender only.</summary>
public sealed record NoVote(int Round) : ControllerMessage;

/// <summary>join_offer: the DC welcomes a node into join round <paramref name="JoinId"/>.</summary>
public sealed record JoinOffer(int JoinId) : ControllerMessage;

/// <summary>join_request: the node answers the offer with its feature set.</summary>
public sealed record JoinRequest(int JoinId, string FeatureSet) : ControllerMessage;

/// <summary>join_ack_nack: the DC finalizes (or refuses) the node's join.</summary>
public sealed record JoinAck(int JoinId, bool Accepted, string? Reason = null) : ControllerMessage;

/// <summary>join_confirm: the node's executor history follows (the shell attaches it).</summary>
public sealed record JoinConfirm(int JoinId) : ControllerMessage;

/// <summary>
/// The DC asks a node's controller to run one action of the graph. <see cref="Agent"/> and
/// <see cref="Attributes"/> are the graph action's agent and its attributes (resource parameters
/// and CRM_meta_* values) as the scheduler wrote them, so the node needs no CIB lookup to run it.
/// </summary>
public sealed record ActionRequest(TransitionKey Key, string ResourceId, string Operation, TimeSpan Interval) : ControllerMessage
{
    public ActionAgent? Agent { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    /// <summary>One attribute's value, or null.</summary>
    public string? Attribute(string name)
    {
        foreach (var (k, v) in Attributes)
            if (k == name) return v;
        return null;
    }

    // Value equality over the attribute list (records compare lists by reference).
    public bool Equals(ActionRequest? other) =>
        other is not null && Key == other.Key && ResourceId == other.ResourceId && Operation == other.Operation
        && Interval == other.Interval && Agent == other.Agent && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Key, ResourceId, Operation, Interval);
}

/// <summary>The resource agent of an <see cref="ActionRequest"/>: class, provider, type (ocf:heartbeat:IPaddr2).</summary>
public sealed record ActionAgent(string Class, string? Provider, string Type);

/// <summary>A node's controller tells the DC how an action ended.</summary>
public sealed record ActionResult(TransitionKey Key, int OpStatus, int Rc) : ControllerMessage;
