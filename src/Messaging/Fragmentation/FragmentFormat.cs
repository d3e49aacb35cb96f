namespace Cluster.Messaging.Fragmentation;

/// <summary>
/// Layout of the payload of one totem mcast frame (our totempg equivalent, little-endian):
/// <c>u8 fragmented</c> (non-zero: the last piece is the start of a message continued in the next
/// frame, value = rolling id 1..255), <c>u8 continuation</c> (non-zero: the first piece continues
/// the previous frame's partial message with that id), <c>u16 count</c>, <c>u32 len[count]</c>,
/// then the pieces back to back.
/// </summary>
public static class FragmentFormat
{
    public const int HeaderSize = 4;
    public const int LengthSize = 4;
}
