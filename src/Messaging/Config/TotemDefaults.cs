namespace Cluster.Messaging.Config;

/// <summary>corosync 3.1.7's totem defaults and limits (man corosync.conf, observed in cmap).</summary>
public static class TotemDefaults
{
    public const uint Version = 2;
    public const uint Token = 3000;
    public const uint TokenCoefficient = 650;
    public const uint TokenRetransmitsBeforeLossConst = 4;
    public const uint Join = 50;
    public const uint SendJoin = 0;
    public const uint Merge = 200;
    public const uint Downcheck = 1000;
    public const uint FailRecvConst = 2500;
    public const uint SeqnoUnchangedConst = 30;
    public const uint MissCountConst = 5;
    public const uint WindowSize = 50;
    public const uint MaxMessages = 17;
    public const uint MaxNetworkDelay = 50;
    public const uint HeartbeatFailuresAllowed = 0;
    public const uint TokenWarning = 75;
    public const uint KnetPmtudInterval = 30;
    public const uint KnetMtu = 0;
    public const uint KnetCompressionThreshold = 0;
    public const int KnetCompressionLevel = 0;
    public const string KnetCompressionModel = "none";
    public const uint KnetPingPrecision = 2048;
    public const uint KnetPongCount = 2;
    public const uint NetMtuUdp = 1500;
    public const uint NetMtuKnet = 65536;
    public const ushort McastPort = 5405;

    /// <summary>Kernel tick the real derivations assume (HZ = 100, so 1000/HZ = 10 ms).</summary>
    public const uint TickMs = 10;

    /// <summary>Minimum for token, token_retransmit, join, consensus, merge, downcheck, max_network_delay: (1000/HZ)*3.</summary>
    public const uint MinimumTimeout = TickMs * 3;

    /// <summary>Minimum token hold.</summary>
    public const uint MinimumHold = 14;
}
