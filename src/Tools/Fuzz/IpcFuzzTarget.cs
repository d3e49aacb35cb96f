using System.Buffers.Binary;
using Cluster.Messaging.Ipc;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// IPC frames as our JSON socket reads them: length prefix, then one JSON message, repeated until
/// the stream ends. Each body goes through the daemon's request decoder (a bad request must turn
/// into an error reply, never an exception) and the client's decoder (<see cref="InvalidDataException"/>
/// is its clear error); broken framing is <see cref="InvalidDataException"/> (the server drops that client).
/// </summary>
public sealed class IpcFuzzTarget(IReadOnlyList<byte[]> corpus) : CorpusTarget(corpus, text: false)
{
    public override string Name => "ipc";

    public override FuzzVerdict Run(byte[] input)
    {
        using var stream = new MemoryStream(input, writable: false);
        var verdict = FuzzVerdict.Accepted;
        try
        {
            // A MemoryStream completes synchronously; bounded by the input (each frame consumes bytes).
            while (IpcFraming.ReadFrameAsync(stream, CancellationToken.None).GetAwaiter().GetResult() is { } body)
            {
                if (IpcRequestDecoder.Decode(body, out var refusal) is { } request)
                {
                    _ = IpcFraming.Encode(request);
                }
                else
                {
                    _ = IpcFraming.Encode(refusal!);
                    verdict = FuzzVerdict.Rejected;
                }
                try
                {
                    _ = IpcFraming.Encode(IpcFraming.DecodeDaemonMessage(body));
                }
                catch (InvalidDataException)
                {
                }
            }
            return verdict;
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
