using System.Globalization;

namespace Cluster.Messaging.Totem;

/// <summary>A corosync node id (nodelist.node.X.nodeid): a non-zero 32-bit unsigned number.</summary>
public readonly record struct NodeId(uint Value) : IComparable<NodeId>
{
    public int CompareTo(NodeId other) => Value.CompareTo(other.Value);
    public static bool operator <(NodeId a, NodeId b) => a.Value < b.Value;
    public static bool operator >(NodeId a, NodeId b) => a.Value > b.Value;
    public static bool operator <=(NodeId a, NodeId b) => a.Value <= b.Value;
    public static bool operator >=(NodeId a, NodeId b) => a.Value >= b.Value;
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
