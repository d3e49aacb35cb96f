namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>CPG's IPC ids (corosync ipc_cpg.h) and iteration types.</summary>
public static class CpgWire
{
    public const int Join = 0, Leave = 1, Mcast = 2, Membership = 3, LocalGet = 4, IterationInitialize = 5, IterationNext = 6, IterationFinalize = 7,
        Finalize = 8, ZcAlloc = 9, ZcFree = 10, ZcExecute = 11, PartialMcast = 12;

    public const int JoinReply = 0, LeaveReply = 1, MembershipReply = 3, ConfchgCallback = 4, DeliverCallback = 5, LocalGetReply = 7,
        IterationInitializeReply = 9, IterationNextReply = 10, IterationFinalizeReply = 11, FinalizeReply = 12, TotemConfchgCallback = 13;

    public const int IterationNameOnly = 1, IterationOneGroup = 2, IterationAll = 3;

    /// <summary>JOIN flag asking for the current totem configuration at once.</summary>
    public const uint ModelInitialTotemConf = 1;

    /// <summary>MEMBERSHIP replies always carry PROCESSOR_COUNT_MAX (384) slots.</summary>
    public const int MaxMembers = 384;
}
