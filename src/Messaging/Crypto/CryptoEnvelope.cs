using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Security.Cryptography;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Crypto;

/// <summary>
/// The authenticated-encryption envelope every transport wraps its datagrams in when crypto is
/// on (messaging-spec §5.4):
/// <code>
/// u8 version=1 | u8 suite=1 (AES-256-GCM) | u32 sender | u64 epoch | u64 counter | ciphertext | tag[16]
/// </code>
/// all little-endian; the 22-byte header is the associated data. The GCM nonce is
/// <c>00000000 ‖ counter</c> under a key derived per (sender, epoch) (<see cref="EnvelopeKeys"/>),
/// so it is unique without being sent. The epoch is chosen at start-up and only grows across
/// boots (wall-clock milliseconds plus random bits); each sender has a replay window.
/// Receiving checks, cheapest first and before any parsing of the content: length, version and
/// suite, sender in the nodelist, sender owning the source address, replay window, tag.
/// </summary>
public sealed class CryptoEnvelope : IDisposable
{
    public const byte Version = 1;
    public const byte SuiteAes256Gcm = 1;
    public const int HeaderSize = 22;
    public const int TagSize = 16;
    public const int Overhead = HeaderSize + TagSize;

    private readonly byte[] _authKey;
    private readonly string _clusterName;
    private readonly FrozenDictionary<NodeId, SenderState> _senders;
    private readonly object _sealGate = new();
    private readonly AesGcm _sealCipher;
    private ulong _sealCounter;
    private bool _disposed;

