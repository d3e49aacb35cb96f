using System.Collections.Immutable;
using Cluster.Messaging.Simulation;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace Cluster.Messaging.Tests.Totem;

public sealed class TotemCodecTests
{
    private static RingId Ring(SplitMix64 r) => new(new NodeId((uint)r.Next()), r.Next());

    private static ImmutableArray<NodeId> Nodes(SplitMix64 r, int max) =>
        [.. Enumerable.Range(0, r.Range(0, max + 1)).Select(_ => new NodeId((uint)r.Next()))];

    /// <summary>A random message of the given type, fully determined by the seed.</summary>
    internal static TotemMessage Random(TotemMessageType type, ulong seed)
    {
        var r = new SplitMix64(seed);
        var header = new NodeId((uint)r.Next());
        switch (type)
        {
            case TotemMessageType.OrfToken:
            {
                var t = new OrfToken(header)
                {
                    Seq = (uint)r.Next(), TokenSeq = (uint)r.Next(), Aru = (uint)r.Next(), AruAddr = new NodeId((uint)r.Next()),
                    RingId = Ring(r), Backlog = (uint)r.Next(), Fcc = (uint)r.Next(), RetransFlag = r.Chance(0.5),
                };
                for (int i = r.Range(0, TotemCodec.MaxRetransmitEntries + 1); i > 0; i--) t.RetransmitList.Add(new RetransmitRequest(Ring(r), (uint)r.Next()));
                return t;
            }
            case TotemMessageType.Mcast:
            {
                var payload = new byte[r.Range(0, 3000)];
                foreach (ref var b in payload.AsSpan()) b = (byte)r.Next();
                return new McastMessage(header, new NodeId((uint)r.Next()), (uint)r.Next(), Ring(r), r.Chance(0.5), payload);
            }
            case TotemMessageType.MergeDetect:
                return new MergeDetectMessage(header, new NodeId((uint)r.Next()), Ring(r));
            case TotemMessageType.Join:
                return new JoinMessage(r.Chance(0.2) ? new NodeId(0) : header, new NodeId((uint)r.Next()), r.Next(), Nodes(r, 64), Nodes(r, 64));
            case TotemMessageType.CommitToken:
            {
                int n = r.Range(1, 40);
                return new CommitToken(header)
                {
                    TokenSeq = (uint)r.Next(), RingId = Ring(r), MembIndex = r.Range(0, n + 1),
                    Addr = [.. Enumerable.Range(0, n).Select(_ => new NodeId((uint)r.Next()))],
                    Entries = [.. Enumerable.Range(0, n).Select(_ => new CommitMemberEntry(Ring(r), (uint)r.Next(), (uint)r.Next(), r.Chance(0.5)))],
                };
            }
            default:
                return new TokenHoldCancelMessage(header, Ring(r));
        }
    }

    private static bool Same(TotemMessage a, TotemMessage b) => (a, b) switch
    {
        (OrfToken x, OrfToken y) => x.HeaderNode == y.HeaderNode && x.Equivalent(y),
        (McastMessage x, McastMessage y) => x.Equivalent(y),
        (JoinMessage x, JoinMessage y) => x.Equivalent(y),
        (CommitToken x, CommitToken y) => x.Equivalent(y),
        _ => a.Equals(b),
    };

    [Theory]
    [InlineData(TotemMessageType.OrfToken)]
    [InlineData(TotemMessageType.Mcast)]
    [InlineData(TotemMessageType.MergeDetect)]
    [InlineData(TotemMessageType.Join)]
    [InlineData(TotemMessageType.CommitToken)]
    [InlineData(TotemMessageType.TokenHoldCancel)]
    public void Every_message_type_round_trips_through_encode_and_decode(TotemMessageType type)
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var message = Random(type, (ulong)seed);
            var bytes = TotemCodec.Encode(message);
            return TotemCodec.TryDecode(bytes, out var decoded, out var error) && error is null && Same(message, decoded!) &&
                   TotemCodec.Encode(decoded!).AsSpan().SequenceEqual(bytes);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_mcast_fast_path_encodes_like_the_generic_encoder()
    {
        var m = new McastMessage(new NodeId(4), new NodeId(4), 17, new RingId(new NodeId(1), 9), true, new byte[] { 1, 2, 3 });
        Assert.Equal(TotemCodec.Encode(m), TotemCodec.EncodeMcast(m.SystemFrom, m.Seq, m.RingId, m.Encapsulated, m.Payload.Span));
    }

    [Fact]
    public void Decoding_is_total_on_random_bytes_truncations_and_bit_flips()
    {
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue)), seed =>
        {
            var r = new SplitMix64((ulong)seed);
            var valid = TotemCodec.Encode(Random((TotemMessageType)r.Range(0, 6), r.Next()));
            var candidates = new List<byte[]> { valid[..r.Range(0, valid.Length)] };   // truncated
            candidates.Add([.. valid, (byte)r.Next()]);                                  // trailing garbage
            var flipped = (byte[])valid.Clone();
            flipped[r.Range(0, flipped.Length)] ^= (byte)(1 << r.Range(0, 8));
            candidates.Add(flipped);
            var noise = new byte[r.Range(0, 200)];
            foreach (ref var b in noise.AsSpan()) b = (byte)r.Next();
            if (noise.Length >= 4) { noise[0] = 0x70; noise[1] = 0xC0; noise[2] = TotemCodec.Version; noise[3] = (byte)r.Range(0, 8); }
            candidates.Add(noise);
            foreach (var c in candidates)
            {
                var ok = TotemCodec.TryDecode(c, out var m, out var error);
                if (ok == (error is not null) || ok != (m is not null)) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData(new byte[] { }, "too short")]
    [InlineData(new byte[] { 0xFF, 0xFF, 1, 0, 0, 0, 0, 0 }, "bad magic")]
    [InlineData(new byte[] { 0x70, 0xC0, 9, 0, 0, 0, 0, 0 }, "unsupported version 9")]
    [InlineData(new byte[] { 0x70, 0xC0, 1, 7, 0, 0, 0, 0 }, "wrong message type 7")]
    [InlineData(new byte[] { 0x70, 0xC0, 1, 2, 0, 0, 0, 0, 1 }, "merge detect too short")]
    public void Rejections_say_why(byte[] frame, string reason)
    {
        Assert.False(TotemCodec.TryDecode(frame, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_ignores_garbage_frames_and_logs_them()
    {
        var node = new TotemNode(new TotemOptions { LocalNode = new NodeId(1), Nodes = [new(1)] });
        node.Start(0, TimeSpan.Zero);
        var fx = node.OnFrame(new byte[] { 1, 2, 3 }, TimeSpan.Zero);
        var log = Assert.IsType<LogLine>(Assert.Single(fx));
        Assert.Contains("frame too short", log.Message, StringComparison.Ordinal);
    }
}
