namespace Cluster.Messaging.Ipc.Libqb;

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
