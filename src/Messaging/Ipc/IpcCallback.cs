namespace Cluster.Messaging.Ipc;

/// <summary>A message the daemon sends unasked, because the client tracks or joined something.</summary>
public abstract record IpcCallback : IpcDaemonMessage;

/// <summary>A tracked cmap key changed; <see cref="Change"/> is add, delete or modify; Type/Value are absent on delete.</summary>
public sealed record CmapTrackCallback(long TrackId, string Key, string Change, string? Type, string? Value) : IpcCallback;

public sealed record QuorumEventCallback(bool Quorate, string RingId, List<uint> Nodes) : IpcCallback;

public sealed record CpgConfchgCallback(string Group, List<CpgMemberInfo> Members, List<CpgMemberInfo> Left, List<CpgMemberInfo> Joined) : IpcCallback;

public sealed record CpgDeliverCallback(string Group, uint NodeId, uint Pid, byte[] Data) : IpcCallback;

public sealed record CpgTotemCallback(string RingId, List<uint> Nodes) : IpcCallback;
