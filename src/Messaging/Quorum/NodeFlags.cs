namespace Cluster.Messaging.Quorum;

/// <summary>votequorum's per-node flags as carried in NODEINFO.</summary>
[Flags]
public enum NodeFlags : uint
{
    None = 0,
    Quorate = 1,
    Leaving = 2,
    WaitForAllStatus = 4,
    First = 8,
    QdeviceRegistered = 16,
    QdeviceAlive = 32,
    QdeviceCastVote = 64,
    QdeviceMasterWins = 128,
}

/// <summary>A node's state as votequorum tracks it.</summary>
public enum NodeState
{
    Member,
    Dead,
    Leaving,
}
