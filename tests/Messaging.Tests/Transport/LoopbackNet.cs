using System.Collections.Immutable;
using System.Net;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Transport;

/// <summary>Loopback-only addressing and bounded waiting for the socket tests.</summary>
internal static class LoopbackNet
{
    public static IPAddress Address(int node, int link = 0) => IPAddress.Parse($"127.0.{link}.{node}");

    /// <summary>Node ids 1..count, node i on 127.0.l.i for each link l.</summary>
    public static ImmutableSortedDictionary<NodeId, ImmutableArray<IPAddress>> Nodes(int count, int links = 1) =>
        Enumerable.Range(1, count).ToImmutableSortedDictionary(
            i => new NodeId((uint)i),
            i => Enumerable.Range(0, links).Select(l => Address(i, l)).ToImmutableArray());

    /// <summary>
    /// A UDP port (and port-1, for udp's send socket) free on every given address right now.
    /// Bounded: gives up after 200 attempts.
    /// </summary>
    public static int FreePort(IEnumerable<IPAddress> addresses) => FreeUdpPort.Find(addresses);

    public static int FreePort(ImmutableSortedDictionary<NodeId, ImmutableArray<IPAddress>> nodes) =>
        FreePort(nodes.Values.SelectMany(a => a));

    /// <summary>Polls <paramref name="condition"/> every 10 ms until true or <paramref name="timeout"/> (default 20 s) passes.</summary>
    public static bool Eventually(Func<bool> condition, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var started = DateTime.UtcNow;
        for (var i = 0; i < 100_000; i++)
        {
            if (condition()) return true;
            if (DateTime.UtcNow - started > limit) return condition();
            Thread.Sleep(10);
        }
        return condition();
    }

    /// <summary>Async twin of <see cref="Eventually"/>: polls every 20 ms, bounded by <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        for (var i = 0; i < 1_000_000; i++)
        {
            if (condition()) return true;
            if (DateTime.UtcNow - started > timeout) return condition();
            await Task.Delay(20);
        }
        return condition();
    }
}
