using System.Buffers.Binary;
using System.Text;

namespace Cluster.Messaging.Cpg;

/// <summary>
/// CPG exec and sync messages. Group names are byte strings (up to 128 bytes, a trailing NUL
/// included, as Pacemaker sends them); they travel as u16 length + bytes and are held as Latin-1
/// strings so every byte value survives.
/// </summary>
public static class CpgMessage
{
    public const ushort ProcJoin = 0;
    public const ushort ProcLeave = 1;
    public const ushort Mcast = 3;
    public const int MaxGroupName = 128;

    public static byte[] EncodeJoin(string group, uint pid) => Build(group, pid, 0, []);

    public static byte[] EncodeLeave(string group, uint pid, CpgReason reason) => Build(group, pid, (uint)reason, []);

    public static byte[] EncodeMcast(string group, uint pid, ReadOnlySpan<byte> payload) => Build(group, pid, 0, payload);

    /// <summary>Decodes any of the three; null when malformed.</summary>
    public static (string Group, uint Pid, uint Extra, byte[] Payload)? Decode(ReadOnlySpan<byte> s)
    {
        if (s.Length < 2) return null;
        int len = BinaryPrimitives.ReadUInt16LittleEndian(s);
        if (len == 0 || len > MaxGroupName || s.Length < 2 + len + 8) return null;
        var group = Encoding.Latin1.GetString(s.Slice(2, len));
        var rest = s[(2 + len)..];
        return (group, BinaryPrimitives.ReadUInt32LittleEndian(rest), BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]), rest[8..].ToArray());
    }

    /// <summary>JOINLIST: every (group, pid) of the sender's local processes.</summary>
    public static byte[] EncodeJoinList(IReadOnlyList<(string Group, uint Pid)> entries)
    {
        var ms = new MemoryStream();
        Span<byte> n = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(n, entries.Count);
        ms.Write(n);
        foreach (var (group, pid) in entries)
            ms.Write(Build(group, pid, 0, []));
        return ms.ToArray();
    }

    public static List<(string Group, uint Pid)>? DecodeJoinList(ReadOnlySpan<byte> s)
    {
        if (s.Length < 4) return null;
        int count = BinaryPrimitives.ReadInt32LittleEndian(s);
        if (count < 0 || count > 1_000_000) return null;
        var list = new List<(string, uint)>(Math.Min(count, 1024));
        s = s[4..];
        for (int i = 0; i < count; i++)
        {
            if (s.Length < 2) return null;
            int len = BinaryPrimitives.ReadUInt16LittleEndian(s);
            if (len == 0 || len > MaxGroupName || s.Length < 2 + len + 8) return null;
            list.Add((Encoding.Latin1.GetString(s.Slice(2, len)), BinaryPrimitives.ReadUInt32LittleEndian(s[(2 + len)..])));
            s = s[(2 + len + 8)..];
        }
        return list;
    }

    private static byte[] Build(string group, uint pid, uint extra, ReadOnlySpan<byte> payload)
    {
        var name = Encoding.Latin1.GetBytes(group);
        var b = new byte[2 + name.Length + 8 + payload.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)name.Length);
        name.CopyTo(b, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(2 + name.Length), pid);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(6 + name.Length), extra);
        payload.CopyTo(b.AsSpan(10 + name.Length));
        return b;
    }
}
