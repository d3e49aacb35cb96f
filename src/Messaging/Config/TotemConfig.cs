namespace Cluster.Messaging.Config;

/// <summary>The <c>totem { }</c> section's own keys (interfaces are separate), with corosync 3.1 defaults.</summary>
public sealed record TotemConfig(ConfSettings Values)
{
    public uint? Version => Values.U32("version");
    public string? ClusterName => Values.Str("cluster_name");
    public string? ExplicitTransport => Values.Str("transport");
    public string CryptoModel => Values.Str("crypto_model") ?? "nss";

    /// <summary>Legacy 2.x switch; <c>on</c> means aes256 + sha256 unless cipher/hash are given.</summary>
    public bool? SecAuth => Values.Flag("secauth");

    public string CryptoCipher => Values.Str("crypto_cipher") ?? (SecAuth == true ? "aes256" : "none");
    public string CryptoHash => Values.Str("crypto_hash") ?? (SecAuth == true ? "sha256" : "none");

    /// <summary>The authkey is needed (and read) when either a cipher or a hash is on.</summary>
    public bool CryptoEnabled => CryptoCipher != "none" || CryptoHash != "none";

    public string? KeyFile => Values.Str("keyfile");
    public string? Key => Values.Str("key");

    /// <summary>link_mode, else the 2.x rrp_mode it replaces (active/passive map 1:1), else passive.</summary>
    public string LinkMode => Values.Str("link_mode") ?? Values.Str("rrp_mode") switch
    {
        "active" => "active",
        _ => "passive",
    };

    public string? IpVersion => Values.Str("ip_version");
    public uint? NetMtu => Values.U32("netmtu");
    public ulong ConfigVersion => Values.U64("config_version") ?? 0;
    public bool ClearNodeHighBit => Values.Flag("clear_node_high_bit") ?? false;
    public bool BlockUnlistedIps => Values.Flag("block_unlisted_ips") ?? true;
    public bool CancelTokenHoldOnRetransmit => Values.Flag("cancel_token_hold_on_retransmit") ?? false;

    public uint Token => Values.U32("token") ?? TotemDefaults.Token;
    public uint TokenCoefficient => Values.U32("token_coefficient") ?? TotemDefaults.TokenCoefficient;
    public uint? TokenRetransmit => Values.U32("token_retransmit");
    public uint? Hold => Values.U32("hold");
    public uint? Consensus => Values.U32("consensus");
    public uint TokenRetransmitsBeforeLossConst => Values.U32("token_retransmits_before_loss_const") ?? TotemDefaults.TokenRetransmitsBeforeLossConst;
    public uint Join => Values.U32("join") ?? TotemDefaults.Join;
    public uint SendJoin => Values.U32("send_join") ?? TotemDefaults.SendJoin;
    public uint Merge => Values.U32("merge") ?? TotemDefaults.Merge;
    public uint Downcheck => Values.U32("downcheck") ?? TotemDefaults.Downcheck;
    public uint FailRecvConst => Values.U32("fail_recv_const") ?? TotemDefaults.FailRecvConst;
    public uint SeqnoUnchangedConst => Values.U32("seqno_unchanged_const") ?? TotemDefaults.SeqnoUnchangedConst;
    public uint MissCountConst => Values.U32("miss_count_const") ?? TotemDefaults.MissCountConst;
    public uint WindowSize => Values.U32("window_size") ?? TotemDefaults.WindowSize;
    public uint MaxMessages => Values.U32("max_messages") ?? TotemDefaults.MaxMessages;
    public uint MaxNetworkDelay => Values.U32("max_network_delay") ?? TotemDefaults.MaxNetworkDelay;
    public uint HeartbeatFailuresAllowed => Values.U32("heartbeat_failures_allowed") ?? TotemDefaults.HeartbeatFailuresAllowed;
    public uint TokenWarning => Values.U32("token_warning") ?? TotemDefaults.TokenWarning;
    public uint KnetPmtudInterval => Values.U32("knet_pmtud_interval") ?? TotemDefaults.KnetPmtudInterval;
    public uint KnetMtu => Values.U32("knet_mtu") ?? TotemDefaults.KnetMtu;
    public uint KnetCompressionThreshold => Values.U32("knet_compression_threshold") ?? TotemDefaults.KnetCompressionThreshold;
    public int KnetCompressionLevel => Values.I32("knet_compression_level") ?? TotemDefaults.KnetCompressionLevel;
    public string KnetCompressionModel => Values.Str("knet_compression_model") ?? TotemDefaults.KnetCompressionModel;
}
