using System.Text.Json.Serialization.Metadata;

namespace Cluster.Messaging.Ipc;

/// <summary>
/// The wire names (<c>op</c>) of the protocol's records, read from the source-generated metadata
/// so the [JsonDerivedType] lists stay the only place they are written.
/// </summary>
public static class IpcOps
{
    public const string Discriminator = "op";

    private static readonly Dictionary<Type, string> Names = Build();

    /// <summary>Every request op the daemon understands.</summary>
    public static IReadOnlySet<string> RequestOps { get; } =
        Derived(IpcJsonContext.Default.IpcRequest).Select(d => (string)d.TypeDiscriminator!).ToHashSet(StringComparer.Ordinal);

    public static string NameOf(IpcRequest request) => Names[request.GetType()];

    public static string NameOf(IpcDaemonMessage message) => Names[message.GetType()];

    private static IEnumerable<JsonDerivedType> Derived(JsonTypeInfo info) =>
        info.PolymorphismOptions?.DerivedTypes ?? throw new InvalidOperationException($"{info.Type.Name} has no polymorphism metadata");

    private static Dictionary<Type, string> Build() =>
        Derived(IpcJsonContext.Default.IpcRequest).Concat(Derived(IpcJsonContext.Default.IpcDaemonMessage))
            .ToDictionary(d => d.DerivedType, d => (string)d.TypeDiscriminator!);
}
