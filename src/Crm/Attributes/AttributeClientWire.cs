using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Attributes;

/// <summary>What a client asks attrd on its local socket.</summary>
public enum AttributeClientCommand
{
    Update,
    Delete,
    Query,
    Refresh,
}

/// <summary>
/// One request on attrd's socket. <paramref name="Node"/> null means the local node (for a query:
/// every node with <paramref name="AllNodes"/>).
/// </summary>
public sealed record AttributeWireRequest(long CallId, AttributeClientCommand Command, string? Name = null, string? Node = null,
    string? Value = null, long? DelayMs = null, bool AllNodes = false);

/// <summary>attrd's answer: an error, or a query's values by node.</summary>
public sealed record AttributeWireReply(long CallId, string? Error, Dictionary<string, string>? Values = null);

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AttributeWireRequest))]
[JsonSerializable(typeof(AttributeWireReply))]
internal sealed partial class AttributeWireJson : JsonSerializerContext;

/// <summary>attrd's socket protocol: CIB-socket framing, JSON bodies (source-generated, AOT-safe).</summary>
public static class AttributeClientWire
{
    /// <summary>The frame a client that may not talk to attrd gets before the socket closes.</summary>
    public const string PermissionDenied = "Permission denied";

    public static string SocketPath(Cluster.Common.Paths.HaPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Path.Combine(paths.PacemakerRun, "attrd.sock");
    }

    public static byte[] Encode(AttributeWireRequest r) => CibWire.Frame(JsonSerializer.SerializeToUtf8Bytes(r, AttributeWireJson.Default.AttributeWireRequest));

    public static byte[] Encode(AttributeWireReply r) => CibWire.Frame(JsonSerializer.SerializeToUtf8Bytes(r, AttributeWireJson.Default.AttributeWireReply));

    public static AttributeWireRequest? DecodeRequest(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, AttributeWireJson.Default.AttributeWireRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static AttributeWireReply? DecodeReply(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, AttributeWireJson.Default.AttributeWireReply);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The node's request for a client's call: <paramref name="localNode"/> stands in for a missing
    /// node; null with <paramref name="error"/> set when the request lacks what its command needs.
    /// </summary>
    public static AttributeClientOperation? ToOperation(AttributeWireRequest r, string localNode, out string? error)
    {
        ArgumentNullException.ThrowIfNull(r);
        error = null;
        if (r.Command != AttributeClientCommand.Refresh && string.IsNullOrEmpty(r.Name))
        {
            error = "no attribute name given";
            return null;
        }
        if (r.DelayMs is < 0)
        {
            error = $"attribute {r.Name}: negative dampening delay";
            return null;
        }
        var node = string.IsNullOrEmpty(r.Node) ? localNode : r.Node;
        var delay = r.DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;
        switch (r.Command)
        {
            case AttributeClientCommand.Update when r.Value is null:
                error = $"attribute {r.Name}: no value given";
                return null;
            case AttributeClientCommand.Update:
                return new AttributeSetRequest(new AttributeUpdate(node, r.Name!, r.Value, delay));
            case AttributeClientCommand.Delete:
                return new AttributeSetRequest(new AttributeUpdate(node, r.Name!, null, delay));
            case AttributeClientCommand.Query:
                return new AttributeQuery(r.Name!, r.AllNodes ? null : node);
            default:
                return new AttributeRefreshRequest();
        }
    }
}
