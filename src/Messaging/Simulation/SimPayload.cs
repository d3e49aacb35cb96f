using System.Buffers.Binary;

namespace Cluster.Messaging.Simulation;

/// <summary>
/// Application messages of the simulation: every message of 16 bytes or more carries its
/// originator, a per-originator counter and its size, followed by filler derived from them, so a
/// receiver can prove it was submitted byte for byte. 0-byte messages carry nothing.
/// </summary>
public static class SimPayload
{
    public const int TagSize = 16;

    public static byte[] Create(uint node, long counter, int size)
    {
        var b = new byte[size];
        if (size < TagSize) return b;
        BinaryPrimitives.WriteUInt32LittleEndian(b, node);
        BinaryPrimitives.WriteInt64LittleEndian(b.AsSpan(4), counter);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(12), size);
        Fill(b.AsSpan(TagSize), node, counter);
        return b;
    }

    private static void Fill(Span<byte> span, uint node, long counter)
    {
        var rng = new SplitMix64(SplitMix64.Mix(node, (ulong)counter));
        int i = 0;
        for (; i + 8 <= span.Length; i += 8) BinaryPrimitives.WriteUInt64LittleEndian(span[i..], rng.Next());
        if (i < span.Length)
        {
            var last = rng.Next();
            for (; i < span.Length; i++, last >>= 8) span[i] = (byte)last;
        }
    }

    /// <summary>Reads the tag of a delivered message and checks its content; null for an untagged (0-byte) message.</summary>
    public static (uint Node, long Counter)? Identify(ReadOnlySpan<byte> payload, out string? corruption)
    {
        corruption = null;
        if (payload.Length == 0) return null;
        if (payload.Length < TagSize) { corruption = $"{payload.Length}-byte message was never submitted (sizes are 0 or >= {TagSize})"; return null; }
        var node = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        var counter = BinaryPrimitives.ReadInt64LittleEndian(payload[4..]);
        var size = BinaryPrimitives.ReadInt32LittleEndian(payload[12..]);
        if (size != payload.Length) { corruption = $"message {node}:{counter} has {payload.Length} bytes, submitted with {size}"; return (node, counter); }
        Span<byte> expect = payload.Length - TagSize <= 4096 ? stackalloc byte[payload.Length - TagSize] : new byte[payload.Length - TagSize];
        Fill(expect, node, counter);
        if (!expect.SequenceEqual(payload[TagSize..])) corruption = $"message {node}:{counter} content differs from what was submitted";
        return (node, counter);
    }
}
