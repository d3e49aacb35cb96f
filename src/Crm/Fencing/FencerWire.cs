using System.Text.Json;
using System.Text.Json.Serialization;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Fencing;

/// <summary>What stonith_admin asks the fencer on its local socket.</summary>
public enum FencerCommand
{
    /// <summary>-L: the devices the fencer knows (every stonith-class primitive of the CIB).</summary>
    ListRegistered,

    /// <summary>-l NODE: the devices that can fence a node (asking dynamic-list devices' agents).</summary>
    ListFor,

    /// <summary>-F / -B / -U NODE: fence (off / reboot / on) through the fencer.</summary>
    Fence,

    /// <summary>-H NODE|*: the fencing history.</summary>
    History,
}

/// <summary>One request on the fencer's socket; <paramref name="Target"/> "*" means every node (history).</summary>
public sealed record FencerWireRequest(long CallId, FencerCommand Command, string? Target = null, string? Action = null,
    long? TimeoutMs = null, string? Client = null);

/// <summary>One fencing operation of the history as the socket carries it.</summary>
public sealed record FencerWireEvent(string Target, string Action, string Delegate, string Client, string Origin, bool Succeeded,
    string Detail, long CompletedUnixMs);

/// <summary>
/// The fencer's answer: <paramref name="Error"/> (Pacemaker's reason text, "No such device") with
/// <paramref name="ExitCode"/> (stonith_admin's exit code), or the devices / the history asked for.
/// </summary>
public sealed record FencerWireReply(long CallId, string? Error, int ExitCode = 0, List<string>? Devices = null, List<FencerWireEvent>? History = null);

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FencerWireRequest))]
[JsonSerializable(typeof(FencerWireReply))]
internal sealed partial class FencerWireJson : JsonSerializerContext;

/// <summary>The fencer's socket protocol: CIB-socket framing, JSON bodies (source-generated, AOT-safe).</summary>
public static class FencerWire
{
    public const string PermissionDenied = "Permission denied";

    public static string SocketPath(Cluster.Common.Paths.HaPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Path.Combine(paths.PacemakerRun, "stonith-ng.sock");
    }

    public static byte[] Encode(FencerWireRequest r) => CibWire.Frame(JsonSerializer.SerializeToUtf8Bytes(r, FencerWireJson.Default.FencerWireRequest));

    public static byte[] Encode(FencerWireReply r) => CibWire.Frame(JsonSerializer.SerializeToUtf8Bytes(r, FencerWireJson.Default.FencerWireReply));

    public static FencerWireRequest? DecodeRequest(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, FencerWireJson.Default.FencerWireRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static FencerWireReply? DecodeReply(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, FencerWireJson.Default.FencerWireReply);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
