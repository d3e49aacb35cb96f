namespace Cluster.Messaging.Config;

/// <summary>
/// corosync.conf <c>totem.transport</c>. The one enum for the whole stack: the config model
/// owns it and the transports (<see cref="Cluster.Messaging.Transport.TransportOptions.Kind"/>) use it as is.
/// </summary>
public enum TransportKind
{
    /// <summary>Our own multi-link unicast transport standing in for corosync 3's default <c>knet</c>.</summary>
    Knet,
    /// <summary>Unicast to every nodelist address (<c>udpu</c>).</summary>
    Udpu,
    /// <summary>IP multicast (<c>udp</c>, the old configs' mcastaddr/mcastport).</summary>
    Udp,
}

public static class TransportKinds
{
    public static string Name(this TransportKind kind) => kind switch
    {
        TransportKind.Knet => "knet",
        TransportKind.Udpu => "udpu",
        TransportKind.Udp => "udp",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown transport"),
    };

    public static bool TryParse(string? name, out TransportKind kind)
    {
        (var ok, kind) = name switch
        {
            "knet" => (true, TransportKind.Knet),
            "udpu" => (true, TransportKind.Udpu),
            "udp" => (true, TransportKind.Udp),
            _ => (false, TransportKind.Knet),
        };
        return ok;
    }
}
