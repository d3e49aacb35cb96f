using System.Buffers.Binary;
using System.Diagnostics;
using Cluster.Common.Paths;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Runtime;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Tools.Messaging;

/// <summary>
/// One benchmark node: the real Totem core, a real UDP transport and the runtime shell, in this
/// process. Counts deliveries, samples latency from the send stamp carried in each message and
/// records when each regular configuration and the first delivery after it arrived.
/// </summary>
internal sealed class TotemBenchNode : IAsyncDisposable
{
    /// <summary>Bytes at the start of every bench message: u32 sender, u32 seq, i64 stamp.</summary>
    public const int HeaderBytes = 16;

    private readonly object _gate = new();
    private readonly List<double> _latencies = [];
    private readonly List<RegularSeen> _regulars = [];
    private readonly Task _reader;
    private long _delivered;
    private long _deliveredBytes;

    public TotemBenchNode(TotemOptions totem, TransportOptions transport, string root)
    {
        Id = totem.LocalNode;
        Transport = TransportFactory.Create(transport, NullLogger.Instance, TimeProvider.System, CryptoEnvelope.NewEpoch(TimeProvider.System));
        Runtime = new TotemRuntime(new TotemNode(totem), Transport, RuntimeOptions.For(new HaPaths(root), Id), TimeProvider.System, NullLogger.Instance);
        Runtime.Start();
        _reader = Task.Run(ReadAsync);
    }

    public NodeId Id { get; }

    public ITransport Transport { get; }

    public TotemRuntime Runtime { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long DeliveredBytes => Interlocked.Read(ref _deliveredBytes);

    public volatile bool SampleLatency;

    public sealed record RegularSeen(ConfigurationChange Change, long At)
    {
        public long? FirstDeliveryAt { get; set; }
    }

    public IReadOnlyList<RegularSeen> Regulars
    {
        get { lock (_gate) return [.. _regulars]; }
    }

    public List<double> TakeLatencies()
    {
        lock (_gate)
        {
            var copy = new List<double>(_latencies);
            _latencies.Clear();
            return copy;
        }
    }

    public bool IsIn(int members)
    {
        lock (_gate) return _regulars.Count > 0 && _regulars[^1].Change.Members.Length == members;
    }

    public static byte[] Message(NodeId sender, uint seq, int size)
    {
        var message = new byte[Math.Max(HeaderBytes, size)];
        Stamp(message, sender, seq);
        return message;
    }

    public static void Stamp(byte[] message, NodeId sender, uint seq)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(message, sender.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), seq);
        BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(8), Stopwatch.GetTimestamp());
    }

    private async Task ReadAsync()
    {
        await foreach (var effect in Runtime.Deliveries.ReadAllAsync().ConfigureAwait(false))
        {
            switch (effect)
            {
                case Deliver d:
                    Interlocked.Increment(ref _delivered);
                    Interlocked.Add(ref _deliveredBytes, d.Delivery.Payload.Length);
                    var now = Stopwatch.GetTimestamp();
                    lock (_gate)
                    {
                        if (_regulars.Count > 0 && _regulars[^1].FirstDeliveryAt is null) _regulars[^1].FirstDeliveryAt = now;
                        if (SampleLatency && d.Delivery.Payload.Length >= HeaderBytes)
                        {
                            var sent = BinaryPrimitives.ReadInt64LittleEndian(d.Delivery.Payload.Span[8..]);
                            _latencies.Add(Stopwatch.GetElapsedTime(sent, now).TotalMilliseconds);
                        }
                    }
                    break;
                case DeliverConfiguration { Change.Kind: ConfigurationKind.Regular } c:
                    lock (_gate) _regulars.Add(new RegularSeen(c.Change, Stopwatch.GetTimestamp()));
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync().ConfigureAwait(false);
        await _reader.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }
}
