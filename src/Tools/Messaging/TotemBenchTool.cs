using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>
/// <c>totem-bench</c>: rings of 3 and 5 in-process nodes on 127.0.0.x over real UDP, with and
/// without crypto; sustained ordered throughput per message size, delivery latency under a
/// light load, and the time from a node's crash to the new ring's first delivery for several
/// token timeouts. A benchmark, not a test: it prints figures, it does not judge them (except
/// the re-formation bound, which it reports as within=yes/no).
/// </summary>
public static class TotemBenchTool
{
    private sealed record Settings(
        ImmutableArray<int> Nodes,
        ImmutableArray<int> Sizes,
        ImmutableArray<bool> Crypto,
        TransportKind Transport,
        double Seconds,
        ImmutableArray<int> Tokens,
        string? Only,
        int WindowSize = 50,
        int MaxMessages = 17);

    private static RootCommand Command(ToolContext context, string[] args)
    {
        var nodes = new Option<string>("--nodes") { Description = "Ring sizes, comma-separated (2..16)", DefaultValueFactory = _ => "3,5" };
        var sizes = new Option<string>("--sizes") { Description = "Message sizes in bytes, comma-separated", DefaultValueFactory = _ => "64,1024,65536" };
        var crypto = new Option<string>("--crypto") { Description = "on, off or both (on,off)", DefaultValueFactory = _ => "off,on" };
        var transport = new Option<string>("--transport") { Description = "udpu, udp or knet", DefaultValueFactory = _ => "udpu" };
        var seconds = new Option<string>("--seconds") { Description = "Length of each throughput/latency run", DefaultValueFactory = _ => "5" };
        var tokens = new Option<string>("--tokens") { Description = "Token timeouts (ms) for the failover runs, comma-separated", DefaultValueFactory = _ => "3000,1000,300" };
        var only = new Option<string>("--only") { Description = "Run only throughput, latency or failover" };
        var windowSize = new Option<string>("--window-size") { Description = "Totem window_size", DefaultValueFactory = _ => "50" };
        var maxMessages = new Option<string>("--max-messages") { Description = "Totem max_messages", DefaultValueFactory = _ => "17" };
        var root = new RootCommand("Totem over real UDP on 127.0.0.x: ordered throughput, latency, crash-to-new-ring time.")
        {
            nodes, sizes, crypto, transport, seconds, tokens, only, windowSize, maxMessages,
        };
        root.SetAction(async (r, _) =>
        {
            Settings settings;
            try
            {
                settings = Parse(r.GetValue(nodes)!, r.GetValue(sizes)!, r.GetValue(crypto)!, r.GetValue(transport)!, r.GetValue(seconds)!,
                    r.GetValue(tokens)!, r.GetValue(only), r.GetValue(windowSize)!, r.GetValue(maxMessages)!);
            }
            catch (FormatException e)
            {
                await context.Err.WriteLineAsync($"totem-bench: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            return await BenchAsync(context, settings, args).ConfigureAwait(false);
        });
        return root;
    }

    public static Task<int> RunTool(ToolContext context, string[] args) => OwnToolCommand.InvokeAsync(context, Command(context, args), args);

    private static async Task<int> BenchAsync(ToolContext context, Settings settings, string[] args)
    {
        var output = context.Out;
        await output.WriteLineAsync($"# machine: {Machine()}").ConfigureAwait(false);
        await output.WriteLineAsync($"# command: totem-bench {string.Join(' ', args)}").ConfigureAwait(false);
        var root = Directory.CreateTempSubdirectory("totem-bench-").FullName;
        try
        {
            foreach (var nodes in settings.Nodes)
            {
                foreach (var crypto in settings.Crypto)
                {
                    if (settings.Only is null or "throughput" or "latency")
                        await RunLoadAsync(settings, nodes, crypto, root, output).ConfigureAwait(false);
                    if (settings.Only is null or "failover")
                    {
                        foreach (var token in settings.Tokens)
                            await RunFailoverAsync(settings, nodes, crypto, token, root, output).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return 0;
    }

    private static Settings Parse(string nodes, string sizes, string crypto, string transport, string seconds, string tokens, string? only,
        string windowSize, string maxMessages)
    {
        static ImmutableArray<int> Ints(string text, string option, int min, int max) =>
        [
            .. text.Split(',').Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n : throw new FormatException($"{option}: \"{v}\" is not a number in {min}..{max}")),
        ];
        if (only is not (null or "throughput" or "latency" or "failover"))
            throw new FormatException($"--only: \"{only}\" is not throughput, latency or failover");
        return new Settings(
            Ints(nodes, "--nodes", 2, 16),
            Ints(sizes, "--sizes", TotemBenchNode.HeaderBytes, 1 << 20),
            [.. crypto.Split(',').Select(v => v switch
            {
                "on" => true,
                "off" => false,
                _ => throw new FormatException($"--crypto: \"{v}\" is not on or off"),
            })],
            transport switch
            {
                "udpu" => TransportKind.Udpu,
                "udp" => TransportKind.Udp,
                "knet" => TransportKind.Knet,
                var v => throw new FormatException($"--transport: \"{v}\" is not udpu, udp or knet"),
            },
            Ints(seconds, "--seconds", 1, 3600)[0],
            Ints(tokens, "--tokens", 30, 60_000),
            only,
            Ints(windowSize, "--window-size", 1, 100_000)[0],
            Ints(maxMessages, "--max-messages", 1, 100_000)[0]);
    }

    private sealed class Ring(List<TotemBenchNode> nodes, TotemOptions totem) : IAsyncDisposable
    {
        public List<TotemBenchNode> Nodes { get; } = nodes;

        public TotemOptions Totem { get; } = totem;

        public async ValueTask DisposeAsync()
        {
            foreach (var node in Nodes) await node.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<Ring> FormAsync(Settings settings, int size, bool crypto, int token, string root)
    {
        var nodelist = Enumerable.Range(1, size).ToImmutableSortedDictionary(
            i => new NodeId((uint)i), i => ImmutableArray.Create(IPAddress.Parse($"127.0.0.{i}")));
        var totem = new TotemOptions
        {
            LocalNode = new NodeId(1),
            Nodes = [.. nodelist.Keys],
            Token = token,
            WindowSize = settings.WindowSize,
            MaxMessages = settings.MaxMessages,
        };
        var transport = new TransportOptions
        {
            Kind = settings.Transport,
            LocalNode = new NodeId(1),
            Nodes = nodelist,
            Port = FreeUdpPort.Find(nodelist.Values.Select(a => a[0])),
            MulticastAddress = settings.Transport == TransportKind.Udp ? IPAddress.Parse("239.192.77.77") : null,
            MulticastTtl = 0,
            Crypto = crypto ? new CryptoOptions(System.Security.Cryptography.RandomNumberGenerator.GetBytes(256), "bench") : null,
            KnetPingInterval = TimeSpan.FromMilliseconds(Math.Max(10, token / 4)),
            KnetPingTimeout = TimeSpan.FromMilliseconds(Math.Max(20, token / 2)),
        };
        var ringRoot = Path.Combine(root, Guid.NewGuid().ToString("N"));
        var nodes = nodelist.Keys.Select(id => new TotemBenchNode(
            totem with { LocalNode = id }, transport with { LocalNode = id }, Path.Combine(ringRoot, $"node{id}"))).ToList();
        var ring = new Ring(nodes, totem);
        if (!await WaitAsync(() => nodes.All(n => n.IsIn(size)), TimeSpan.FromSeconds(60)).ConfigureAwait(false))
        {
            await ring.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"a ring of {size} nodes did not form within 60 s");
        }
        return ring;
    }

    private static async Task RunLoadAsync(Settings settings, int size, bool crypto, string root, TextWriter output)
    {
        await using var ring = await FormAsync(settings, size, crypto, 3000, root).ConfigureAwait(false);
        var label = $"transport={settings.Transport.Name()} nodes={size} crypto={(crypto ? "on" : "off")}"
            + (settings.WindowSize != 50 || settings.MaxMessages != 17 ? $" window_size={settings.WindowSize} max_messages={settings.MaxMessages}" : "");
        if (settings.Only is null or "throughput")
        {
            foreach (var messageSize in settings.Sizes)
            {
                var result = await ThroughputAsync(ring, messageSize, settings.Seconds).ConfigureAwait(false);
                await output.WriteLineAsync(
                    $"throughput {label} size={messageSize} msgs/s={result.PerSecond:F0} MB/s={result.MegabytesPerSecond:F1} "
                    + $"p50={result.P50:F1}ms p99={result.P99:F1}ms (saturated) core={result.CoreShare:P0} send={result.SendShare:P0} cpu={result.ProcessCpu:P0} seconds={result.Seconds:F1}")
                    .ConfigureAwait(false);
            }
        }
        if (settings.Only is null or "latency")
        {
            foreach (var messageSize in settings.Sizes)
            {
                // One message per node every 5 ms, slower for big messages: about 4 MB/s in all, far below capacity.
                var interval = TimeSpan.FromMilliseconds(Math.Max(5, messageSize * (double)ring.Nodes.Count / 4_000));
                var (p50, p99, samples) = await LatencyAsync(ring, messageSize, interval, settings.Seconds).ConfigureAwait(false);
                await output.WriteLineAsync(
                    $"latency {label} size={messageSize} rate={ring.Nodes.Count * 1000 / interval.TotalMilliseconds:F0}/s p50={p50:F2}ms p99={p99:F2}ms samples={samples}")
                    .ConfigureAwait(false);
            }
        }
    }

    private sealed record Throughput(double PerSecond, double MegabytesPerSecond, double P50, double P99, double Seconds, double CoreShare, double SendShare, double ProcessCpu);

    /// <summary>
    /// Every node keeps its send queue full for a warm-up second plus <paramref name="seconds"/>;
    /// deliveries at node 1 over the measured window give the rate (all nodes deliver the same
    /// total order). The latency of a sample of the messages is the queueing delay at saturation.
    /// </summary>
    private static async Task<Throughput> ThroughputAsync(Ring ring, int messageSize, double seconds)
    {
        using var stop = new CancellationTokenSource();
        var batch = Math.Clamp(64 * 1024 / messageSize, 1, 256);
        var senders = ring.Nodes.Select(node => Task.Run(async () =>
        {
            uint seq = 0;
            while (!stop.IsCancellationRequested)
            {
                var messages = new ReadOnlyMemory<byte>[batch];
                for (var k = 0; k < batch; k++) messages[k] = TotemBenchNode.Message(node.Id, seq++, messageSize);
                try
                {
                    await node.Runtime.SubmitManyAsync(messages, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })).ToArray();

        var observer = ring.Nodes[0];
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        observer.TakeLatencies();
        observer.SampleLatency = true;
        var startCount = observer.Delivered;
        var startBytes = observer.DeliveredBytes;
        var statsBefore = ring.Nodes.Select(n => n.Runtime.Statistics).ToArray();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds)).ConfigureAwait(false);
        var count = observer.Delivered - startCount;
        var bytes = observer.DeliveredBytes - startBytes;
        var elapsed = clock.Elapsed.TotalSeconds;
        var statsAfter = ring.Nodes.Select(n => n.Runtime.Statistics).ToArray();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / elapsed / Environment.ProcessorCount;
        var core = statsAfter.Zip(statsBefore, (a, b) => (a.InCore - b.InCore).TotalSeconds).Average() / elapsed;
        var send = statsAfter.Zip(statsBefore, (a, b) => (a.InTransportSend - b.InTransportSend).TotalSeconds).Average() / elapsed;
        observer.SampleLatency = false;
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(senders).ConfigureAwait(false);
        var latencies = observer.TakeLatencies();

        // Drain: every message any node accepted (cumulative) is delivered everywhere before the
        // next measurement starts.
        var target = ring.Nodes.Sum(n => n.Runtime.Statistics.Accepted);
        if (!await WaitAsync(() => ring.Nodes.All(n => n.Runtime.Statistics.Delivered >= target), TimeSpan.FromSeconds(120)).ConfigureAwait(false))
            throw new InvalidOperationException($"the ring did not deliver its {target} accepted messages within 120 s");
        foreach (var node in ring.Nodes) node.TakeLatencies();
        return new Throughput(count / elapsed, bytes / elapsed / 1e6, Percentile(latencies, 0.50), Percentile(latencies, 0.99), elapsed, core, send, cpu);
    }

    /// <summary>Each node sends one message every <paramref name="interval"/>; latency from send to delivery is sampled at every node.</summary>
    private static async Task<(double P50, double P99, int Samples)> LatencyAsync(Ring ring, int messageSize, TimeSpan interval, double seconds)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        foreach (var node in ring.Nodes)
        {
            node.TakeLatencies();
            node.SampleLatency = true;
        }
        var before = ring.Nodes.Select(n => n.Delivered).ToArray();
        var senders = ring.Nodes.Select(node => Task.Run(async () =>
        {
            uint seq = 0;
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                    await node.Runtime.SubmitAsync(TotemBenchNode.Message(node.Id, seq++, messageSize), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the measurement window ended
            }
            return seq;
        })).ToArray();
        var sent = (await Task.WhenAll(senders).ConfigureAwait(false)).Sum(s => (long)s);
        await WaitAsync(() => ring.Nodes.Select((n, i) => n.Delivered - before[i]).All(d => d >= sent), TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var samples = new List<double>();
        foreach (var node in ring.Nodes)
        {
            node.SampleLatency = false;
            samples.AddRange(node.TakeLatencies());
        }
        return (Percentile(samples, 0.50), Percentile(samples, 0.99), samples.Count);
    }

    /// <summary>
    /// Light traffic from every node but the last, then the last node stops abruptly (no leave):
    /// the time until node 1 delivers the first message in a regular configuration without it.
    /// </summary>
    private static async Task RunFailoverAsync(Settings settings, int size, bool crypto, int token, string root, TextWriter output)
    {
        await using var ring = await FormAsync(settings, size, crypto, token, root).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        var victim = ring.Nodes[^1];
        var survivors = ring.Nodes.Take(size - 1).ToList();
        var senders = survivors.Select(node => Task.Run(async () =>
        {
            uint seq = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                    await node.Runtime.SubmitAsync(TotemBenchNode.Message(node.Id, seq++, 64), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // done
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
        var regularsBefore = ring.Nodes[0].Regulars.Count;
        var crashedAt = Stopwatch.GetTimestamp();
        await victim.DisposeAsync().ConfigureAwait(false);
        ring.Nodes.Remove(victim);

        var observer = ring.Nodes[0];
        TotemBenchNode.RegularSeen? reformed = null;
        var bound = (ring.Totem.EffectiveToken + ring.Totem.Consensus) * 1.1;
        await WaitAsync(() =>
        {
            reformed = observer.Regulars.Skip(regularsBefore)
                .FirstOrDefault(r => !r.Change.Members.Contains(victim.Id) && r.FirstDeliveryAt is not null);
            return reformed is not null;
        }, TimeSpan.FromMilliseconds(bound * 3 + 10_000)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(senders).ConfigureAwait(false);

        var label = $"failover transport={settings.Transport.Name()} nodes={size} crypto={(crypto ? "on" : "off")} token={token} "
            + $"token_eff={ring.Totem.EffectiveToken} consensus={ring.Totem.Consensus} bound={bound:F0}ms";
        if (reformed is null)
        {
            await output.WriteLineAsync($"{label} measured=none (no new ring delivered within {bound * 3 + 10_000:F0} ms)").ConfigureAwait(false);
            return;
        }
        var measured = Stopwatch.GetElapsedTime(crashedAt, reformed.FirstDeliveryAt!.Value).TotalMilliseconds;
        var formed = Stopwatch.GetElapsedTime(crashedAt, reformed.At).TotalMilliseconds;
        await output.WriteLineAsync(
            $"{label} regular_config={formed:F0}ms first_delivery={measured:F0}ms within={(measured <= bound ? "yes" : "no")}")
            .ConfigureAwait(false);
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(p * values.Count) - 1, 0, values.Count - 1)];
    }

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition()) return true;
            await Task.Delay(10).ConfigureAwait(false);
        }
        return condition();
    }

    private static string Machine()
    {
        var cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException)
        {
            // not Linux: keep the placeholder
        }
        return $"{cpu}, {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }
}
