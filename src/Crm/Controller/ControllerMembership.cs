namespace Cluster.Crm.Controller;

/// <summary>
/// What the controller knows of membership: corosync's members (node_state <c>in_ccm</c>), the
/// members of the <c>crmd</c> group (controllers that are up: <c>crmd="online"</c>), and quorum.
/// </summary>
public sealed record ControllerMembership(IReadOnlySet<string> Ccm, IReadOnlySet<string> Crmd, bool Quorate)
{
    /// <summary>A membership where every node is in both corosync and the crmd group.</summary>
    public static ControllerMembership Of(IEnumerable<string> nodes, bool quorate = true)
    {
        var set = new SortedSet<string>(nodes, StringComparer.Ordinal);
        return new ControllerMembership(set, set, quorate);
    }
}
