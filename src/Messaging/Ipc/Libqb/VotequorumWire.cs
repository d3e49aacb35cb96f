namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>votequorum's IPC ids (corosync ipc_votequorum.h) and GETINFO flags.</summary>
public static class VotequorumWire
{
    public const int GetInfo = 0, SetExpected = 1, SetVotes = 2, TrackStart = 3, TrackStop = 4;

    public const int Status = 0, GetInfoReply = 1, QuorumNotification = 3, NodelistNotification = 5;

    public const uint FlagTwoNode = 1, FlagQuorate = 2, FlagWaitForAll = 4, FlagLastManStanding = 8, FlagAutoTieBreaker = 16, FlagAllowDownscale = 32;

    public const uint StateMember = 1, StateDead = 2;
}
