using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>Scheduler working state of one resource (primitive or group).</summary>
public sealed class WorkResource
{
    internal WorkResource(string id, CibPrimitive? primitive, int configIndex)
    {
        Id = id;
        Primitive = primitive;
        ConfigIndex = configIndex;
    }

    public string Id { get; }
    /// <summary>Null for a group or a clone.</summary>
    public CibPrimitive? Primitive { get; }
    public bool IsGroup => Primitive is null && Clone is null;
    /// <summary>Set on a clone (see CloneInfo): its meta and its instances.</summary>
    public CloneInfo? Clone { get; internal set; }
    public bool IsClone => Clone is not null;
    /// <summary>Set on a clone instance (primitive or group) and on the members of a cloned group's instance.</summary>
    public CloneInstance? Instance { get; internal set; }
    public int ConfigIndex { get; }
    public WorkResource? Parent { get; internal set; }
    public List<WorkResource> Children { get; } = [];
    public Dictionary<string, string> Meta { get; internal set; } = new(StringComparer.Ordinal);

    public int Priority { get; internal set; }
    public Score Stickiness { get; internal set; }
    public Role TargetRole { get; internal set; } = Role.Unknown;
    /// <summary>A failure with on-fail=stop: kept stopped like target-role=Stopped, but not shown as disabled.</summary>
    public bool StopOnFail { get; internal set; }
    /// <summary>In maintenance (its own meta or maintenance-mode): not even monitored.</summary>
    public bool InMaintenance { get; internal set; }
    public bool Managed { get; internal set; } = true;
    /// <summary>Frozen only because stonith is enabled without a fencing device: Pacemaker then
    /// schedules nothing for it, yet still shows it as managed.</summary>
    public bool StartupDisabled { get; internal set; }
    /// <summary>Shown "(unmanaged)" in status output.</summary>
    public bool ShownUnmanaged => !Managed && !StartupDisabled;
    public bool Orphan { get; internal set; }
    public bool Failed { get; internal set; }
    public bool Blocked { get; internal set; }
    public bool FailureIgnored { get; internal set; }
    /// <summary>The rc of a probe failure Pacemaker treats as "not running" (not installed,
    /// invalid parameter), shown beside the stopped resource.</summary>
    public int? MaskedProbeRc { get; internal set; }
    /// <summary>The operation its history shows in flight (the last one), and where.</summary>
    public PendingTask Pending { get; internal set; }
    public WorkNode? PendingOn { get; internal set; }

    /// <summary>Drops the in-flight operation from what status output shows (the role stays).</summary>
    public void ForgetPending()
    {
        Pending = PendingTask.None;
        PendingOn = null;
    }
    public bool IsStonith => Primitive?.Class == "stonith";
    public long MigrationThreshold { get; internal set; } = Score.InfinityValue;
    public long FailureTimeoutMs { get; internal set; }
    public string MultipleActive { get; internal set; } = "stop_start";
    public string Requires { get; internal set; } = "fencing";

    /// <summary>Nodes where the resource is (possibly) active, in discovery order.</summary>
    public List<WorkNode> RunningOn { get; } = [];
    public Role CurrentRole { get; internal set; } = Role.Stopped;
    /// <summary>Nodes that hold any history (so need no probe).</summary>
    public HashSet<WorkNode> KnownOn { get; } = [];
    /// <summary>Nodes where a failure was recorded (displayed FAILED).</summary>
    public HashSet<WorkNode> FailedOn { get; } = [];
    /// <summary>Nodes where a stop failed and could not be recovered by fencing.</summary>
    public HashSet<WorkNode> BlockedOn { get; } = [];
    /// <summary>Restart required: definition change or similar.</summary>
    public string? RestartReason { get; internal set; }
    /// <summary>Restart required without a reason of its own (the agent changed, a reload over a pending start).</summary>
    public bool ForcedRestart { get; internal set; }
    /// <summary>Where the agent reloads its changed parameters (unless a restart is needed anyway).</summary>
    public WorkNode? ReloadOn { get; internal set; }

    internal Score[] Scores = [];
    internal bool Assigning;
    internal bool Provisional = true;
    public WorkNode? AssignedNode { get; internal set; }
    public Role NextRole { get; internal set; } = Role.Unknown;

    internal readonly List<WorkColocation> ColocationsAsDependent = [];
    internal readonly List<WorkColocation> ColocationsAsPrimary = [];
    internal readonly List<ScheduledAction> Actions = [];

    public WorkResource Top => Parent is null ? this : Parent.Top;

    public bool Active => RunningOn.Count > 0;

    /// <summary>The node Pacemaker treats as "current": the first active node, or for resources
    /// that need no fencing the first clean one.</summary>
    public WorkNode? CurrentNode
    {
        get
        {
            if (RunningOn.Count == 0) return null;
            if (Requires != "fencing")
                foreach (var n in RunningOn)
                    if (n.Online && !n.Unclean) return n;
            return RunningOn[0];
        }
    }

    /// <summary>Active on more than one clean node.</summary>
    public bool MultiplyActive => RunningOn.Count(n => n.Online && !n.Unclean) > 1;

    public override string ToString() => Id;
}

/// <summary>A colocation between two working resources (dependent with primary).</summary>
internal sealed record WorkColocation(string Id, WorkResource Dependent, WorkResource Primary, Score Score,
    Role DependentRole, Role PrimaryRole, string NodeAttribute, bool Influence)
{
    /// <summary>The resources as the constraint names them (a group, not its representative member).</summary>
    public WorkResource NamedDependent { get; init; } = Dependent;
    public WorkResource NamedPrimary { get; init; } = Primary;
}
