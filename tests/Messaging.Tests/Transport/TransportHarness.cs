using System.Collections.Immutable;
using System.Net;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Tests.Transport;

/// <summary>N started transports of one kind on loopback, each with its own sink and log.</summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    public static readonly byte[] Key = Enumerable.Range(0, 256).Select(i => (byte)(i * 7)).ToArray();

    private TransportHarness(List<ITransport> transports, List<FrameSink> sinks, List<ListLogger> logs, TransportOptions template)
    {
        Transports = transports;
        Sinks = sinks;
        Logs = logs;
        Template = template;
    }

    public List<ITransport> Transports { get; }

    public List<FrameSink> Sinks { get; }

    public List<ListLogger> Logs { get; }

    public TransportOptions Template { get; }

    public static TransportHarness Start(TransportKind kind, int nodes, bool crypto, int links = 1,
        Func<TransportOptions, TransportOptions>? adjust = null, IEnumerable<int>? only = null)
    {
        var nodelist = LoopbackNet.Nodes(nodes, links);
        var template = new TransportOptions
        {
            Kind = kind,
            LocalNode = new NodeId(1),
            Nodes = nodelist,
            Port = LoopbackNet.FreePort(nodelist),
            MulticastAddress = kind == TransportKind.Udp ? IPAddress.Parse($"239.192.{Random.Shared.Next(1, 254)}.{Random.Shared.Next(1, 254)}") : null,
            MulticastTtl = 0,
            Crypto = crypto ? new CryptoOptions(Key, "harness") : null,
            KnetPingInterval = TimeSpan.FromMilliseconds(100),
            KnetPingTimeout = TimeSpan.FromMilliseconds(2000),
        };
        if (adjust is not null) template = adjust(template);
        var transports = new List<ITransport>();
        var sinks = new List<FrameSink>();
        var logs = new List<ListLogger>();
        foreach (var i in only ?? Enumerable.Range(1, nodes))
        {
            var log = new ListLogger();
            var transport = TransportFactory.Create(template with { LocalNode = new NodeId((uint)i) }, log, TimeProvider.System, (ulong)i * 1000);
            var sink = new FrameSink();
            transport.Start(sink.OnFrame);
            transports.Add(transport);
            sinks.Add(sink);
            logs.Add(log);
        }
        return new TransportHarness(transports, sinks, logs, template);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in Transports) await transport.DisposeAsync();
    }
}
