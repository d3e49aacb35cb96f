using System.Buffers.Binary;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Transport;

/// <summary>The kinds of datagram the knet-style transport exchanges.</summary>
public enum KnetFrameType : byte
{
    Data = 0,
    Ping = 1,
    Pong = 2,
}

/// <summary>
/// Framing of the knet-style transport (inside the crypto envelope when crypto is on):
/// <code>
/// u8 magic 0x4B | u8 type | u16 reserved 0 | u32 sender | data: Totem frame
///                                                       | ping/pong: u64 stamp | u8 link
/// </code>
/// little-endian. Pings carry the sender's clock stamp, which the pong echoes (room for RTT-based
/// link choice later; today the lowest live link wins).
/// </summary>
public static class KnetFrame
{
    public const byte Magic = 0x4B;
    public const int HeaderSize = 8;
    public const int PingSize = HeaderSize + 9;

    public static void WriteHeader(Span<byte> destination, KnetFrameType type, NodeId sender)
    {
        destination[0] = Magic;
        destination[1] = (byte)type;
        destination[2] = 0;
        destination[3] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], sender.Value);
    }

    public static void WritePing(Span<byte> destination, KnetFrameType type, NodeId sender, long stamp, int link)
    {
        WriteHeader(destination, type, sender);
        BinaryPrimitives.WriteInt64LittleEndian(destination[HeaderSize..], stamp);
        destination[HeaderSize + 8] = (byte)link;
    }

    /// <summary>Parses the header; false with a drop reason when the layout is wrong.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out KnetFrameType type, out NodeId sender, out PacketDropReason reason)
    {
        type = default;
        sender = default;
        if (frame.Length < HeaderSize)
        {
            reason = PacketDropReason.Truncated;
            return false;
        }
        if (frame[0] != Magic || frame[1] > (byte)KnetFrameType.Pong)
        {
            reason = PacketDropReason.Malformed;
            return false;
        }
        type = (KnetFrameType)frame[1];
        sender = new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]));
        if (type != KnetFrameType.Data && frame.Length < PingSize)
        {
            reason = PacketDropReason.Truncated;
            return false;
        }
        reason = default;
        return true;
    }

    public static long ReadStamp(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64LittleEndian(frame[HeaderSize..]);

    public static int ReadLink(ReadOnlySpan<byte> frame) => frame[HeaderSize + 8];
}
