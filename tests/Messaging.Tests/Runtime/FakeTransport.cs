using System.Collections.Concurrent;
using System.Text;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Runtime;

/// <summary>An in-memory transport: records sends, lets the test inject received frames.</summary>
internal sealed class FakeTransport(NodeId local) : ITransport
{
    private FrameReceivedHandler? _handler;

    public NodeId LocalNode { get; } = local;

    public PacketCounters Counters { get; } = new();

    public IReadOnlyList<LinkStatus> Links => [];

    public Action<NodeId, bool>? PeerReachabilityChanged { get; set; }

    public ConcurrentQueue<string> Sent { get; } = new();

    public bool Disposed { get; private set; }

    public void Start(FrameReceivedHandler onFrame) => _handler = onFrame;

    public void Receive(string frame) => Receive(Encoding.ASCII.GetBytes(frame));

    /// <summary>Like a real transport: counted as accepted, then handed over.</summary>
    public void Receive(byte[] frame)
    {
        Counters.CountAccepted();
        _handler!(new NodeId(2), frame);
    }

    public void SendTo(NodeId target, ReadOnlySpan<byte> frame) => Sent.Enqueue($"to {target}: {Encoding.ASCII.GetString(frame)}");

    public void Broadcast(ReadOnlySpan<byte> frame) => Sent.Enqueue("all: " + Encoding.ASCII.GetString(frame));

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
