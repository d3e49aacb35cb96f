using System.Buffers.Binary;
using System.Collections.Immutable;

namespace Cluster.Messaging.Totem.Wire;

/// <summary>
/// Our compact little-endian encoding of Totem frames (interop with corosync's wire format is not
/// a goal: corosync 3 talks knet). Decoding is total: any byte string either decodes or is
/// rejected with a reason; no exception escapes.
/// Header: u16 magic 0xC070, u8 version, u8 type, u32 header nodeid.
/// </summary>
public static class TotemCodec
{
    public const ushort Magic = 0xC070;
    public const byte Version = 1;
    public const int HeaderSize = 8;
    public const int McastHeaderSize = HeaderSize + 4 + 4 + 12 + 1;
    public const int MaxRetransmitEntries = 30;
    private const int MaxListEntries = 4096;

    public static byte[] Encode(TotemMessage message)
    {
        var w = new Writer(64);
        w.U16(Magic); w.U8(Version); w.U8((byte)message.Type); w.U32(message.HeaderNode.Value);
        switch (message)
        {
            case OrfToken t:
                w.U32(t.Seq); w.U32(t.TokenSeq); w.U32(t.Aru); w.U32(t.AruAddr.Value); w.Ring(t.RingId);
                w.U32(t.Backlog); w.U32(t.Fcc); w.U8(t.RetransFlag ? (byte)1 : (byte)0);
                w.U16((ushort)t.RetransmitList.Count);
                foreach (var r in t.RetransmitList) { w.Ring(r.RingId); w.U32(r.Seq); }
                break;
            case McastMessage m:
                w.U32(m.SystemFrom.Value); w.U32(m.Seq); w.Ring(m.RingId); w.U8(m.Encapsulated ? (byte)1 : (byte)0);
                w.Bytes(m.Payload.Span);
                break;
            case MergeDetectMessage d:
                w.U32(d.SystemFrom.Value); w.Ring(d.RingId);
                break;
            case JoinMessage j:
                w.U32(j.SystemFrom.Value); w.U64(j.RingSeq);
                w.U16((ushort)j.ProcList.Length); w.U16((ushort)j.FailedList.Length);
                foreach (var n in j.ProcList) w.U32(n.Value);
                foreach (var n in j.FailedList) w.U32(n.Value);
                break;
            case CommitToken c:
                w.U32(c.TokenSeq); w.Ring(c.RingId); w.U16((ushort)c.MembIndex); w.U16((ushort)c.Addr.Length);
                foreach (var n in c.Addr) w.U32(n.Value);
                foreach (var e in c.Entries) { w.Ring(e.RingId); w.U32(e.Aru); w.U32(e.HighDelivered); w.U8(e.ReceivedFlag ? (byte)1 : (byte)0); }
                break;
            case TokenHoldCancelMessage h:
                w.Ring(h.RingId);
                break;
            default:
                throw new ArgumentException($"unknown totem message {message.GetType().Name}", nameof(message));
        }
        return w.ToArray();
    }

