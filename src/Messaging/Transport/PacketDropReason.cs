namespace Cluster.Messaging.Transport;

/// <summary>
/// Why an incoming datagram was dropped before the protocol saw it. Every drop is counted by
/// reason (exposed in cmap and <c>corosync-cfgtool -s</c>), never silently ignored.
/// </summary>
public enum PacketDropReason
{
    /// <summary>Shorter than the smallest valid frame for the active framing.</summary>
    Truncated,
    /// <summary>Unknown envelope version or cipher suite, or a plaintext frame while crypto is on.</summary>
    UnsupportedEnvelope,
    /// <summary>The claimed sender node id is not in the nodelist.</summary>
    UnknownSender,
    /// <summary>The source IP is not any configured member's address (block_unlisted_ips).</summary>
    UnlistedSource,
    /// <summary>The authenticated sender does not own the source IP the datagram came from.</summary>
    SourceMismatch,
    /// <summary>The AEAD tag did not verify (wrong authkey, corruption or forgery).</summary>
    AuthenticationFailed,
    /// <summary>A counter already seen in the sender's replay window.</summary>
    Replay,
    /// <summary>A counter below the sender's replay window, or an epoch older than the sender's current one.</summary>
    TooOld,
    /// <summary>The transport header inside the envelope names another sender than the envelope.</summary>
    InnerSenderMismatch,
    /// <summary>A transport control frame (knet-style ping/pong) with an unknown type or bad layout.</summary>
    Malformed,
}
