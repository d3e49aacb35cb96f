using System.Text.Json.Serialization;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// The source-generated (AOT-safe) serializers of the JSON protocol. Nullable annotations and
/// constructor parameters are enforced, so a request missing a member or with null where the
/// record has none is refused with a <see cref="System.Text.Json.JsonException"/> naming it,
/// instead of reaching the daemon half-filled. Nulls are written, not left out: with required
/// constructor parameters an absent member is an error even where null is allowed. The <c>op</c>
/// member may come anywhere in the object.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(IpcRequest))]
[JsonSerializable(typeof(IpcDaemonMessage))]
internal sealed partial class IpcJsonContext : JsonSerializerContext;
