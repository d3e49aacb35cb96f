using System.Collections.Immutable;

namespace Cluster.Messaging.Totem.Wire;

/// <summary>Message type numbers (messaging-spec §2.3).</summary>
public enum TotemMessageType : byte
{
    OrfToken = 0,
    Mcast = 1,
    MergeDetect = 2,
    Join = 3,
    CommitToken = 4,
    TokenHoldCancel = 5,
}

/// <summary>A decoded Totem frame. <see cref="HeaderNode"/> is the header nodeid (0 in a leave).</summary>
public abstract record TotemMessage(NodeId HeaderNode)
{
    public abstract TotemMessageType Type { get; }
}

/// <summary>One retransmit request carried by the ORF token.</summary>
public readonly record struct RetransmitRequest(RingId RingId, uint Seq);

/// <summary>
/// The ORF token. Mutable on purpose: the holder updates it in place while processing and
/// re-encodes it to forward; the encoded bytes are the saved copy for retransmission.
/// </summary>
public sealed record OrfToken(NodeId HeaderNode) : TotemMessage(HeaderNode)
{
    public override TotemMessageType Type => TotemMessageType.OrfToken;
    public uint Seq { get; set; }
    public uint TokenSeq { get; set; }
    public uint Aru { get; set; }
    public NodeId AruAddr { get; set; }
    public RingId RingId { get; set; }
    public uint Backlog { get; set; }
    public uint Fcc { get; set; }
    public bool RetransFlag { get; set; }
    public List<RetransmitRequest> RetransmitList { get; init; } = [];

    public bool Equivalent(OrfToken other) =>
        Seq == other.Seq && TokenSeq == other.TokenSeq && Aru == other.Aru && AruAddr == other.AruAddr &&
        RingId == other.RingId && Backlog == other.Backlog && Fcc == other.Fcc &&
        RetransFlag == other.RetransFlag && RetransmitList.SequenceEqual(other.RetransmitList);
}

/// <summary>An ordered multicast frame. When <see cref="Encapsulated"/>, Payload is a whole old-ring mcast frame.</summary>
public sealed record McastMessage(
    NodeId HeaderNode, NodeId SystemFrom, uint Seq, RingId RingId, bool Encapsulated, ReadOnlyMemory<byte> Payload)
    : TotemMessage(HeaderNode)
{
    public override TotemMessageType Type => TotemMessageType.Mcast;

    public bool Equivalent(McastMessage o) =>
        HeaderNode == o.HeaderNode && SystemFrom == o.SystemFrom && Seq == o.Seq && RingId == o.RingId &&
        Encapsulated == o.Encapsulated && Payload.Span.SequenceEqual(o.Payload.Span);
}

public sealed record MergeDetectMessage(NodeId HeaderNode, NodeId SystemFrom, RingId RingId) : TotemMessage(HeaderNode)
{
    public override TotemMessageType Type => TotemMessageType.MergeDetect;
}

/// <summary>A gather-phase join; with header nodeid 0 it is a leave.</summary>
public sealed record JoinMessage(
    NodeId HeaderNode, NodeId SystemFrom, ulong RingSeq, ImmutableArray<NodeId> ProcList, ImmutableArray<NodeId> FailedList)
    : TotemMessage(HeaderNode)
{
    public override TotemMessageType Type => TotemMessageType.Join;
    public bool IsLeave => HeaderNode.Value == 0;

    public bool Equivalent(JoinMessage o) =>
        HeaderNode == o.HeaderNode && SystemFrom == o.SystemFrom && RingSeq == o.RingSeq &&
        ProcList.SequenceEqual(o.ProcList) && FailedList.SequenceEqual(o.FailedList);
}

/// <summary>Old-ring state of one member, collected by the commit token's first rotation.</summary>
public readonly record struct CommitMemberEntry(RingId RingId, uint Aru, uint HighDelivered, bool ReceivedFlag);

/// <summary>The commit token (mutable like the ORF token, for the same reason).</summary>
public sealed record CommitToken(NodeId HeaderNode) : TotemMessage(HeaderNode)
{
    public override TotemMessageType Type => TotemMessageType.CommitToken;
    public uint TokenSeq { get; set; }
    public RingId RingId { get; set; }
    public int MembIndex { get; set; }
    public NodeId[] Addr { get; init; } = [];
    public CommitMemberEntry[] Entries { get; init; } = [];

    public bool Equivalent(CommitToken o) =>
        HeaderNode == o.HeaderNode && TokenSeq == o.TokenSeq && RingId == o.RingId && MembIndex == o.MembIndex &&
        Addr.SequenceEqual(o.Addr) && Entries.SequenceEqual(o.Entries);
}

public sealed record TokenHoldCancelMessage(NodeId HeaderNode, RingId RingId) : TotemMessage(HeaderNode)
{
    public override TotemMessageType Type => TotemMessageType.TokenHoldCancel;
}
