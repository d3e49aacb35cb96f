using System.Collections.Immutable;
using System.Diagnostics;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Simulation;

/// <summary>
/// CPU cost of the protocol core alone: N nodes joined by a lossless, zero-delay in-memory FIFO
/// network, every node submitting fixed-size messages as fast as flow control allows, until each
/// node has delivered every message. Wall-clock figures: a benchmark, not a test.
/// </summary>
public static class ThroughputBench
{
    public sealed record Result(int Nodes, int MessageSize, long Messages, TimeSpan Elapsed)
    {
        public double MessagesPerSecond => Messages / Elapsed.TotalSeconds;
        public double MegabytesPerSecond => Messages * (double)MessageSize / (1 << 20) / Elapsed.TotalSeconds;
    }

    public static Result Run(int nodes, int messageSize, int messagesPerNode)
    {
        ImmutableArray<NodeId> ids = [.. Enumerable.Range(1, nodes).Select(i => new NodeId((uint)i))];
        var cores = ids.Select(id => new TotemNode(new TotemOptions { LocalNode = id, Nodes = ids })).ToArray();
        var wire = new Queue<(int To, ReadOnlyMemory<byte> Frame)>();
        var delivered = new long[nodes];
        var configured = new bool[nodes];
        var now = TimeSpan.Zero;

        void Apply(int from, IReadOnlyList<TotemEffect> fx)
        {
            foreach (var e in fx)
            {
                switch (e)
                {
                    case SendTo s: wire.Enqueue(((int)s.Target.Value - 1, s.Frame)); break;
                    case Broadcast b: for (int i = 0; i < nodes; i++) wire.Enqueue((i, b.Frame)); break;
                    case Deliver: delivered[from]++; break;
                    case DeliverConfiguration c when c.Change.Kind == ConfigurationKind.Regular:
                        configured[from] = c.Change.Members.Length == nodes;
                        break;
                }
            }
        }

        // Form the ring: joins need the consensus check of the join timer once, nothing else.
        for (int i = 0; i < nodes; i++) Apply(i, cores[i].Start(0, now));
        for (int round = 0; round < 50 && !configured.All(c => c); round++)
        {
            while (wire.TryDequeue(out var f)) Apply(f.To, cores[f.To].OnFrame(f.Frame.Span, now));
            for (int i = 0; i < nodes; i++) Apply(i, cores[i].OnTimer(TotemTimer.Join, now));
        }
        if (!configured.All(c => c)) throw new InvalidOperationException("ring did not form");
        Array.Clear(delivered);

        var payload = new byte[messageSize];
        var submitted = new int[nodes];
        long total = (long)messagesPerNode * nodes * nodes;
        var sw = Stopwatch.StartNew();
        while (delivered.Sum() < total)
        {
            for (int i = 0; i < nodes; i++)
            {
                while (submitted[i] < messagesPerNode && cores[i].PendingBytes < 256 * 1024)
                {
                    Apply(i, cores[i].Submit(payload, now, out var ok));
                    if (!ok) break;
                    submitted[i]++;
                }
            }
            if (wire.Count == 0)
            {
                // An idle ring holds the token; the hold timer releases it.
                for (int i = 0; i < nodes; i++) Apply(i, cores[i].OnTimer(TotemTimer.TokenHold, now));
                if (wire.Count == 0) break;
            }
            for (int k = 0; k < 4096 && wire.TryDequeue(out var f); k++) Apply(f.To, cores[f.To].OnFrame(f.Frame.Span, now));
        }
        sw.Stop();
        if (delivered.Sum() < total)
            throw new InvalidOperationException($"benchmark stalled: {delivered.Sum()} of {total} deliveries, states {string.Join(' ', cores.Select(c => c.State))}, pending {string.Join(' ', cores.Select(c => c.PendingBytes))}");
        return new Result(nodes, messageSize, (long)messagesPerNode * nodes, sw.Elapsed);
    }
}
