using System.Buffers.Binary;

namespace Cluster.Messaging.Fragmentation;

/// <summary>
/// Sender side of totempg: queues application messages and cuts them into frame payloads when
/// the token allows sending, packing several small messages per frame and spreading a large one
/// over consecutive frames. Frames are cut lazily (at token time) so a message whose fragments
/// were only partly sequenced when the ring changed can be restarted whole in the new ring.
/// </summary>
public sealed class Packer
{
    private readonly Queue<ReadOnlyMemory<byte>> _queue = new();
    private int _offset;          // bytes of the head message already cut into frames
    private byte _fragmentId;     // id of the head message's partial, 0 = none
    private byte _nextId = 1;

    public long PendingBytes { get; private set; }
    public int PendingMessages => _queue.Count;
    public bool HasPending => _queue.Count > 0;

    public void Enqueue(ReadOnlyMemory<byte> message)
    {
        _queue.Enqueue(message);
        PendingBytes += message.Length;
    }

    /// <summary>Frames the queue would need at <paramref name="framePayload"/> bytes each (flow-control backlog).</summary>
    public int EstimatedFrames(int framePayload)
    {
        if (_queue.Count == 0) return 0;
        var perFrame = framePayload - FragmentFormat.HeaderSize;
        var total = PendingBytes - _offset + (long)_queue.Count * FragmentFormat.LengthSize;
        return (int)Math.Min(int.MaxValue, (total + perFrame - 1) / perFrame);
    }

    /// <summary>Cuts the next frame payload of at most <paramref name="framePayload"/> bytes.</summary>
    public byte[] NextFrame(int framePayload)
    {
        if (_queue.Count == 0) throw new InvalidOperationException("no pending message to frame");
        var pieces = new List<(ReadOnlyMemory<byte> Data, bool Complete)>();
        byte continuation = _offset > 0 ? _fragmentId : (byte)0;
        byte fragmented = 0;
        int used = FragmentFormat.HeaderSize;
        foreach (var message in _queue)
        {
            var rest = message[(pieces.Count == 0 ? _offset : 0)..];
            var room = framePayload - used - FragmentFormat.LengthSize;
            if (room < 0 || (room == 0 && rest.Length > 0)) break;
            if (rest.Length <= room)
            {
                pieces.Add((rest, true));
                used += FragmentFormat.LengthSize + rest.Length;
                continue;
            }
            pieces.Add((rest[..room], false));
            used += FragmentFormat.LengthSize + room;
            break;
        }
        // Remove what was fully framed; remember the partial head.
        for (int i = 0; i < pieces.Count; i++)
        {
            var (data, complete) = pieces[i];
            if (complete)
            {
                var m = _queue.Dequeue();
                PendingBytes -= m.Length;
                _offset = 0;
                _fragmentId = 0;
            }
            else
            {
                // A fresh id per frame (not per message), so a lost middle frame breaks the chain.
                _fragmentId = _nextId;
                _nextId = _nextId == 255 ? (byte)1 : (byte)(_nextId + 1);
                _offset += data.Length;
                fragmented = _fragmentId;
            }
        }
        var frame = new byte[used];
        var span = frame.AsSpan();
        span[0] = fragmented;
        span[1] = continuation;
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)pieces.Count);
        int lenPos = FragmentFormat.HeaderSize, dataPos = FragmentFormat.HeaderSize + pieces.Count * FragmentFormat.LengthSize;
        foreach (var (data, _) in pieces)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[lenPos..], (uint)data.Length);
            lenPos += FragmentFormat.LengthSize;
            data.Span.CopyTo(span[dataPos..]);
            dataPos += data.Length;
        }
        return frame;
    }

    /// <summary>
    /// The ring changed: a message only partly sent is sent again from its start (receivers drop
    /// every partial message at a regular configuration change).
    /// </summary>
    public void RestartPartial()
    {
        _offset = 0;
        _fragmentId = 0;
    }
}
