using System.Runtime.InteropServices;
using System.Text;
using Cluster.Common.Paths;
using Cluster.Messaging.Runtime;
using Cluster.Messaging.Tests.Transport;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;
using Cluster.Messaging.Transport;
using Cluster.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Messaging.Tests.Runtime;

public sealed class TotemRuntimeTests : IAsyncLifetime
{
    private static readonly NodeId Local = new(1);
    private readonly string _root = Directory.CreateTempSubdirectory("runtime-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTotemNode _node = new(Local);
    private readonly FakeTransport _transport = new(Local);
    private readonly ListLogger _log = new();
    private TotemRuntime _runtime = null!;

    private HaPaths Paths => new(_root);

    public Task InitializeAsync()
    {
        _runtime = new TotemRuntime(_node, _transport, RuntimeOptions.For(Paths, Local) with { CheckFrames = false }, _time, _log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _runtime.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private static bool Wait(Func<bool> condition) => LoopbackNet.Eventually(condition);

    private async Task<List<string>> ReadDeliveries(int count)
    {
        var list = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (list.Count < count)
        {
            var effect = await _runtime.Deliveries.ReadAsync(timeout.Token);
            list.Add(effect switch
            {
                Deliver d => Encoding.ASCII.GetString(d.Delivery.Payload.Span),
                DeliverConfiguration c => $"conf {c.Change.Kind} {c.Change.RingId}",
                _ => throw new InvalidOperationException(effect.ToString()),
            });
        }
        return list;
    }

    [Fact]
    public void Start_hands_the_node_the_ring_sequence_from_the_ringid_file_under_HA_ROOT()
    {
        Directory.CreateDirectory(Paths.CorosyncLib);
        var bytes = new byte[8];
        MemoryMarshal.Write(bytes, 0x2aUL);
        File.WriteAllBytes(Path.Combine(Paths.CorosyncLib, "ringid_1"), bytes);
        _runtime.Start();
        Assert.True(Wait(() => _node.Has("start 2a")));
        Assert.Equal(0x2aUL, _runtime.PersistedRingSequence);
    }

    [Fact]
    public void PersistRingSequence_writes_the_ringid_file()
    {
        _node.OnStart = seq => [new PersistRingSequence(seq + 4)];
        _runtime.Start();
        var file = Path.Combine(Paths.CorosyncLib, "ringid_1");
        Assert.True(Wait(() => File.Exists(file)));
        Assert.Equal(4UL, MemoryMarshal.Read<ulong>(File.ReadAllBytes(file)));
        Assert.True(Wait(() => _runtime.PersistedRingSequence == 4));
    }

    [Fact]
    public void An_armed_timer_fires_once_at_its_due_time_with_that_time()
    {
        _node.OnStart = _ => [new ArmTimer(TotemTimer.TokenLoss, TimeSpan.FromMilliseconds(1000))];
        _runtime.Start();
        Assert.True(Wait(() => _node.Has("start 0")));
        // The node records "start" before the loop applies its effects: a round trip through the
        // loop makes sure the timer is armed at time 0 before the clock moves.
        _transport.Receive("\u0002armed");
        Assert.True(Wait(() => _node.Has("frame \u0002armed")));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        _transport.Receive("\u0002sync"); // a round trip through the loop: earlier events are handled
        Assert.True(Wait(() => _node.Has("frame \u0002sync")));
        Assert.DoesNotContain(_node.Calls, c => c.StartsWith("timer", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(Wait(() => _node.Has("timer TokenLoss at 1000ms")));
        _time.Advance(TimeSpan.FromSeconds(5));
        _transport.Receive("\u0002sync2");
        Assert.True(Wait(() => _node.Has("frame \u0002sync2")));
        Assert.Single(_node.Calls, c => c.StartsWith("timer", StringComparison.Ordinal));
    }

    [Fact]
    public void Re_arming_pushes_the_expiry_back_and_cancelling_stops_it()
    {
        _node.OnStart = _ => [new ArmTimer(TotemTimer.TokenLoss, TimeSpan.FromMilliseconds(1000)), new ArmTimer(TotemTimer.Join, TimeSpan.FromMilliseconds(50))];
        _node.OnFrameEffects = frame => frame[0] == 'r'
            ? [new ArmTimer(TotemTimer.TokenLoss, TimeSpan.FromMilliseconds(1000))]
            : [new CancelTimer(TotemTimer.Join)];
        _runtime.Start();
        Assert.True(Wait(() => _node.Has("start 0")));
        _transport.Receive("cancel");
        Assert.True(Wait(() => _node.Has("frame cancel")));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        _transport.Receive("rearm");
        Assert.True(Wait(() => _node.Has("frame rearm")));
        _time.Advance(TimeSpan.FromMilliseconds(600)); // 1100: the first arming would have fired at 1000
        _transport.Receive("c2");
        Assert.True(Wait(() => _node.Has("frame c2")));
        Assert.DoesNotContain(_node.Calls, c => c.StartsWith("timer", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.True(Wait(() => _node.Has("timer TokenLoss at 1500ms")));
        Assert.DoesNotContain(_node.Calls, c => c.StartsWith("timer Join", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliveries_and_configuration_changes_stream_in_the_order_the_node_produced_them()
    {
        var ring = new RingId(Local, 8);
        _node.OnFrameEffects = frame => frame[0] == 'c'
            ? [new DeliverConfiguration(new ConfigurationChange(ConfigurationKind.Transitional, ring, [Local], [], [])),
               new DeliverConfiguration(new ConfigurationChange(ConfigurationKind.Regular, ring, [Local], [], []))]
            : [new Deliver(new Delivery(Local, frame))];
        _runtime.Start();
        _transport.Receive("conf");
        for (var i = 0; i < 2000; i++) _transport.Receive($"m{i}");
        var got = await ReadDeliveries(2002);
        Assert.Equal(["conf Transitional 1.8", "conf Regular 1.8", .. Enumerable.Range(0, 2000).Select(i => $"m{i}")], got);
    }

    [Fact]
    public async Task Submissions_wait_while_the_node_queue_is_full_and_keep_their_order()
    {
        _runtime.Start();
        _node.QueueFull = true;
        var first = _runtime.SubmitAsync("a"u8.ToArray());
        var second = _runtime.SubmitManyAsync(["b"u8.ToArray(), "c"u8.ToArray()]);
        _transport.Receive("\u0002tick");
        Assert.True(Wait(() => _node.Has("frame \u0002tick")));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        _node.QueueFull = false;
        _transport.Receive("\u0002tock"); // the loop retries after every event
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["submit a", "submit b", "submit c"], _node.Calls.Where(c => c.StartsWith("submit", StringComparison.Ordinal)));
        Assert.Equal(["all: a", "all: b", "all: c"], _transport.Sent);
    }

    [Fact]
    public void The_transports_reachability_reports_reach_the_node_in_order()
    {
        _runtime.Start();
        _transport.PeerReachabilityChanged!(new NodeId(3), false);
        _transport.PeerReachabilityChanged!(new NodeId(3), true);

        Assert.True(Wait(() => _node.Calls.Count(c => c.StartsWith("reachability", StringComparison.Ordinal)) == 2));
        Assert.Equal(["reachability:3:False", "reachability:3:True"], _node.Calls.Where(c => c.StartsWith("reachability", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StopAsync_leaves_the_ring_sends_the_leave_and_closes_the_transport()
    {
        _runtime.Start();
        await _runtime.StopAsync();
        Assert.Equal("leave", _node.Calls.Last());
        Assert.Contains("all: bye", _transport.Sent);
        Assert.True(_log.Contains("leaving"));
        Assert.True(_transport.Disposed);
        Assert.True(_runtime.Deliveries.Completion.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => { _ = _runtime.SubmitAsync("late"u8.ToArray()); });
    }

    [Fact]
    public async Task Disposing_without_stop_is_a_crash_no_leave_is_sent()
    {
        _runtime.Start();
        Assert.True(Wait(() => _node.Has("start 0")));
        await _runtime.DisposeAsync();
        Assert.False(_node.Has("leave"));
        Assert.Empty(_transport.Sent);
        Assert.True(_transport.Disposed);
    }

    [Fact]
    public async Task A_failing_node_faults_the_runtime_and_its_delivery_stream()
    {
        _node.OnFrameEffects = _ => throw new InvalidOperationException("core bug");
        _runtime.Start();
        _transport.Receive("boom");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("core bug", error.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.Deliveries.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(_log.Contains("Totem protocol loop of node 1 failed"));
    }

    [Fact]
    public void Log_line_effects_go_to_the_logger_at_their_level()
    {
        _node.OnStart = _ => [new LogLine(Microsoft.Extensions.Logging.LogLevel.Warning, "A processor failed, forming new configuration.")];
        _runtime.Start();
        Assert.True(Wait(() => _log.Lines.Any(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && l.Message == "A processor failed, forming new configuration.")));
    }

    [Fact]
    public void A_message_over_one_MiB_is_refused_at_once_instead_of_blocking_the_queue()
    {
        _runtime.Start();
        var error = Assert.Throws<ArgumentException>(() => { _ = _runtime.SubmitAsync(new byte[TotemRuntime.MaxMessageSize + 1]); });
        Assert.StartsWith($"message 0 is {TotemRuntime.MaxMessageSize + 1} bytes; at most {TotemRuntime.MaxMessageSize} are allowed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statistics_count_frames_accepted_and_delivered_messages()
    {
        _runtime.Start();
        await _runtime.SubmitAsync("x"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
        _transport.Receive("\u0002a");
        _transport.Receive("\u0002b");
        await ReadDeliveries(2);
        var stats = _runtime.Statistics;
        Assert.Equal(2, stats.Frames);
        Assert.Equal(1, stats.Accepted);
        Assert.Equal(2, stats.Delivered);
    }

    [Fact]
    public async Task With_frame_checks_garbage_is_counted_by_reason_and_never_reaches_the_node()
    {
        var transport = new FakeTransport(Local);
        var node = new FakeTotemNode(Local);
        await using var runtime = new TotemRuntime(node, transport, RuntimeOptions.For(Paths, Local), _time, _log);
        runtime.Start();
        transport.Receive([0xC0, 0x70]); // shorter than a Totem header
        transport.Receive("GET / HTTP/1.1\r\n\r\n");
        transport.Receive(new byte[64]);
        var valid = TotemCodec.Encode(new TokenHoldCancelMessage(new NodeId(2), new RingId(new NodeId(2), 7)));
        transport.Receive(valid);
        Assert.True(Wait(() => node.Calls.Count(c => c.StartsWith("frame", StringComparison.Ordinal)) == 1));
        var counters = transport.Counters.Snapshot();
        Assert.Equal(1, counters.Drops[PacketDropReason.Truncated]);
        Assert.Equal(2, counters.Drops[PacketDropReason.Malformed]);
        Assert.Equal(1, counters.Accepted);
        Assert.Equal(1, runtime.Statistics.Frames);
    }

    [Fact]
    public async Task A_start_failure_propagates_and_disposal_still_closes_the_transport()
    {
        Directory.CreateDirectory(Paths.CorosyncLib);
        File.WriteAllBytes(Path.Combine(Paths.CorosyncLib, "ringid_1"), [1, 2]);
        var error = Assert.Throws<InvalidDataException>(_runtime.Start);
        Assert.Contains("ring id file holds 2 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => { _ = _runtime.SubmitAsync("x"u8.ToArray()); });
        await _runtime.DisposeAsync();
        Assert.True(_transport.Disposed);
    }
}
