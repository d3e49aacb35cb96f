using System.Buffers.Binary;
using System.Text.Json;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// Frames on the client socket: u32 little-endian length, then one JSON object, an
/// <see cref="IpcRequest"/> towards the daemon or an <see cref="IpcDaemonMessage"/> back.
/// </summary>
public static class IpcFraming
{
    /// <summary>Largest frame either side accepts (a CPG message of 1 MiB, base64, plus fields).</summary>
    public const int MaxFrame = 2 * 1024 * 1024;

    /// <summary>The socket name under the run directory (HA_ROOT's /run/corosync).</summary>
    public const string SocketName = "corosync.sock";

    public static byte[] Encode(IpcRequest request) =>
        Frame(JsonSerializer.SerializeToUtf8Bytes(request, IpcJsonContext.Default.IpcRequest));

    public static byte[] Encode(IpcDaemonMessage message) =>
        Frame(JsonSerializer.SerializeToUtf8Bytes(message, IpcJsonContext.Default.IpcDaemonMessage));

    /// <summary>A frame around raw JSON bytes (tests send hostile bodies with it).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> json)
    {
        var frame = new byte[4 + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, json.Length);
        json.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>
    /// Reads one frame's body; null at a clean end of stream. Throws <see cref="InvalidDataException"/>
    /// when the framing itself is broken (a bad length, or the end inside a frame): the stream cannot be resynchronised.
    /// </summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await FillAsync(stream, header, cancellationToken).ConfigureAwait(false))
            return null;
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length <= 0 || length > MaxFrame)
            throw new InvalidDataException($"IPC frame of {length} bytes (limit {MaxFrame})");
        return await ReadBodyAsync(stream, length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one daemon message (the client side); null at a clean end of stream, <see cref="InvalidDataException"/> on anything unreadable.</summary>
    public static async Task<IpcDaemonMessage?> ReadDaemonMessageAsync(Stream stream, CancellationToken cancellationToken)
    {
        var body = await ReadFrameAsync(stream, cancellationToken).ConfigureAwait(false);
        return body is null ? null : DecodeDaemonMessage(body);
    }

    /// <summary>One daemon message from a frame body; <see cref="InvalidDataException"/> if it is not one.</summary>
    public static IpcDaemonMessage DecodeDaemonMessage(byte[] body)
    {
        IpcDaemonMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(body, IpcJsonContext.Default.IpcDaemonMessage);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidDataException($"IPC frame is not a valid message: {e.Message}", e);
        }
        return message switch
        {
            null => throw new InvalidDataException("IPC frame holds null"),
            // An init-only property keeps a null the JSON sets explicitly; the status must be there.
            IpcReply { Error: null } => throw new InvalidDataException("IPC reply without an error status"),
            _ => message,
        };
    }

    /// <summary>Bytes allocated for a frame body before its data arrives.</summary>
    public const int InitialBodyBuffer = 64 * 1024;

    /// <summary>
    /// The body, in a buffer that grows (doubling) only as data arrives: a client that declares
    /// 2 MiB and sends nothing holds 64 KiB, not 2 MiB, per connection.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(Stream stream, int length, CancellationToken cancellationToken)
    {
        var body = new byte[Math.Min(length, InitialBodyBuffer)];
        int read = 0;
        while (read < length)
        {
            if (read == body.Length)
                Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
            int n = await stream.ReadAsync(body.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new InvalidDataException("IPC connection closed inside a frame");
            read += n;
        }
        return body;
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0)
                    return false;
                throw new InvalidDataException("IPC connection closed inside a frame");
            }
            read += n;
        }
        return true;
    }
}
