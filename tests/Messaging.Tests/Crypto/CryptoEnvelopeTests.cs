using System.Security.Cryptography;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace Cluster.Messaging.Tests.Crypto;

public class CryptoEnvelopeTests
{
    private static readonly NodeId N1 = new(1);
    private static readonly NodeId N2 = new(2);
    private static readonly NodeId[] Members = [N1, N2, new NodeId(3)];
    private static readonly byte[] Key = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private static CryptoEnvelope Envelope(NodeId local, byte[]? key = null, ulong epoch = 100, string cluster = "alpha") =>
        new(new CryptoOptions(key ?? Key, cluster), local, Members, epoch);

    private static byte[] Seal(CryptoEnvelope envelope, byte[] plaintext)
    {
        var packet = new byte[CryptoEnvelope.SealedLength(plaintext.Length)];
        envelope.Seal(plaintext, packet);
        return packet;
    }

    private static (bool Ok, NodeId Sender, byte[] Plain, PacketDropReason Reason) Open(CryptoEnvelope envelope, byte[] packet, NodeId? source = null)
    {
        var plain = new byte[Math.Max(0, packet.Length)];
        var ok = envelope.TryOpen(packet, plain, source, out var sender, out var length, out var reason);
        return (ok, sender, plain[..(ok ? length : 0)], reason);
    }

