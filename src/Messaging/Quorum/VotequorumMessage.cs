using System.Buffers.Binary;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Quorum;

/// <summary>votequorum exec messages (service 5): NODEINFO (fn 0) and RECONFIGURE (fn 1).</summary>
public abstract record VotequorumMessage
{
    public const ushort NodeInfoFunction = 0;
    public const ushort ReconfigureFunction = 1;

    public abstract ushort Function { get; }

    public abstract byte[] Encode();

    /// <summary>Decodes a payload; null when it is malformed (counted and ignored by the caller).</summary>
    public static VotequorumMessage? Decode(ushort function, ReadOnlySpan<byte> payload)
    {
        switch (function)
        {
            case NodeInfoFunction when payload.Length == 16:
                return new NodeInfoMessage(
                    new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(payload)),
                    BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]),
                    (NodeFlags)BinaryPrimitives.ReadUInt32LittleEndian(payload[12..]));
            case ReconfigureFunction when payload.Length == 9:
                return new ReconfigureMessage(
                    new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(payload)),
                    BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]),
                    (ReconfigureParameter)payload[8]);
            default:
                return null;
        }
    }
}

/// <summary>A node's votes, expected votes and flags.</summary>
public sealed record NodeInfoMessage(NodeId Node, uint Votes, uint ExpectedVotes, NodeFlags Flags) : VotequorumMessage
{
    public override ushort Function => NodeInfoFunction;

    public override byte[] Encode()
    {
        var b = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(b, Node.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), Votes);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), ExpectedVotes);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(12), (uint)Flags);
        return b;
    }
}

/// <summary>What a RECONFIGURE message changes.</summary>
public enum ReconfigureParameter : byte
{
    ExpectedVotes = 1,
    NodeVotes = 2,
    CancelWaitForAll = 3,
}

/// <summary>A run-time change (corosync-quorumtool -e / -v, cancel wait_for_all).</summary>
public sealed record ReconfigureMessage(NodeId Node, uint Value, ReconfigureParameter Parameter) : VotequorumMessage
{
    public override ushort Function => ReconfigureFunction;

    public override byte[] Encode()
    {
        var b = new byte[9];
        BinaryPrimitives.WriteUInt32LittleEndian(b, Node.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), Value);
        b[8] = (byte)Parameter;
        return b;
    }
}
