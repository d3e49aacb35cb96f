namespace Cluster.Messaging.Config;

/// <summary>totem.transport: knet (corosync 3 default), udpu (unicast), udp (multicast).</summary>
public enum TransportKind
{
    Knet,
    Udpu,
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
