namespace Cluster.Crm.Controller;

/// <summary>
/// What the controller knows of membership: corosync's members (node_state <c>in_ccm</c>), the
/// members of the <c>crmd</c> group (controllers that are up: <c>crmd="online"</c>), and quorum.
/// <paramref name="Rejoined"/> names the <c>crmd</c> members that left and came back within this
/// one change (a short partition: CPG reports them as both left and joined): they lost the
/// messages of the gap and may have elected a DC of their own, so they count as gone and new.
/// </summary>
public sealed record ControllerMembership(IReadOnlySet<string> Ccm, IReadOnlySet<string> Crmd, bool Quorate,
    IReadOnlySet<string>? Rejoined = null)
{
    /// <summary>A membership where every node is in both corosync and the crmd group.</summary>
    public static ControllerMembership Of(IEnumerable<string> nodes, bool quorate = true)
    {
        var set = new SortedSet<string>(nodes, StringComparer.Ordinal);
        return new ControllerMembership(set, set, quorate);
    }
}
