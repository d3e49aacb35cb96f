namespace Cluster.Messaging.Ipc.Libqb;

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
