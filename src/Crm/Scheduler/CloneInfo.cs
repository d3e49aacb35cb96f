using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// Clone model (see SchedulerRun.Clone.cs for how it is built).
/// <para>
/// A &lt;clone&gt; (or legacy &lt;master&gt;) becomes one <see cref="WorkResource"/> whose
/// <see cref="WorkResource.Clone"/> is a <see cref="CloneInfo"/>: its meta (clone-max, clone-node-max,
/// globally-unique, interleave, ordered, notify, promotable, promoted-max, promoted-node-max,
/// clone-min) and its instances in number order. An instance is a primitive <c>rsc:N</c>
/// (Parent = the clone) or, for a cloned group, a group <c>grp:N</c> (Parent = the clone) whose
/// children are <c>a:N</c>, <c>b:N</c> (Parent = the group instance). Every instance and every
/// member of a group instance carries a <see cref="CloneInstance"/> (its clone, its number, its
/// configured id). Instance primitives are ordinary scheduler primitives: they live in
/// <c>Primitives</c> and <c>ById</c> under their instance id, so history, scores and actions work
/// per instance; the configured child id (and the members' ids) map to the clone in <c>ById</c>,
/// so constraints naming the child act on the clone.
/// </para>
/// <para>
/// History: an anonymous clone's lrm entry <c>rsc</c> or <c>rsc:N</c> is matched, node by node in
/// status order, to the instance already active on that node (cloned groups), else to the first
/// instance active nowhere; the number in the entry is ignored, as Pacemaker ignores it. A second
/// active entry on one node, or no free instance, makes an orphan instance numbered after the
/// last. A globally-unique clone's entry <c>rsc:N</c> names its instance exactly; beyond
/// clone-max it is a top-level orphan. The id the history used is kept per node in
/// <see cref="CloneInstance.HistoryIds"/> (the simulator writes results under it).
/// </para>
/// <para>
/// Roles: <see cref="WorkResource.CurrentRole"/> (from history) and <see cref="WorkResource.NextRole"/>
/// (Started after allocation) live on each instance primitive; the promotion step (promotable clones)
/// sets NextRole to Promoted/Unpromoted via <c>SchedulerRun.AssignCloneRoles</c>.
/// </para>
/// </summary>
public sealed class CloneInfo
{
    internal CloneInfo(CibClone config) { Config = config; }

    public CibClone Config { get; }
    /// <summary>The configured child (primitive or group) id, e.g. "rsc" in "Clone Set: c [rsc]".</summary>
    public string ChildId => Config.Child.Id;
    public bool ChildIsGroup => Config.Child is CibGroup;
    public bool Unique { get; internal set; }
    public bool Promotable { get; internal set; }
    public bool Interleave { get; internal set; }
    public bool Ordered { get; internal set; }
    public bool Notify { get; internal set; }
    public int CloneMax { get; internal set; }
    public int CloneNodeMax { get; internal set; } = 1;
    public int CloneMin { get; internal set; }
    public int PromotedMax { get; internal set; } = 1;
    public int PromotedNodeMax { get; internal set; } = 1;
    /// <summary>Instances in number order; orphans found in the history come last.</summary>
    public List<WorkResource> Instances { get; } = [];
    internal int NextNumber;
}

/// <summary>Membership of a resource in a clone: an instance or a member of a group instance.</summary>
public sealed class CloneInstance(WorkResource clone, int number, string baseId)
{
    /// <summary>The clone resource.</summary>
    public WorkResource Clone { get; } = clone;
    public int Number { get; } = number;
    /// <summary>The configured id without the ":N" suffix.</summary>
    public string BaseId { get; } = baseId;
    /// <summary>Per node, the lrm_resource id the history used for this instance.</summary>
    public Dictionary<WorkNode, string> HistoryIds { get; } = [];
    /// <summary>The last history id mapped to this instance that differs from its own id
    /// (Pacemaker's clone_name): the graph names the instance's operations by it.</summary>
    public string? CloneName { get; internal set; }
}
