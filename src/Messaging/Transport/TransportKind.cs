namespace Cluster.Messaging.Transport;

/// <summary>corosync.conf <c>totem.transport</c>.</summary>
public enum TransportKind
{
    /// <summary>Unicast to every nodelist address (<c>udpu</c>).</summary>
    Udpu,
    /// <summary>IP multicast (<c>udp</c>, the old configs' mcastaddr/mcastport).</summary>
    Udp,
    /// <summary>Our own multi-link unicast transport standing in for corosync 3's default <c>knet</c>.</summary>
    Knet,
}
