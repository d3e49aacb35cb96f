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

/// <summary>quorum's IPC ids (corosync ipc_quorum.h).</summary>
public static class QuorumWire
{
    public const int GetQuorate = 0, TrackStart = 1, TrackStop = 2, GetQuorumType = 3, ModelGetType = 4;

    public const int GetQuorateReply = 0, TrackStartReply = 1, TrackStopReply = 2, Notification = 3, GetTypeReply = 4, ModelGetTypeReply = 5,
        V1QuorumNotification = 6;

    public const uint TrackCurrent = 1, TrackChanges = 2, TrackChangesOnly = 4;

    /// <summary>QUORUM_SET: a quorum provider is configured.</summary>
    public const uint QuorumSet = 1;
}

/// <summary>votequorum's IPC ids (corosync ipc_votequorum.h) and GETINFO flags.</summary>
public static class VotequorumWire
{
    public const int GetInfo = 0, SetExpected = 1, SetVotes = 2, TrackStart = 3, TrackStop = 4;

    public const int Status = 0, GetInfoReply = 1, QuorumNotification = 3, NodelistNotification = 5;

    public const uint FlagTwoNode = 1, FlagQuorate = 2, FlagWaitForAll = 4, FlagLastManStanding = 8, FlagAutoTieBreaker = 16, FlagAllowDownscale = 32;

    public const uint StateMember = 1, StateDead = 2;
}

/// <summary>cfg's IPC ids (corosync ipc_cfg.h): requests, and the replies' own numbering.</summary>
public static class CfgWire
{
    public const int RingStatusGet = 0, RingReenable = 1, KillNode = 2, TryShutdown = 3, ReplyToShutdown = 4, GetNodeAddrs = 5, LocalGet = 6,
        ReloadConfig = 7, ReopenLogFiles = 8, NodeStatusGet = 9, TrackStart = 10, TrackStop = 11;

    public const int RingStatusGetReply = 0, RingReenableReply = 1, TrackStartReply = 2, TrackStopReply = 3, KillNodeReply = 8, TryShutdownReply = 9,
        TestShutdownEvent = 10, GetNodeAddrsReply = 11, LocalGetReply = 12, ReplyToShutdownReply = 13, ReloadConfigReply = 14, ReopenLogFilesReply = 15,
        NodeStatusGetReply = 16;

    public const uint ShutdownRequest = 0, ShutdownRegardless = 1, ShutdownImmediate = 2;

    public const int NodeStatusV1Size = 4200;
    public const int LinkStatusSize = 520;
    public const int MaxLinks = 8;
}
