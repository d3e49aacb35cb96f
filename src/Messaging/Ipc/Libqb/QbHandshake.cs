using System.Buffers.Binary;
using System.Text;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>How a connection's messages travel after the handshake (the server chooses).</summary>
public enum QbIpcType
{
    /// <summary>QB_IPC_SOCKET: datagram sockets; enough for the corosync tools.</summary>
    Socket = 0,

    /// <summary>QB_IPC_SHM: three shared-memory rings; what Pacemaker needs (its SO_PEERCRED check).</summary>
    Shm = 1,
}

/// <summary>The 24-byte connection request a libqb client sends on the setup socket.</summary>
public readonly record struct QbConnectRequest(uint MaxMessageSize)
{
    public const int Size = 24;

    /// <summary>Decodes the request, or null with the reason when it is not a libqb handshake.</summary>
    public static QbConnectRequest? Decode(ReadOnlySpan<byte> bytes, out string? error)
    {
        error = null;
        if (bytes.Length != Size)
            error = $"handshake is {bytes.Length} bytes, expected {Size}";
        else if (QbHeader.Id(bytes) != QbHeader.Authenticate)
            error = $"handshake id is {QbHeader.Id(bytes)}, expected -1";
        else if (QbHeader.Size(bytes) != Size)
            error = $"handshake size field is {QbHeader.Size(bytes)}, expected {Size}";
        if (error is not null)
            return null;
        return new QbConnectRequest(BinaryPrimitives.ReadUInt32LittleEndian(bytes[16..]));
    }

    public byte[] Encode()
    {
        var b = QbHeader.Request(QbHeader.Authenticate, Size);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), MaxMessageSize);
        return b;
    }
}

/// <summary>
/// The 12 328-byte connection response: error (0 or a negative errno), the chosen transport, the
/// granted message size and three path strings of PATH_MAX bytes each (their meaning depends on
/// the transport: control file and socket base in socket mode, the three rings in SHM mode).
/// </summary>
public sealed record QbConnectResponse(int Error, QbIpcType Type, uint MaxMessageSize, string Request, string Response, string Event)
{
    public const int Size = 12328;
    private const int PathMax = 4096;
    private const int RequestOffset = 40;

    /// <summary>A refusal: all zero but id, size and the negative errno.</summary>
    public static QbConnectResponse Refusal(int negativeErrno) => new(negativeErrno, QbIpcType.Socket, 0, "", "", "");

    public byte[] Encode()
    {
        var b = QbHeader.Response(QbHeader.Authenticate, Size, Error);
        if (Error != 0)
            return b;
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(24), (int)Type);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), MaxMessageSize);
        WritePath(b.AsSpan(RequestOffset, PathMax), Request);
        WritePath(b.AsSpan(RequestOffset + PathMax, PathMax), Response);
        WritePath(b.AsSpan(RequestOffset + (2 * PathMax), PathMax), Event);
        return b;
    }

    public static QbConnectResponse Decode(ReadOnlySpan<byte> b)
    {
        if (b.Length != Size)
            throw new InvalidDataException($"connection response is {b.Length} bytes, expected {Size}");
        return new QbConnectResponse(QbHeader.Error(b), (QbIpcType)BinaryPrimitives.ReadInt32LittleEndian(b[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(b[28..]), ReadPath(b.Slice(RequestOffset, PathMax)),
            ReadPath(b.Slice(RequestOffset + PathMax, PathMax)), ReadPath(b.Slice(RequestOffset + (2 * PathMax), PathMax)));
    }

    private static void WritePath(Span<byte> field, string path)
    {
        int n = Encoding.UTF8.GetBytes(path, field[..^1]);
        field[n] = 0;
    }

    private static string ReadPath(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }
}
