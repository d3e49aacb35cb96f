using System.Collections.Concurrent;
using System.Text;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Tests.Runtime;

/// <summary>
/// A scripted ITotemNode: records every call (with the time it was given) and answers with
/// effects the test chooses. Frames come back as deliveries; sends are broadcast at once.
/// </summary>
internal sealed class FakeTotemNode(NodeId local) : ITotemNode
{
    public NodeId LocalNode { get; } = local;

    public ConcurrentQueue<string> Calls { get; } = new();

    public Func<ulong, IReadOnlyList<TotemEffect>> OnStart { get; set; } = _ => [];

    public Func<byte[], IReadOnlyList<TotemEffect>> OnFrameEffects { get; set; } =
        frame => [new Deliver(new Delivery(new NodeId(frame[0]), frame))];

    public Func<TotemTimer, IReadOnlyList<TotemEffect>> OnTimerEffects { get; set; } = _ => [];

    public volatile bool QueueFull;

    public bool Has(string call) => Calls.Contains(call);

    public IReadOnlyList<TotemEffect> Start(ulong persistedRingSequence, TimeSpan now)
    {
        Calls.Enqueue($"start {persistedRingSequence:x}");
        return OnStart(persistedRingSequence);
    }

    public IReadOnlyList<TotemEffect> OnFrame(ReadOnlySpan<byte> frame, TimeSpan now)
    {
        Calls.Enqueue("frame " + Encoding.ASCII.GetString(frame));
        return OnFrameEffects(frame.ToArray());
    }

    public IReadOnlyList<TotemEffect> OnTimer(TotemTimer timer, TimeSpan now)
    {
        Calls.Enqueue($"timer {timer} at {now.TotalMilliseconds}ms");
        return OnTimerEffects(timer);
    }

    public IReadOnlyList<TotemEffect> Submit(ReadOnlyMemory<byte> message, TimeSpan now, out bool accepted)
    {
        accepted = !QueueFull;
        if (!accepted) return [];
        Calls.Enqueue("submit " + Encoding.ASCII.GetString(message.Span));
        return [new Broadcast(message)];
    }

    public IReadOnlyList<TotemEffect> OnPeerReachability(NodeId peer, bool reachable, TimeSpan now)
    {
        Calls.Enqueue($"reachability:{peer.Value}:{reachable}");
        return [];
    }

    public IReadOnlyList<TotemEffect> Leave(TimeSpan now)
    {
        Calls.Enqueue("leave");
        return [new Broadcast("bye"u8.ToArray()), new LogLine(LogLevel.Information, "leaving")];
    }
}
