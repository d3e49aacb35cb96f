using System.Buffers.Binary;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Fragmentation;

/// <summary>
/// Receiver side of totempg: unpacks frame payloads delivered in agreed order and reassembles
/// fragmented messages per originator. A piece that does not continue the expected partial is
/// thrown away with the partial (the middle was lost with a failed member).
/// </summary>
public sealed class Assembler(int maxMessageSize)
{
    private sealed class Partial
    {
        public byte Id;
        public readonly MemoryStream Buffer = new();
    }

    private readonly Dictionary<NodeId, Partial> _partials = [];

    /// <summary>Drops every partial message (at a regular configuration change).</summary>
    public void Reset() => _partials.Clear();

    public void Drop(NodeId sender) => _partials.Remove(sender);

    public int PartialCount => _partials.Count;

    /// <summary>Validates a frame payload; null when well formed, else the reason.</summary>
    public static string? Validate(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FragmentFormat.HeaderSize)
            return $"frame payload of {payload.Length} bytes is shorter than its {FragmentFormat.HeaderSize}-byte header";
        int count = BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]);
        long expected = FragmentFormat.HeaderSize + (long)count * FragmentFormat.LengthSize;
        if (payload.Length < expected)
            return $"frame payload lists {count} messages but has only {payload.Length} bytes";
        for (int i = 0; i < count; i++)
            expected += BinaryPrimitives.ReadUInt32LittleEndian(payload[(FragmentFormat.HeaderSize + i * FragmentFormat.LengthSize)..]);
        if (expected != payload.Length)
            return $"frame payload doesn't have expected length of {expected} (has {payload.Length}) bytes";
        if (count == 0 && (payload[0] != 0 || payload[1] != 0))
            return "empty frame payload marked fragmented";
        return null;
    }

    /// <summary>
    /// Unpacks one frame from <paramref name="sender"/>, adding complete messages to
    /// <paramref name="output"/>. Returns null, or the reason the frame was ignored.
    /// </summary>
    public string? OnFrame(NodeId sender, ReadOnlySpan<byte> payload, List<Delivery> output)
    {
        var invalid = Validate(payload);
        if (invalid is not null) return invalid;
        byte fragmented = payload[0], continuation = payload[1];
        int count = BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]);
        int dataPos = FragmentFormat.HeaderSize + count * FragmentFormat.LengthSize;
        _partials.TryGetValue(sender, out var partial);
        if (continuation == 0 && partial is not null)
        {
            _partials.Remove(sender);   // its continuation never came: lost with the old ring
            partial = null;
        }
        for (int i = 0; i < count; i++)
        {
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[(FragmentFormat.HeaderSize + i * FragmentFormat.LengthSize)..]);
            var piece = payload.Slice(dataPos, len);
            dataPos += len;
            bool last = i == count - 1;
            bool continues = last && fragmented != 0;
            if (i == 0 && continuation != 0)
            {
                if (partial is null || partial.Id != continuation)
                {
                    _partials.Remove(sender);   // throw away: we missed the start
                    partial = null;
                    continue;
                }
                partial.Buffer.Write(piece);
                if (partial.Buffer.Length > maxMessageSize)
                {
                    _partials.Remove(sender);
                    partial = null;
                    continue;
                }
                if (continues)
                {
                    partial.Id = fragmented;
                    continue;
                }
                output.Add(new Delivery(sender, partial.Buffer.ToArray()));
                _partials.Remove(sender);
                partial = null;
                continue;
            }
            if (continues)
            {
                partial = new Partial { Id = fragmented };
                partial.Buffer.Write(piece);
                _partials[sender] = partial;
                continue;
            }
            output.Add(new Delivery(sender, piece.ToArray()));
        }
        return null;
    }
}
