namespace Cluster.Messaging.Config;

/// <summary>One <c>totem { interface { } }</c> block: the settings of one link.</summary>
public sealed record InterfaceConfig(byte LinkNumber, ConfSettings Values)
{
    public string? BindNetAddr => Values.Str("bindnetaddr");
    public string? McastAddr => Values.Str("mcastaddr");
    public ushort McastPort => (ushort)(Values.U32("mcastport") ?? TotemDefaults.McastPort);
    public byte Ttl => (byte)(Values.U32("ttl") ?? 1);
    public bool Broadcast => Values.Flag("broadcast") ?? false;
    public byte KnetLinkPriority => (byte)(Values.U32("knet_link_priority") ?? 1);
    public uint? KnetPingInterval => Values.U32("knet_ping_interval");
    public uint? KnetPingTimeout => Values.U32("knet_ping_timeout");
    public uint KnetPingPrecision => Values.U32("knet_ping_precision") ?? TotemDefaults.KnetPingPrecision;
    public uint KnetPongCount => Values.U32("knet_pong_count") ?? TotemDefaults.KnetPongCount;
    public string KnetTransport => Values.Str("knet_transport") ?? "udp";
}
