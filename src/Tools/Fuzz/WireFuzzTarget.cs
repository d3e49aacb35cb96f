using System.Collections.Immutable;
using System.Net;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Totem.Wire;
using Cluster.Messaging.Transport;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// Datagrams as a node receives them. The first byte picks the path, the rest is the datagram:
/// 0 the Totem codec alone, 1 a knet frame then the codec, 2 the frame guard with crypto (the
/// AEAD envelope, replay window) then the codec, 3 the frame guard without crypto. A decoded
/// message is encoded again and must decode. A refusal (false with a reason) is the clear error.
/// </summary>
public sealed class WireFuzzTarget : CorpusTarget, IDisposable
{
    private static readonly IPAddress PeerAddress = IPAddress.Parse("127.0.0.2");
    private static readonly NodeId Local = new(1), Peer = new(2);

    private readonly FrameGuard _plain, _sealed;

    private WireFuzzTarget(IReadOnlyList<byte[]> corpus, FrameGuard plain, FrameGuard sealedGuard) : base(corpus, text: false)
    {
        _plain = plain;
        _sealed = sealedGuard;
    }

    public override string Name => "wire";

    /// <summary>The target with its corpus: every Totem message type, plain, in knet frames and sealed.</summary>
    public static WireFuzzTarget Create()
    {
        var key = new byte[256];
        new Random(17).NextBytes(key);
        var crypto = new CryptoOptions(key, "fuzz");
        var corpus = new List<byte[]>();
        using var sender = new FrameGuard(Options(Peer, crypto), new PacketCounters(), 1);
        foreach (var frame in SampleFrames())
        {
            corpus.Add([0, .. frame]);
            var knet = new byte[KnetFrame.HeaderSize + frame.Length];
            KnetFrame.WriteHeader(knet, KnetFrameType.Data, Peer);
            frame.CopyTo(knet, KnetFrame.HeaderSize);
            corpus.Add([1, .. knet]);
            var wire = new byte[sender.WireLength(frame.Length)];
            var length = sender.Protect(frame, wire);
            corpus.Add([2, .. wire.AsSpan(0, length)]);
            corpus.Add([3, .. frame]);
        }
        var ping = new byte[KnetFrame.PingSize];
        KnetFrame.WritePing(ping, KnetFrameType.Ping, Peer, 123456789, 1);
        corpus.Add([1, .. ping]);
        return new WireFuzzTarget(corpus, new FrameGuard(Options(Local, null), new PacketCounters(), 1),
            new FrameGuard(Options(Local, crypto), new PacketCounters(), 1));
    }

    private static TransportOptions Options(NodeId local, CryptoOptions? crypto) => new()
    {
        Kind = TransportKind.Knet,
        LocalNode = local,
        Nodes = ImmutableSortedDictionary.CreateRange(new Dictionary<NodeId, ImmutableArray<IPAddress>>
        {
            [Local] = [IPAddress.Parse("127.0.0.1")],
            [Peer] = [PeerAddress],
        }),
        Crypto = crypto,
    };

    private static IEnumerable<byte[]> SampleFrames()
    {
        var ring = new RingId(Local, 8);
        yield return TotemCodec.Encode(new OrfToken(Local)
        {
            Seq = 10, TokenSeq = 3, Aru = 9, AruAddr = Peer, RingId = ring, Backlog = 2, Fcc = 1, RetransFlag = true,
            RetransmitList = [new RetransmitRequest(ring, 7), new RetransmitRequest(ring, 8)],
        });
        yield return TotemCodec.EncodeMcast(Peer, 11, ring, false, "hello, ring"u8);
        yield return TotemCodec.EncodeMcast(Peer, 12, ring, true, TotemCodec.EncodeMcast(Local, 3, new RingId(Local, 4), false, "old"u8));
        yield return TotemCodec.Encode(new JoinMessage(Peer, Peer, 8, [Local, Peer], [new NodeId(3)]));
        yield return TotemCodec.Encode(new CommitToken(Local)
        {
            TokenSeq = 1, RingId = new RingId(Local, 12), MembIndex = 1, Addr = [Local, Peer],
            Entries = [new CommitMemberEntry(ring, 9, 9, true), new CommitMemberEntry(ring, 8, 9, false)],
        });
        yield return TotemCodec.Encode(new MergeDetectMessage(Peer, Peer, ring));
        yield return TotemCodec.Encode(new TokenHoldCancelMessage(Peer, ring));
    }

    public override FuzzVerdict Run(byte[] input)
    {
        if (input.Length == 0) return FuzzVerdict.Rejected;
        var datagram = input.AsSpan(1);
        switch (input[0] % 4)
        {
            case 0:
                return Decode(datagram.ToArray());
            case 1:
                if (!KnetFrame.TryRead(datagram, out var type, out _, out _)) return FuzzVerdict.Rejected;
                if (type != KnetFrameType.Data)
                {
                    _ = KnetFrame.ReadStamp(datagram);
                    _ = KnetFrame.ReadLink(datagram);
                    return FuzzVerdict.Accepted;
                }
                return Decode(datagram[KnetFrame.HeaderSize..].ToArray());
            case 2:
                return _sealed.TryAccept(PeerAddress, datagram, out _, out var opened) ? Decode(opened) : FuzzVerdict.Rejected;
            default:
                return _plain.TryAccept(PeerAddress, datagram, out _, out var frame) ? Decode(frame) : FuzzVerdict.Rejected;
        }
    }

    private static FuzzVerdict Decode(byte[] frame)
    {
        if (!TotemCodec.TryDecode(frame, out var message, out _)) return FuzzVerdict.Rejected;
        // What the node does with a decoded message: it may forward it re-encoded.
        var again = TotemCodec.Encode(message!);
        if (!TotemCodec.TryDecode(again, out _, out var error))
            throw new InvalidOperationException($"a decoded {message!.Type} does not decode after encoding: {error}");
        return FuzzVerdict.Accepted;
    }

    public void Dispose()
    {
        _plain.Dispose();
        _sealed.Dispose();
    }
}
