using System.Collections.Concurrent;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Tests.Transport;

/// <summary>Records what a transport hands up.</summary>
internal sealed class FrameSink
{
    private readonly ConcurrentQueue<(NodeId Sender, byte[] Frame)> _frames = new();

    public void OnFrame(NodeId sender, ReadOnlyMemory<byte> frame) => _frames.Enqueue((sender, frame.ToArray()));

    public IReadOnlyList<(NodeId Sender, byte[] Frame)> Frames => [.. _frames];

    public int Count => _frames.Count;

    public bool Has(NodeId sender, string text) =>
        _frames.Any(f => f.Sender == sender && System.Text.Encoding.ASCII.GetString(f.Frame) == text);
}
