namespace Cluster.Crm.Scheduler;

/// <summary>Scheduler working state of one node.</summary>
public sealed class WorkNode(int index, string id, string uname)
{
    public int Index { get; } = index;
    public string Id { get; } = id;
    public string Uname { get; } = uname;
    public bool Online { get; internal set; }
    public bool Unclean { get; internal set; }
    /// <summary>
    /// Status output calls an unclean node "online" when it is still in the membership but its
    /// controller is gone or was refused ("UNCLEAN (online)"), though nothing may run there.
    /// </summary>
    public bool ShownOnline { get; internal set; }
    public bool Unseen { get; internal set; }
    public bool Pending { get; internal set; }
    public bool Standby { get; internal set; }
    public bool StandbyOnFail { get; internal set; }
    public bool Maintenance { get; internal set; }
    public bool Shutdown { get; internal set; }
    public bool ExpectedUp { get; internal set; }
    public string? FenceReason { get; internal set; }
    /// <summary>When its fencing was decided while unpacking (down nodes only); null otherwise.</summary>
    internal int? FenceOrder { get; set; }
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
    internal int AssignedCount;

    /// <summary>Can new resources be placed here?</summary>
    public bool Available => Online && !Unclean && !Standby && !Shutdown && !Maintenance && !Pending;

    public override string ToString() => Uname;
}
