using System.Buffers.Binary;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Sync;

/// <summary>What a service frame carries.</summary>
public enum FrameKind : byte
{
    Exec = 0,
    SyncData = 1,
    Barrier = 2,
}

/// <summary>
/// The envelope of every message the services put through Totem:
/// <c>u8 kind, u16 service, u16 function, [u32 ring rep, u64 ring seq for sync kinds], payload</c>,
/// little-endian. Sync frames carry their ring id so frames of an aborted sync are discarded.
/// </summary>
public readonly record struct ServiceFrame(FrameKind Kind, ServiceId Service, ushort Function, RingId Ring, ReadOnlyMemory<byte> Payload)
{
    private const int ExecHeader = 5;
    private const int SyncHeader = 17;

    public byte[] Encode()
    {
        int header = Kind == FrameKind.Exec ? ExecHeader : SyncHeader;
        var b = new byte[header + Payload.Length];
        b[0] = (byte)Kind;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(1), (ushort)Service);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(3), Function);
        if (Kind != FrameKind.Exec)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(5), Ring.Representative.Value);
            BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(9), Ring.Sequence);
        }
        Payload.Span.CopyTo(b.AsSpan(header));
        return b;
    }

    public static bool TryDecode(ReadOnlyMemory<byte> frame, out ServiceFrame decoded)
    {
        decoded = default;
        var s = frame.Span;
        if (s.Length < ExecHeader || s[0] > (byte)FrameKind.Barrier)
            return false;
        var kind = (FrameKind)s[0];
        var service = (ServiceId)BinaryPrimitives.ReadUInt16LittleEndian(s[1..]);
        var function = BinaryPrimitives.ReadUInt16LittleEndian(s[3..]);
        if (kind == FrameKind.Exec)
        {
            decoded = new ServiceFrame(kind, service, function, default, frame[ExecHeader..]);
            return true;
        }
        if (s.Length < SyncHeader)
            return false;
        var ring = new RingId(new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(s[5..])), BinaryPrimitives.ReadUInt64LittleEndian(s[9..]));
        decoded = new ServiceFrame(kind, service, function, ring, frame[SyncHeader..]);
        return true;
    }
}