    [Fact]
    public void Round_trip_returns_the_plaintext_and_the_sender()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var result = Open(receiver, Seal(sender, "hello totem"u8.ToArray()), N1);
        Assert.True(result.Ok);
        Assert.Equal(N1, result.Sender);
        Assert.Equal("hello totem"u8.ToArray(), result.Plain);
    }

    [Fact]
    public void The_plaintext_does_not_appear_on_the_wire()
    {
        using var sender = Envelope(N1);
        var plain = "a fairly recognisable plaintext"u8.ToArray();
        var packet = Seal(sender, plain);
        Assert.Equal(-1, packet.AsSpan().IndexOf(plain));
    }

    [Fact]
    public void Round_trips_any_payload_from_any_member_exactly_once()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Gen.Elements(1u, 2u, 3u).ToArbitrary(), (payload, from) =>
        {
            using var sender = Envelope(new NodeId(from), epoch: 7);
            using var receiver = Envelope(N1, epoch: 9);
            var packet = Seal(sender, payload);
            var first = Open(receiver, packet);
            var again = Open(receiver, packet);
            return first.Ok && first.Sender.Value == from && first.Plain.AsSpan().SequenceEqual(payload)
                && !again.Ok && again.Reason == PacketDropReason.Replay;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_packet_sealed_with_another_authkey_fails_authentication()
    {
        var otherKey = RandomNumberGenerator.GetBytes(256);
        using var intruder = Envelope(N1, otherKey);
        using var receiver = Envelope(N2);
        var result = Open(receiver, Seal(intruder, "join"u8.ToArray()));
        Assert.False(result.Ok);
        Assert.Equal(PacketDropReason.AuthenticationFailed, result.Reason);
    }

    [Fact]
    public void Another_cluster_name_with_the_same_key_fails_authentication()
    {
        using var other = Envelope(N1, cluster: "beta");
        using var receiver = Envelope(N2);
        Assert.Equal(PacketDropReason.AuthenticationFailed, Open(receiver, Seal(other, [1, 2, 3])).Reason);
    }

    [Theory]
    [InlineData(0)]   // version
    [InlineData(3)]   // sender
    [InlineData(10)]  // epoch
    [InlineData(15)]  // counter
    [InlineData(25)]  // ciphertext
    [InlineData(-1)]  // tag
    public void Flipping_any_bit_is_detected(int offset)
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var packet = Seal(sender, new byte[40]);
        packet[offset < 0 ? packet.Length + offset : offset] ^= 0x01;
        var result = Open(receiver, packet);
        Assert.False(result.Ok);
        Assert.Contains(result.Reason, new[] { PacketDropReason.AuthenticationFailed, PacketDropReason.UnsupportedEnvelope, PacketDropReason.UnknownSender });
    }

    [Fact]
    public void A_packet_shorter_than_header_and_tag_is_truncated()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var packet = Seal(sender, []);
        Assert.True(Open(receiver, packet).Ok);
        Assert.Equal(PacketDropReason.Truncated, Open(receiver, packet[..^1]).Reason);
        Assert.Equal(PacketDropReason.Truncated, Open(receiver, []).Reason);
    }

    [Fact]
    public void A_cut_ciphertext_fails_authentication()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var packet = Seal(sender, new byte[100]);
        Assert.Equal(PacketDropReason.AuthenticationFailed, Open(receiver, packet[..^10]).Reason);
    }

    [Fact]
    public void An_unknown_version_or_suite_is_unsupported()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var packet = Seal(sender, new byte[10]);
        packet[1] = 9;
        Assert.Equal(PacketDropReason.UnsupportedEnvelope, Open(receiver, packet).Reason);
    }

    [Fact]
    public void A_sender_outside_the_nodelist_is_dropped_before_decryption()
    {
        using var outsider = new CryptoEnvelope(new CryptoOptions(Key, "alpha"), new NodeId(9), [new NodeId(9)], 1);
        using var receiver = Envelope(N2);
        Assert.Equal(PacketDropReason.UnknownSender, Open(receiver, Seal(outsider, [1])).Reason);
    }

    [Fact]
    public void A_sender_that_does_not_own_the_source_address_is_a_source_mismatch()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        Assert.Equal(PacketDropReason.SourceMismatch, Open(receiver, Seal(sender, [1]), source: new NodeId(3)).Reason);
    }

    [Fact]
    public void A_replayed_packet_is_dropped_and_later_packets_still_pass()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var first = Seal(sender, [1]);
        var second = Seal(sender, [2]);
        Assert.True(Open(receiver, second).Ok);
        Assert.True(Open(receiver, first).Ok); // reordered, not replayed
        Assert.Equal(PacketDropReason.Replay, Open(receiver, first).Reason);
        Assert.Equal(PacketDropReason.Replay, Open(receiver, second).Reason);
        Assert.True(Open(receiver, Seal(sender, [3])).Ok);
    }

    [Fact]
    public void A_packet_far_behind_the_window_is_too_old()
    {
        using var sender = Envelope(N1);
        using var receiver = Envelope(N2);
        var old = Seal(sender, [0]);
        for (var i = 0; i < ReplayWindow.Size + 1; i++) Seal(sender, [1]);
        Assert.True(Open(receiver, Seal(sender, [2])).Ok);
        Assert.Equal(PacketDropReason.TooOld, Open(receiver, old).Reason);
    }

    [Fact]
    public void A_restarted_sender_with_a_newer_epoch_is_accepted_and_its_old_boot_is_then_too_old()
    {
        using var receiver = Envelope(N2);
        using var firstBoot = Envelope(N1, epoch: 100);
        var oldPacket = Seal(firstBoot, [1]);
        Assert.True(Open(receiver, Seal(firstBoot, [0])).Ok);
        using var secondBoot = Envelope(N1, epoch: 200);
        Assert.True(Open(receiver, Seal(secondBoot, [2])).Ok); // its counter restarts at 1
        Assert.Equal(PacketDropReason.TooOld, Open(receiver, oldPacket).Reason);
    }

    [Fact]
    public void A_forged_packet_with_a_newer_epoch_does_not_displace_the_current_one()
    {
        using var receiver = Envelope(N2);
        using var sender = Envelope(N1, epoch: 100);
        Assert.True(Open(receiver, Seal(sender, [0])).Ok);
        using var forger = Envelope(N1, RandomNumberGenerator.GetBytes(256), epoch: 999);
        Assert.Equal(PacketDropReason.AuthenticationFailed, Open(receiver, Seal(forger, [1])).Reason);
        Assert.True(Open(receiver, Seal(sender, [2])).Ok);
    }

    [Fact]
    public void New_epochs_grow_with_the_clock()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var first = CryptoEnvelope.NewEpoch(time);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(CryptoEnvelope.NewEpoch(time) > first);
    }

    [Theory]
    [InlineData(127)]
    [InlineData(4097)]
    public void An_authkey_outside_128_to_4096_bytes_is_rejected(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new CryptoOptions(new byte[length], "c").Validate());
        Assert.Contains($"{length} bytes", error.Message, StringComparison.Ordinal);
    }
}
