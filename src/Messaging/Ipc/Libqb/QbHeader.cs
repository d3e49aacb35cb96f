using System.Buffers.Binary;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// libqb's message headers (qb_ipc_request_header / qb_ipc_response_header): every field an i32
/// on an 8-byte boundary, little-endian on x86_64. The holes between fields carry garbage in
/// real traffic, so readers never look at them and writers zero them.
/// </summary>
public static class QbHeader
{
    public const int RequestSize = 16;
    public const int ResponseSize = 24;

    /// <summary>The handshake's id (QB_IPC_MSG_AUTHENTICATE).</summary>
    public const int Authenticate = -1;

    /// <summary>A client's "I am going away" (QB_IPC_MSG_DISCONNECT); libqb 2.0.6 never sends it, but it must end the connection.</summary>
    public const int Disconnect = -3;

    public static int Id(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message);

    public static int Size(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message[8..]);

    public static int Error(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadInt32LittleEndian(message[16..]);

    /// <summary>A zeroed message of <paramref name="size"/> bytes with a response header (id, size, error).</summary>
    public static byte[] Response(int id, int size, int error)
    {
        if (size < ResponseSize)
            throw new ArgumentOutOfRangeException(nameof(size), size, "a response is at least its 24-byte header");
        var b = new byte[size];
        WriteResponse(b, id, size, error);
        return b;
    }

    public static void WriteResponse(Span<byte> b, int id, int size, int error)
    {
        BinaryPrimitives.WriteInt32LittleEndian(b, id);
        BinaryPrimitives.WriteInt32LittleEndian(b[8..], size);
        BinaryPrimitives.WriteInt32LittleEndian(b[16..], error);
    }

    /// <summary>A request header, as clients (and our tests) write it.</summary>
    public static byte[] Request(int id, int size)
    {
        var b = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(b, id);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(8), size);
        return b;
    }
}
