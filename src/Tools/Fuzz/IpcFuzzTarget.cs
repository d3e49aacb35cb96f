using System.Buffers.Binary;
using Cluster.Messaging.Ipc;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// IPC frames as the daemon reads them from a client socket: length prefix, then one JSON
/// message, repeated until the stream ends. <see cref="InvalidDataException"/> is the clear error
/// (the server drops that client).
/// </summary>
public sealed class IpcFuzzTarget(IReadOnlyList<byte[]> corpus) : CorpusTarget(corpus, text: false)
{
    public override string Name => "ipc";

    public override FuzzVerdict Run(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        try
        {
            // A MemoryStream completes synchronously; bounded by the input (each frame consumes bytes).
            while (IpcFraming.ReadAsync(stream, CancellationToken.None).GetAwaiter().GetResult() is { } message)
                _ = IpcFraming.Encode(message);
            return FuzzVerdict.Accepted;
        }
        catch (InvalidDataException)
        {
            return FuzzVerdict.Rejected;
        }
    }

    /// <summary>A JSON body as one frame (the corpus is built from these).</summary>
    public static byte[] Frame(string json)
    {
        var body = System.Text.Encoding.UTF8.GetBytes(json);
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }
}
