namespace Cluster.Messaging.Crypto;

/// <summary>
/// What the crypto envelope needs: the authkey bytes (the whole file, 128..4096 bytes) and the
/// cluster name, which salts the key derivation so two clusters sharing a key still differ.
/// Any corosync crypto_cipher/crypto_hash other than none, or legacy secauth: on, maps to
/// this one AEAD suite.
/// </summary>
public sealed record CryptoOptions(ReadOnlyMemory<byte> AuthKey, string ClusterName)
{
    public const int MinKeyLength = 128;
    public const int MaxKeyLength = 4096;

    /// <summary>Throws <see cref="ArgumentException"/> naming the problem when the key is unusable.</summary>
    public void Validate()
    {
        if (AuthKey.Length < MinKeyLength)
            throw new ArgumentException($"authkey is {AuthKey.Length} bytes; at least {MinKeyLength} are required", nameof(AuthKey));
        if (AuthKey.Length > MaxKeyLength)
            throw new ArgumentException($"authkey is {AuthKey.Length} bytes; at most {MaxKeyLength} are allowed", nameof(AuthKey));
    }
}