    /// <summary>Encodes an mcast frame directly (hot path: avoids an intermediate record).</summary>
    public static byte[] EncodeMcast(NodeId from, uint seq, RingId ring, bool encapsulated, ReadOnlySpan<byte> payload)
    {
        var buf = new byte[McastHeaderSize + payload.Length];
        var s = buf.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, Magic);
        s[2] = Version; s[3] = (byte)TotemMessageType.Mcast;
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], from.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(s[8..], from.Value);
        BinaryPrimitives.WriteUInt32LittleEndian(s[12..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], ring.Representative.Value);
        BinaryPrimitives.WriteUInt64LittleEndian(s[20..], ring.Sequence);
        s[28] = encapsulated ? (byte)1 : (byte)0;
        payload.CopyTo(s[McastHeaderSize..]);
        return buf;
    }

    /// <summary>Decodes <paramref name="frame"/>; on failure returns false with a reason. Never throws.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> frame, out TotemMessage? message, out string? error)
    {
        message = null;
        var r = new Reader(frame);
        if (frame.Length < HeaderSize) { error = $"frame too short ({frame.Length} bytes, header needs {HeaderSize})"; return false; }
        var magic = r.U16();
        if (magic != Magic) { error = $"bad magic number 0x{magic:x4}"; return false; }
        var version = r.U8();
        if (version != Version) { error = $"unsupported version {version}"; return false; }
        var type = r.U8();
        var header = new NodeId(r.U32());
        switch ((TotemMessageType)type)
        {
            case TotemMessageType.OrfToken:
            {
                var t = new OrfToken(header)
                {
                    Seq = r.U32(), TokenSeq = r.U32(), Aru = r.U32(), AruAddr = new NodeId(r.U32()), RingId = r.Ring(),
                    Backlog = r.U32(), Fcc = r.U32(), RetransFlag = r.Flag(),
                };
                int count = r.U16();
                if (r.Failed) { error = "orf token too short"; return false; }
                if (count > MaxRetransmitEntries) { error = $"orf token has {count} retransmit entries (max {MaxRetransmitEntries})"; return false; }
                for (int i = 0; i < count; i++) t.RetransmitList.Add(new RetransmitRequest(r.Ring(), r.U32()));
                if (r.Failed) { error = "orf token too short for its retransmit list"; return false; }
                message = t;
                break;
            }
            case TotemMessageType.Mcast:
            {
                var from = new NodeId(r.U32()); var seq = r.U32(); var ring = r.Ring(); var encByte = r.U8();
                if (r.Failed) { error = "mcast too short"; return false; }
                if (encByte > 1) { error = $"mcast has bad encapsulation flag {encByte}"; return false; }
                message = new McastMessage(header, from, seq, ring, encByte == 1, r.Rest());
                break;
            }
            case TotemMessageType.MergeDetect:
            {
                var from = new NodeId(r.U32()); var ring = r.Ring();
                if (r.Failed) { error = "merge detect too short"; return false; }
                message = new MergeDetectMessage(header, from, ring);
                break;
            }
            case TotemMessageType.Join:
            {
                var from = new NodeId(r.U32()); var ringSeq = r.U64(); int p = r.U16(); int f = r.U16();
                if (r.Failed) { error = "join too short"; return false; }
                if (p + f > MaxListEntries) { error = $"join lists too long ({p}+{f})"; return false; }
                var proc = r.Nodes(p); var failed = r.Nodes(f);
                if (r.Failed) { error = "join too short for its lists"; return false; }
                message = new JoinMessage(header, from, ringSeq, proc, failed);
                break;
            }
            case TotemMessageType.CommitToken:
            {
                var tokenSeq = r.U32(); var ring = r.Ring(); int index = r.U16(); int n = r.U16();
                if (r.Failed) { error = "commit token too short"; return false; }
                if (n > MaxListEntries) { error = $"commit token lists {n} members"; return false; }
                if (index > n) { error = $"commit token index {index} beyond its {n} members"; return false; }
                var addr = r.Nodes(n).ToArray();
                var entries = new CommitMemberEntry[n];
                for (int i = 0; i < n && !r.Failed; i++) entries[i] = new CommitMemberEntry(r.Ring(), r.U32(), r.U32(), r.Flag());
                if (r.Failed) { error = "commit token too short for its member list"; return false; }
                message = new CommitToken(header) { TokenSeq = tokenSeq, RingId = ring, MembIndex = index, Addr = addr, Entries = entries };
                break;
            }
            case TotemMessageType.TokenHoldCancel:
            {
                var ring = r.Ring();
                if (r.Failed) { error = "token hold cancel too short"; return false; }
                message = new TokenHoldCancelMessage(header, ring);
                break;
            }
            default:
                error = $"wrong message type {type}";
                return false;
        }
        if (r.Failed) { error = "truncated frame"; message = null; return false; }
        if (r.Remaining != 0) { error = $"{r.Remaining} trailing bytes after a {(TotemMessageType)type} message"; message = null; return false; }
        error = null;
        return true;
    }

    private sealed class Writer(int capacity)
    {
        private byte[] _buf = new byte[capacity];
        private int _pos;

        private Span<byte> Take(int n)
        {
            if (_pos + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _pos + n));
            var s = _buf.AsSpan(_pos, n); _pos += n; return s;
        }
        public void U8(byte v) => Take(1)[0] = v;
        public void U16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);
        public void U32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), v);
        public void U64(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), v);
        public void Ring(RingId r) { U32(r.Representative.Value); U64(r.Sequence); }
        public void Bytes(ReadOnlySpan<byte> b) => b.CopyTo(Take(b.Length));
        public byte[] ToArray() => _buf.AsSpan(0, _pos).ToArray();
    }

    /// <summary>Bounds-checked reader: a short read sets Failed and yields zeros instead of throwing.</summary>
    private struct Reader(ReadOnlyMemory<byte> data)
    {
        private int _pos;
        public bool Failed { get; private set; }
        public readonly int Remaining => data.Length - _pos;

        private ReadOnlySpan<byte> Take(int n)
        {
            if (Failed || data.Length - _pos < n) { Failed = true; return default; }
            var s = data.Span.Slice(_pos, n); _pos += n; return s;
        }
        public byte U8() { var s = Take(1); return Failed ? (byte)0 : s[0]; }
        public bool Flag() => U8() != 0;
        public ushort U16() { var s = Take(2); return Failed ? (ushort)0 : BinaryPrimitives.ReadUInt16LittleEndian(s); }
        public uint U32() { var s = Take(4); return Failed ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(s); }
        public ulong U64() { var s = Take(8); return Failed ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(s); }
        public RingId Ring() => new(new NodeId(U32()), U64());
        public ImmutableArray<NodeId> Nodes(int n)
        {
            if (Failed || Remaining < 4L * n) { Failed = true; return []; }
            var b = ImmutableArray.CreateBuilder<NodeId>(n);
            for (int i = 0; i < n; i++) b.Add(new NodeId(U32()));
            return b.MoveToImmutable();
        }
        public ReadOnlyMemory<byte> Rest() { var m = data[_pos..]; _pos = data.Length; return m; }
    }
}
