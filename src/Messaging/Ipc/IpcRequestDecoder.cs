using System.Text.Json;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// The daemon's side of reading a request frame: a body that is not a request (not JSON, no or
/// an unknown <c>op</c>, a member missing or of the wrong type) becomes an error reply that says
/// what is wrong, carrying the request's <c>seq</c> when one can be read, so the client's call
/// fails clearly and the connection (and the daemon) go on serving.
/// </summary>
public static class IpcRequestDecoder
{
    public const string NotSupported = "CS_ERR_NOT_SUPPORTED";
    public const string InvalidParam = "CS_ERR_INVALID_PARAM";

    /// <summary>The request, or null and the <paramref name="refusal"/> to send back.</summary>
    public static IpcRequest? Decode(byte[] body, out StatusReply? refusal)
    {
        refusal = null;
        Exception error;
        try
        {
            var request = JsonSerializer.Deserialize(body, IpcJsonContext.Default.IpcRequest);
            if (request is not null)
                return request;
            error = new JsonException("the message is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            // NotSupportedException: an object without the op member (no derived type to pick);
            // InvalidOperationException: text System.Text.Json cannot transcode (invalid UTF-8).
            error = e;
        }
        refusal = Explain(body, error);
        return null;
    }

    /// <summary>Reads just enough of the body (op and seq) to say what was wrong.</summary>
    private static StatusReply Explain(byte[] body, Exception error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return Refuse(0, InvalidParam, $"not a JSON message: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Refuse(0, InvalidParam, $"a request is a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
            long seq = root.TryGetProperty("seq", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : 0;
            if (!root.TryGetProperty(IpcOps.Discriminator, out var op) || op.ValueKind != JsonValueKind.String)
                return Refuse(seq, InvalidParam, $"the request has no \"{IpcOps.Discriminator}\" string naming the operation");
            string name;
            try
            {
                name = op.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return Refuse(seq, InvalidParam, $"the \"{IpcOps.Discriminator}\" string is not valid UTF-8");
            }
            if (!IpcOps.RequestOps.Contains(name))
                return Refuse(seq, NotSupported, $"unknown operation \"{name}\"");
            return Refuse(seq, InvalidParam, $"bad {name} request: {error.Message}");
        }
    }

    private static StatusReply Refuse(long seq, string code, string detail) => new() { Seq = seq, Error = code, Detail = detail };
}
