using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Crypto;

/// <summary>
/// Key derivation for the envelope: HKDF-SHA256 over the authkey, salted with the envelope
/// version and cluster name, with one key per (sender, epoch). A per-sender, per-boot key is
/// what lets the 96-bit GCM nonce be just the sender's packet counter without two senders
/// (or two boots of one sender) ever sharing a (key, nonce) pair.
/// </summary>
public static class EnvelopeKeys
{
    public const int KeyLength = 32;
    private static readonly byte[] SaltPrefix = Encoding.ASCII.GetBytes("corosync-cs/v1");
    private static readonly byte[] InfoPrefix = Encoding.ASCII.GetBytes("totem-enc/aes256gcm/");

    public static byte[] Derive(ReadOnlySpan<byte> authKey, string clusterName, NodeId sender, ulong epoch)
    {
        var name = Encoding.UTF8.GetBytes(clusterName);
        var salt = new byte[SaltPrefix.Length + name.Length];
        SaltPrefix.CopyTo(salt, 0);
        name.CopyTo(salt, SaltPrefix.Length);

        Span<byte> info = stackalloc byte[InfoPrefix.Length + 12];
        InfoPrefix.CopyTo(info);
        BinaryPrimitives.WriteUInt32LittleEndian(info[InfoPrefix.Length..], sender.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(info[(InfoPrefix.Length + 4)..], epoch);

        var key = new byte[KeyLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, authKey, key, salt, info);
        return key;
    }
}
