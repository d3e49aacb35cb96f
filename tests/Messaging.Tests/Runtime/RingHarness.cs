using System.Buffers.Binary;
using Cluster.Common.Paths;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Runtime;
using Cluster.Messaging.Tests.Transport;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Messaging.Tests.Runtime;

/// <summary>
/// One in-process node: a real TotemNode, a real UDP transport on 127.0.0.N and the runtime
/// shell with its own HA_ROOT temp dir. Collects what it delivers.
/// </summary>
internal sealed class RingNode : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<ulong> _messages = [];
    private readonly List<(int At, ConfigurationChange Change)> _configurations = [];
    private readonly Task _reader;

    public RingNode(NodeId id, TotemOptions totem, TransportOptions transport, string root)
    {
        Id = id;
        Root = root;
        Transport = TransportFactory.Create(transport, NullLogger.Instance, TimeProvider.System, CryptoEnvelope.NewEpoch(TimeProvider.System));
        Runtime = new TotemRuntime(new TotemNode(totem), Transport, RuntimeOptions.For(new HaPaths(root), id), TimeProvider.System, NullLogger.Instance);
        Runtime.Start();
        _reader = Task.Run(ReadAsync);
    }

    public NodeId Id { get; }

    public string Root { get; }

    public ITransport Transport { get; }

    public TotemRuntime Runtime { get; }

    public int Delivered
    {
        get { lock (_gate) return _messages.Count; }
    }

    public ulong[] Messages
    {
        get { lock (_gate) return [.. _messages]; }
    }

    public (int At, ConfigurationChange Change)[] Configurations
    {
        get { lock (_gate) return [.. _configurations]; }
    }

    /// <summary>True when the latest configuration is a regular one with exactly <paramref name="members"/>.</summary>
    public bool IsIn(params uint[] members)
    {
        lock (_gate)
        {
            return _configurations.Count > 0 && _configurations[^1].Change.Kind == ConfigurationKind.Regular
                && _configurations[^1].Change.Members.Select(m => m.Value).Order().SequenceEqual(members.Order());
        }
    }

    public bool EverSaw(uint member)
    {
        lock (_gate) return _configurations.Any(c => c.Change.Members.Contains(new NodeId(member)));
    }

    public static byte[] Payload(NodeId sender, uint seq, int size)
    {
        var payload = new byte[Math.Max(8, size)];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, sender.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(4), seq);
        return payload;
    }

    /// <summary>Submits <paramref name="count"/> messages numbered from <paramref name="first"/>, in batches.</summary>
    public async Task SendAsync(uint first, int count, int size = 16)
    {
        const int batch = 500;
        for (var i = 0; i < count; i += batch)
        {
            var n = Math.Min(batch, count - i);
            var messages = new ReadOnlyMemory<byte>[n];
            for (var k = 0; k < n; k++) messages[k] = Payload(Id, first + (uint)(i + k), size);
            await Runtime.SubmitManyAsync(messages).WaitAsync(TimeSpan.FromSeconds(60));
        }
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var effect in Runtime.Deliveries.ReadAllAsync())
            {
                lock (_gate)
                {
                    switch (effect)
                    {
                        case Deliver d:
                            var span = d.Delivery.Payload.Span;
                            _messages.Add(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(span) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(span[4..]));
                            break;
                        case DeliverConfiguration c:
                            _configurations.Add((_messages.Count, c.Change));
                            break;
                    }
                }
            }
        }
        catch (Exception) when (Runtime.Completion.IsFaulted)
        {
            // Surfaced by Completion, which the tests check.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await _reader.WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>A ring of <see cref="RingNode"/>s on 127.0.0.1..N over real UDP.</summary>
internal sealed class RingHarness : IAsyncDisposable
{
    public static readonly byte[] Key = Enumerable.Range(0, 256).Select(i => (byte)(i * 13 + 1)).ToArray();
    private readonly string _root = Directory.CreateTempSubdirectory("ring-").FullName;

    public RingHarness(int size, TransportKind kind, bool crypto, int token = 1000)
    {
        var nodes = LoopbackNet.Nodes(size);
        Totem = new TotemOptions { LocalNode = new NodeId(1), Nodes = [.. nodes.Keys], Token = token };
        Transport = new TransportOptions
        {
            Kind = kind,
            LocalNode = new NodeId(1),
            Nodes = nodes,
            Port = LoopbackNet.FreePort(nodes),
            MulticastAddress = kind == TransportKind.Udp ? System.Net.IPAddress.Parse($"239.192.{Random.Shared.Next(1, 254)}.{Random.Shared.Next(1, 254)}") : null,
            MulticastTtl = 0,
            Crypto = crypto ? new CryptoOptions(Key, "ring") : null,
            KnetPingInterval = TimeSpan.FromMilliseconds(token / 4),
            KnetPingTimeout = TimeSpan.FromMilliseconds(token / 2),
        };
    }

    public TotemOptions Totem { get; }

    public TransportOptions Transport { get; }

    public Dictionary<uint, RingNode> Nodes { get; } = [];

    public RingNode StartNode(uint id, CryptoOptions? crypto = null)
    {
        var node = new NodeId(id);
        var transport = Transport with { LocalNode = node };
        if (crypto is not null) transport = transport with { Crypto = crypto };
        var ringNode = new RingNode(node, Totem with { LocalNode = node }, transport, Path.Combine(_root, $"node{id}"));
        Nodes[id] = ringNode;
        return ringNode;
    }

    /// <summary>Stops a node abruptly: no leave message, its sockets just close.</summary>
    public async Task CrashAsync(uint id)
    {
        await Nodes[id].DisposeAsync();
        Nodes.Remove(id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values) await node.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