    public CryptoEnvelope(CryptoOptions options, NodeId localNode, IEnumerable<NodeId> members, ulong epoch)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!AesGcm.IsSupported)
            throw new PlatformNotSupportedException("AES-GCM is not available on this platform; crypto cannot be enabled");
        _authKey = options.AuthKey.ToArray();
        _clusterName = options.ClusterName;
        LocalNode = localNode;
        Epoch = epoch;
        _senders = members.Distinct().ToFrozenDictionary(id => id, _ => new SenderState());
        if (!_senders.ContainsKey(localNode))
            throw new ArgumentException($"local node {localNode} is not in the nodelist", nameof(localNode));
        _sealCipher = new AesGcm(EnvelopeKeys.Derive(_authKey, _clusterName, localNode, epoch), TagSize);
    }

    public NodeId LocalNode { get; }

    /// <summary>This boot's epoch; peers reject anything older from us once they have seen it.</summary>
    public ulong Epoch { get; }

    /// <summary>
    /// A fresh epoch: milliseconds since the Unix epoch in the high 48 bits, random low 16 bits,
    /// so a restarted node's epoch is larger than its previous one while the clock is sane and
    /// two starts in the same millisecond still differ.
    /// </summary>
    public static ulong NewEpoch(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var ms = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        return (ms << 16) | (uint)RandomNumberGenerator.GetInt32(0, 1 << 16);
    }

    public static int SealedLength(int plaintextLength) => plaintextLength + Overhead;

    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="destination"/>; returns the bytes written. Thread-safe.</summary>
    public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        var length = SealedLength(plaintext.Length);
        if (destination.Length < length)
            throw new ArgumentException($"destination holds {destination.Length} bytes; {length} needed", nameof(destination));
        var header = destination[..HeaderSize];
        header[0] = Version;
        header[1] = SuiteAes256Gcm;
        BinaryPrimitives.WriteUInt32LittleEndian(header[2..], LocalNode.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(header[6..], Epoch);
        Span<byte> nonce = stackalloc byte[12];
        lock (_sealGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var counter = ++_sealCounter;
            BinaryPrimitives.WriteUInt64LittleEndian(header[14..], counter);
            WriteNonce(nonce, counter);
            _sealCipher.Encrypt(nonce, plaintext,
                destination.Slice(HeaderSize, plaintext.Length),
                destination.Slice(HeaderSize + plaintext.Length, TagSize),
                header);
        }
        return length;
    }

    /// <summary>Reads the claimed sender without authenticating anything (for source checks and routing).</summary>
    public static bool TryPeekSender(ReadOnlySpan<byte> packet, out NodeId sender)
    {
        sender = default;
        if (packet.Length < HeaderSize) return false;
        sender = new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(packet[2..]));
        return true;
    }

    /// <summary>
    /// Authenticates and decrypts one datagram. <paramref name="sourceOwner"/> is the node that owns
    /// the datagram's source address (null: not checked). On failure, <paramref name="reason"/>
    /// says why and nothing about the sender's state has changed. Thread-safe.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> packet, Span<byte> plaintext, NodeId? sourceOwner,
        out NodeId sender, out int plaintextLength, out PacketDropReason reason)
    {
        sender = default;
        plaintextLength = 0;
        if (packet.Length < Overhead)
        {
            reason = PacketDropReason.Truncated;
            return false;
        }
        if (packet[0] != Version || packet[1] != SuiteAes256Gcm)
        {
            reason = PacketDropReason.UnsupportedEnvelope;
            return false;
        }
        var header = packet[..HeaderSize];
        sender = new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(header[2..]));
        var epoch = BinaryPrimitives.ReadUInt64LittleEndian(header[6..]);
        var counter = BinaryPrimitives.ReadUInt64LittleEndian(header[14..]);
        if (!_senders.TryGetValue(sender, out var state))
        {
            reason = PacketDropReason.UnknownSender;
            return false;
        }
        if (sourceOwner is { } owner && owner != sender)
        {
            reason = PacketDropReason.SourceMismatch;
            return false;
        }
        var bodyLength = packet.Length - Overhead;
        if (plaintext.Length < bodyLength)
            throw new ArgumentException($"plaintext buffer holds {plaintext.Length} bytes; {bodyLength} needed", nameof(plaintext));

        Span<byte> nonce = stackalloc byte[12];
        WriteNonce(nonce, counter);
        var ciphertext = packet.Slice(HeaderSize, bodyLength);
        var tag = packet.Slice(HeaderSize + bodyLength, TagSize);
        var output = plaintext[..bodyLength];

        lock (state)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            AesGcm cipher;
            var newEpoch = false;
            if (state.Cipher is not null && epoch == state.Epoch)
            {
                switch (state.Window.Check(counter))
                {
                    case ReplayVerdict.Replay:
                        reason = PacketDropReason.Replay;
                        return false;
                    case ReplayVerdict.TooOld:
                        reason = PacketDropReason.TooOld;
                        return false;
                }
                cipher = state.Cipher;
            }
            else if (state.Cipher is not null && epoch < state.Epoch)
            {
                // An older boot of this sender: its packets can only be replays now.
                reason = PacketDropReason.TooOld;
                return false;
            }
            else
            {
                // A first or newer epoch (the sender restarted): derive its key, but switch to it
                // only once a packet under it authenticates.
                if (state.CandidateCipher is null || state.CandidateEpoch != epoch)
                {
                    state.CandidateCipher?.Dispose();
                    state.CandidateCipher = new AesGcm(EnvelopeKeys.Derive(_authKey, _clusterName, sender, epoch), TagSize);
                    state.CandidateEpoch = epoch;
                }
                cipher = state.CandidateCipher;
                newEpoch = true;
            }

            try
            {
                cipher.Decrypt(nonce, ciphertext, tag, output, header);
            }
            catch (AuthenticationTagMismatchException)
            {
                output.Clear();
                reason = PacketDropReason.AuthenticationFailed;
                return false;
            }

            if (newEpoch)
            {
                state.Cipher?.Dispose();
                state.Cipher = state.CandidateCipher;
                state.CandidateCipher = null;
                state.Epoch = epoch;
                state.Window = new ReplayWindow();
            }
            state.Window.Commit(counter);
        }
        plaintextLength = bodyLength;
        reason = default;
        return true;
    }

    private static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(nonce[4..], counter);
    }

    public void Dispose()
    {
        lock (_sealGate)
        {
            if (_disposed) return;
            _disposed = true;
            _sealCipher.Dispose();
        }
        foreach (var state in _senders.Values)
        {
            lock (state)
            {
                state.Cipher?.Dispose();
                state.CandidateCipher?.Dispose();
            }
        }
        CryptographicOperations.ZeroMemory(_authKey);
    }

    private sealed class SenderState
    {
        public ulong Epoch;
        public AesGcm? Cipher;
        public ulong CandidateEpoch;
        public AesGcm? CandidateCipher;
        public ReplayWindow Window = new();
    }
}
