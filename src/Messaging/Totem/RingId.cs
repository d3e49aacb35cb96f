using System.Globalization;

namespace Cluster.Messaging.Totem;

/// <summary>
/// A ring (configuration) id: the representative (lowest member node id) and a sequence number
/// that only grows. Printed as corosync prints it: hex <c>rep.seq</c>, e.g. <c>1.1f</c>.
/// </summary>
public readonly record struct RingId(NodeId Representative, ulong Sequence)
{
    public override string ToString() =>
        Representative.Value.ToString("x", CultureInfo.InvariantCulture) + "." +
        Sequence.ToString("x", CultureInfo.InvariantCulture);
}
