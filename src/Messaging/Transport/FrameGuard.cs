using System.Collections.Frozen;
using System.Net;
using Cluster.Common.Diagnostics;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>
/// The checks every transport applies to a datagram before anything parses it, and the
/// matching outbound wrapping: source address against the nodelist (block_unlisted_ips), then,
/// with crypto on, the <see cref="CryptoEnvelope"/> (sender id, source ownership, replay
/// window, tag). Each rejection is counted by reason in <see cref="PacketCounters"/>.
/// </summary>
public sealed class FrameGuard : IDisposable
{
    private readonly FrozenDictionary<IPAddress, NodeId> _owners;
    private readonly bool _blockUnlisted;
    private readonly CryptoEnvelope? _envelope;
    private readonly ILogger? _logger;
    private readonly TimeProvider _time;
    // Anyone who can reach the port can trigger these lines: at most one per interval, with the
    // count of those suppressed, so a flood leaves a trace without filling the disk.
    private readonly LogThrottle _throttle = new(TimeSpan.FromSeconds(10));
    private readonly Lock _throttleLock = new();

    public FrameGuard(TransportOptions options, PacketCounters counters, ulong cryptoEpoch, ILogger? logger = null, TimeProvider? time = null)
    {
        _logger = logger;
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(options);
        Counters = counters;
        _blockUnlisted = options.BlockUnlistedIps;
        var owners = new Dictionary<IPAddress, NodeId>();
        foreach (var (id, addresses) in options.Nodes)
        {
            foreach (var address in addresses)
            {
                if (owners.TryGetValue(Normalize(address), out var other) && other != id)
                    throw new ArgumentException($"address {address} is given to both node {other} and node {id}", nameof(options));
                owners[Normalize(address)] = id;
            }
        }
        _owners = owners.ToFrozenDictionary();
        if (options.Crypto is { } crypto)
            _envelope = new CryptoEnvelope(crypto, options.LocalNode, options.Nodes.Keys, cryptoEpoch);
    }

    public PacketCounters Counters { get; }

    public bool CryptoEnabled => _envelope is not null;

    /// <summary>Bytes a frame of <paramref name="frameLength"/> takes on the wire.</summary>
    public int WireLength(int frameLength) => _envelope is null ? frameLength : CryptoEnvelope.SealedLength(frameLength);

    /// <summary>Writes the wire form of <paramref name="frame"/> into <paramref name="destination"/>; returns its length.</summary>
    public int Protect(ReadOnlySpan<byte> frame, Span<byte> destination)
    {
        if (_envelope is not null) return _envelope.Seal(frame, destination);
        frame.CopyTo(destination);
        return frame.Length;
    }

    /// <summary>The node that owns <paramref name="address"/> in the nodelist, if any.</summary>
    public NodeId? OwnerOf(IPAddress address) =>
        _owners.TryGetValue(Normalize(address), out var id) ? id : null;

    /// <summary>
    /// Checks one datagram. On success returns a copy of the (decrypted) frame the caller owns and
    /// the sender (node id 0 if unknown and unlisted sources are allowed); on failure counts the
    /// drop and returns false.
    /// </summary>
    public bool TryAccept(IPAddress source, ReadOnlySpan<byte> datagram, out NodeId sender, out byte[] frame)
    {
        frame = [];
        var owner = OwnerOf(source);
        sender = owner ?? default;
        if (owner is null && _blockUnlisted)
            return Drop(PacketDropReason.UnlistedSource, source);
        if (_envelope is null)
        {
            if (datagram.IsEmpty) return Drop(PacketDropReason.Truncated);
            frame = datagram.ToArray();
            return true;
        }
        if (datagram.Length < CryptoEnvelope.Overhead) return Drop(PacketDropReason.Truncated);
        var plain = new byte[datagram.Length - CryptoEnvelope.Overhead];
        if (!_envelope.TryOpen(datagram, plain, _blockUnlisted ? owner : null, out sender, out _, out var reason))
            return Drop(reason, source);
        frame = plain;
        return true;
    }

    private bool Drop(PacketDropReason reason, IPAddress? source = null)
    {
        Counters.CountDrop(reason);
        if (_logger is not null && source is not null && reason is not PacketDropReason.Truncated)
        {
            long suppressed;
            lock (_throttleLock)
            {
                if (!_throttle.ShouldLog(_time.GetUtcNow() - DateTimeOffset.UnixEpoch, out suppressed))
                    return false;
            }
            _logger.LogWarning("Dropped a datagram from {Source}: {Reason}{Suppressed}", source, Describe(reason), LogThrottle.Suffix(suppressed));
        }
        return false;
    }

    private static string Describe(PacketDropReason reason) => reason switch
    {
        PacketDropReason.AuthenticationFailed => "authentication failed (wrong authkey, corruption or forgery)",
        PacketDropReason.UnlistedSource => "source address not in the nodelist",
        PacketDropReason.SourceMismatch => "sender does not own its source address",
        PacketDropReason.Replay => "replayed",
        PacketDropReason.TooOld => "older than the sender's replay window",
        PacketDropReason.UnsupportedEnvelope => "not a crypto envelope of ours (plaintext or unknown version)",
        PacketDropReason.UnknownSender => "unknown sender node id",
        _ => reason.ToString(),
    };

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public void Dispose() => _envelope?.Dispose();
}
