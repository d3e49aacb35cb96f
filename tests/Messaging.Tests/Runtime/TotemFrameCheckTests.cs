using System.Collections.Immutable;
using Cluster.Messaging.Runtime;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Runtime;

public class TotemFrameCheckTests
{
    private static readonly RingId Ring = new(new NodeId(1), 4);

    [Fact]
    public void Every_kind_of_Totem_frame_passes()
    {
        TotemMessage[] messages =
        [
            new OrfToken(new NodeId(1)) { RingId = Ring },
            new MergeDetectMessage(new NodeId(1), new NodeId(1), Ring),
            new JoinMessage(new NodeId(1), new NodeId(1), 4, [new NodeId(1), new NodeId(2)], ImmutableArray<NodeId>.Empty),
            new TokenHoldCancelMessage(new NodeId(1), Ring),
        ];
        foreach (var message in messages)
            Assert.True(TotemFrameCheck.IsWellFormed(TotemCodec.Encode(message), out _, out var error), $"{message.Type}: {error}");
        Assert.True(TotemFrameCheck.IsWellFormed(TotemCodec.EncodeMcast(new NodeId(2), 9, Ring, false, "payload"u8), out _, out _));
    }

    [Fact]
    public void Random_garbage_is_rejected_as_truncated_below_the_header_size_and_malformed_above()
    {
        var random = new Random(4242);
        for (var i = 0; i < 5000; i++)
        {
            var junk = new byte[random.Next(0, 400)];
            random.NextBytes(junk);
            Assert.False(TotemFrameCheck.IsWellFormed(junk, out var reason, out var error));
            Assert.False(string.IsNullOrEmpty(error));
            Assert.Equal(junk.Length < TotemCodec.HeaderSize ? PacketDropReason.Truncated : PacketDropReason.Malformed, reason);
        }
    }

    [Fact]
    public void A_valid_frame_cut_short_or_with_trailing_bytes_is_malformed()
    {
        var frame = TotemCodec.Encode(new JoinMessage(new NodeId(1), new NodeId(1), 4, [new NodeId(1), new NodeId(2)], ImmutableArray<NodeId>.Empty));
        Assert.False(TotemFrameCheck.IsWellFormed(frame.AsMemory(0, frame.Length - 1), out var cut, out _));
        Assert.Equal(PacketDropReason.Malformed, cut);
        Assert.False(TotemFrameCheck.IsWellFormed(frame.Concat(new byte[] { 0 }).ToArray(), out var trailing, out _));
        Assert.Equal(PacketDropReason.Malformed, trailing);
    }
}
