using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Crm.CibClient;

/// <summary>A request on the CIB manager's local socket (XML travels as text).</summary>
public sealed record CibWireRequest(long CallId, CibCommand Command, string? Scope, string? XPath, string? Data, CibCallOptions Options, string ClientName);

/// <summary>
/// A frame from the manager: the answer to a call (<see cref="CallId"/> &gt; 0), the greeting
/// after connect (CallId 0: Ok, or Permission denied), or a change notification (CallId -1, Version set).
/// </summary>
public sealed record CibWireReply(long CallId, CibResultCode Code, string? Output, string? Error, IReadOnlyList<string>? Details, string? Version);

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CibWireRequest))]
[JsonSerializable(typeof(CibWireReply))]
internal sealed partial class CibWireJson : JsonSerializerContext;

/// <summary>
/// Framing of the CIB socket: a 4-byte little-endian length, then that many bytes of JSON
/// (source-generated, AOT-safe). Frames over <see cref="MaxFrame"/> or that do not parse are
/// protocol errors: the peer is dropped.
/// </summary>
public static class CibWire
{
    public const int MaxFrame = 64 * 1024 * 1024;

    public const long Greeting = 0;
    public const long Notification = -1;

    public static byte[] Encode(CibWireRequest r) => Frame(JsonSerializer.SerializeToUtf8Bytes(r, CibWireJson.Default.CibWireRequest));

    public static byte[] Encode(CibWireReply r) => Frame(JsonSerializer.SerializeToUtf8Bytes(r, CibWireJson.Default.CibWireReply));

    public static CibWireRequest? DecodeRequest(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CibWireJson.Default.CibWireRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static CibWireReply? DecodeReply(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CibWireJson.Default.CibWireReply);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A 4-byte little-endian length, then the body: the framing of every local daemon socket.</summary>
    public static byte[] Frame(byte[] body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Reads one frame body; null at end of stream; throws <see cref="InvalidDataException"/> on a bad length.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        if (!await ReadExactlyOrEndAsync(stream, header, cancellationToken).ConfigureAwait(false)) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > MaxFrame) throw new InvalidDataException($"frame length {length} out of range");
        var body = new byte[length];
        if (!await ReadExactlyOrEndAsync(stream, body, cancellationToken).ConfigureAwait(false))
            throw new InvalidDataException("connection closed in the middle of a frame");
        return body;
    }

    /// <summary>The blocking twin of <see cref="ReadFrameAsync"/>: a short-lived tool needs no I/O threads.</summary>
    public static byte[]? ReadFrame(Stream stream)
    {
        var header = new byte[4];
        if (!ReadExactlyOrEnd(stream, header)) return null;
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length is < 0 or > MaxFrame) throw new InvalidDataException($"frame length {length} out of range");
        var body = new byte[length];
        if (!ReadExactlyOrEnd(stream, body))
            throw new InvalidDataException("connection closed in the middle of a frame");
        return body;
    }

    private static bool ReadExactlyOrEnd(Stream stream, byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer.AsSpan(read));
            if (n == 0)
            {
                if (read == 0) return false;
                throw new InvalidDataException("connection closed in the middle of a frame");
            }
            read += n;
        }
        return true;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new InvalidDataException("connection closed in the middle of a frame");
            }
            read += n;
        }
        return true;
    }

    /// <summary>The manager's socket under HA_ROOT.</summary>
    public static string SocketPath(Cluster.Common.Paths.HaPaths paths) => Path.Combine(paths.PacemakerRun, "cib.sock");
}
