using Cluster.Messaging.Fragmentation;
using Cluster.Messaging.Simulation;
using Cluster.Messaging.Totem;
using FsCheck;
using FsCheck.Fluent;

namespace Cluster.Messaging.Tests.Fragmentation;

public sealed class FragmentationTests
{
    private static readonly NodeId Sender = new(7);

    private static byte[] Message(SplitMix64 r, int size)
    {
        var b = new byte[size];
        foreach (ref var x in b.AsSpan()) x = (byte)r.Next();
        return b;
    }

    private static int RandomSize(SplitMix64 r) => r.Range(0, 10) switch
    {
        0 => 0,
        < 6 => r.Range(1, 300),
        < 9 => r.Range(300, 20_000),
        _ => r.Chance(0.2) ? 1024 * 1024 : r.Range(20_000, 200_000),
    };

    [Fact]
    public void Any_sequence_of_messages_is_reassembled_identically_and_in_order()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var r = new SplitMix64((ulong)seed);
            var packer = new Packer();
            var assembler = new Assembler(1024 * 1024);
            var sent = Enumerable.Range(0, r.Range(1, 30)).Select(_ => Message(r, RandomSize(r))).ToList();
            foreach (var m in sent) packer.Enqueue(m);
            var got = new List<Delivery>();
            int framePayload = r.Range(64, 9000);
            int frames = 0;
            while (packer.HasPending)
            {
                var frame = packer.NextFrame(framePayload);
                if (frame.Length > framePayload) return false;
                if (assembler.OnFrame(Sender, frame, got) is not null) return false;
                frames++;
            }
            return packer.PendingBytes == 0 && got.Count == sent.Count &&
                   got.Zip(sent).All(p => p.First.Sender == Sender && p.First.Payload.Span.SequenceEqual(p.Second)) &&
                   assembler.PartialCount == 0 && frames > 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Small_messages_are_packed_several_to_a_frame()
    {
        var packer = new Packer();
        for (int i = 0; i < 10; i++) packer.Enqueue(new byte[100]);
        packer.Enqueue(Array.Empty<byte>());
        var frame = packer.NextFrame(1410);
        Assert.False(packer.HasPending);
        var got = new List<Delivery>();
        Assert.Null(new Assembler(1 << 20).OnFrame(Sender, frame, got));
        Assert.Equal(11, got.Count);
        Assert.Equal(0, got[^1].Payload.Length);
    }

    [Fact]
    public void A_large_message_spans_frames_with_matching_fragment_and_continuation_ids()
    {
        var packer = new Packer();
        packer.Enqueue(new byte[1573]);
        var first = packer.NextFrame(1410);
        var second = packer.NextFrame(1410);
        Assert.NotEqual(0, first[0]);          // fragmented
        Assert.Equal(0, first[1]);
        Assert.Equal(first[0], second[1]);     // continuation of the same id
        Assert.Equal(0, second[0]);
        Assert.Equal(1410, first.Length);
    }

    [Fact]
    public void A_continuation_without_its_start_is_thrown_away_and_the_next_message_still_arrives()
    {
        var packer = new Packer();
        packer.Enqueue(new byte[5000]);
        packer.Enqueue(new byte[] { 42 });
        var frames = new List<byte[]>();
        while (packer.HasPending) frames.Add(packer.NextFrame(1410));
        var got = new List<Delivery>();
        var assembler = new Assembler(1 << 20);
        foreach (var f in frames.Skip(1)) Assert.Null(assembler.OnFrame(Sender, f, got));   // missed the first frame
        var only = Assert.Single(got);
        Assert.Equal(new byte[] { 42 }, only.Payload.ToArray());
    }

    [Fact]
    public void A_restarted_partial_message_is_sent_whole_again_and_reassembled_once()
    {
        var packer = new Packer();
        var big = new byte[4000];
        big[3999] = 9;
        packer.Enqueue(big);
        var assembler = new Assembler(1 << 20);
        var got = new List<Delivery>();
        Assert.Null(assembler.OnFrame(Sender, packer.NextFrame(1410), got));   // first fragment only
        // Ring change: receivers drop partials, the sender restarts the message.
        assembler.Reset();
        packer.RestartPartial();
        while (packer.HasPending) Assert.Null(assembler.OnFrame(Sender, packer.NextFrame(1410), got));
        var d = Assert.Single(got);
        Assert.Equal(big, d.Payload.ToArray());
    }

    [Fact]
    public void Partial_messages_of_different_senders_do_not_mix()
    {
        var a = new Packer();
        var b = new Packer();
        var ma = Enumerable.Repeat((byte)1, 3000).ToArray();
        var mb = Enumerable.Repeat((byte)2, 3000).ToArray();
        a.Enqueue(ma);
        b.Enqueue(mb);
        var assembler = new Assembler(1 << 20);
        var got = new List<Delivery>();
        while (a.HasPending || b.HasPending)
        {
            if (a.HasPending) assembler.OnFrame(new NodeId(1), a.NextFrame(1410), got);
            if (b.HasPending) assembler.OnFrame(new NodeId(2), b.NextFrame(1410), got);
        }
        Assert.Equal(2, got.Count);
        Assert.Equal(ma, got.Single(d => d.Sender == new NodeId(1)).Payload.ToArray());
        Assert.Equal(mb, got.Single(d => d.Sender == new NodeId(2)).Payload.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "shorter than")]
    [InlineData(new byte[] { 0, 0, 2, 0, 1, 0, 0, 0 }, "lists 2 messages")]
    [InlineData(new byte[] { 0, 0, 1, 0, 5, 0, 0, 0, 1 }, "expected length of 13")]
    public void Malformed_frame_payloads_are_rejected_with_the_reason(byte[] payload, string reason)
    {
        var got = new List<Delivery>();
        var error = new Assembler(1 << 20).OnFrame(Sender, payload, got);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Empty(got);
    }
}
