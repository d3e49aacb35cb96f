using System.Net;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Transport;

public class FrameGuardTests
{
    private static TransportOptions Options(bool blockUnlisted, bool crypto) => new()
    {
        Kind = TransportKind.Udpu,
        LocalNode = new NodeId(1),
        Nodes = LoopbackNet.Nodes(2),
        BlockUnlistedIps = blockUnlisted,
        Crypto = crypto ? new CryptoOptions(TransportHarness.Key, "guard") : null,
    };

    [Fact]
    public void Without_crypto_a_listed_source_names_its_node_and_the_frame_is_copied()
    {
        using var guard = new FrameGuard(Options(blockUnlisted: true, crypto: false), new PacketCounters(), 1);
        byte[] datagram = [1, 2, 3];
        Assert.True(guard.TryAccept(IPAddress.Parse("127.0.0.2"), datagram, out var sender, out var frame));
        Assert.Equal(new NodeId(2), sender);
        Assert.Equal(datagram, frame);
        Assert.NotSame(datagram, frame);
    }

    [Fact]
    public void With_block_unlisted_ips_off_an_unlisted_source_passes_as_node_zero()
    {
        using var guard = new FrameGuard(Options(blockUnlisted: false, crypto: false), new PacketCounters(), 1);
        Assert.True(guard.TryAccept(IPAddress.Parse("127.0.0.99"), [7], out var sender, out _));
        Assert.Equal(0u, sender.Value);
    }

    [Fact]
    public void An_empty_datagram_is_truncated_and_a_plaintext_one_under_crypto_is_not_accepted()
    {
        var counters = new PacketCounters();
        using (var plain = new FrameGuard(Options(true, false), counters, 1))
            Assert.False(plain.TryAccept(IPAddress.Parse("127.0.0.2"), [], out _, out _));
        using (var sealedGuard = new FrameGuard(Options(true, true), counters, 1))
        {
            Assert.False(sealedGuard.TryAccept(IPAddress.Parse("127.0.0.2"), new byte[20], out _, out _));
            Assert.False(sealedGuard.TryAccept(IPAddress.Parse("127.0.0.2"), new byte[100], out _, out _));
        }
        Assert.Equal(2, counters.Dropped(PacketDropReason.Truncated));
        Assert.Equal(1, counters.Dropped(PacketDropReason.UnsupportedEnvelope));
    }

    [Fact]
    public void Protect_then_accept_round_trips_between_two_members()
    {
        using var one = new FrameGuard(Options(true, true), new PacketCounters(), 10);
        using var two = new FrameGuard(Options(true, true) with { LocalNode = new NodeId(2) }, new PacketCounters(), 20);
        var wire = new byte[one.WireLength(5)];
        one.Protect("hello"u8, wire);
        Assert.True(two.TryAccept(IPAddress.Parse("127.0.0.1"), wire, out var sender, out var frame));
        Assert.Equal(new NodeId(1), sender);
        Assert.Equal("hello"u8.ToArray(), frame);
    }

    private sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch.AddDays(1);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>
    /// Issue 17 weakness: packets that failed authentication left no log line. Now a flood leaves
    /// one line per 10 s with the number suppressed (an outsider must not fill the disk).
    /// </summary>
    [Fact]
    public void Failed_authentication_is_logged_rate_limited_with_the_suppressed_count()
    {
        var logger = new ListLogger();
        var time = new ManualTime();
        var counters = new PacketCounters();
        var wrongKey = new byte[TransportHarness.Key.Length];
        wrongKey.AsSpan().Fill(0x5a);
        using var forger = new FrameGuard(Options(true, true) with { Crypto = new CryptoOptions(wrongKey, "guard") }, new PacketCounters(), 10);
        using var guard = new FrameGuard(Options(true, true) with { LocalNode = new NodeId(2) }, counters, 20, logger, time);
        var wire = new byte[forger.WireLength(5)];
        forger.Protect("hello"u8, wire);
        for (int i = 0; i < 100; i++)
            Assert.False(guard.TryAccept(IPAddress.Parse("127.0.0.1"), wire, out _, out _));
        Assert.Equal(100, counters.Dropped(PacketDropReason.AuthenticationFailed));
        var first = Assert.Single(logger.Lines);
        Assert.Equal("Dropped a datagram from 127.0.0.1: authentication failed (wrong authkey, corruption or forgery)", first.Message);
        time.Now += TimeSpan.FromSeconds(11);
        Assert.False(guard.TryAccept(IPAddress.Parse("127.0.0.1"), wire, out _, out _));
        Assert.Equal(2, logger.Lines.Count);
        Assert.EndsWith("(99 similar lines suppressed)", logger.Lines[1].Message, StringComparison.Ordinal);
    }
}
