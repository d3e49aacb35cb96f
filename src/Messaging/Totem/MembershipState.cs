namespace Cluster.Messaging.Totem;

/// <summary>The Totem membership states (corosync numbering), plus the two lifecycle ends.</summary>
public enum MembershipState
{
    NotStarted = 0,
    Operational = 1,
    Gather = 2,
    Commit = 3,
    Recovery = 4,
    Left = 5,
}
