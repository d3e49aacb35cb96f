using System.Buffers.Binary;
using System.Text;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// Reading and writing the fixed-layout fields of corosync's IPC structs: little-endian integers
/// at given offsets, and the two name types (cmap's mar_name_t: u16 length then 256 bytes at +8;
/// CPG's mar_cpg_name_t: u32 length then 128 bytes at +8). Reads are bounds-checked so a short
/// or lying message is an error for the caller, never an exception.
/// </summary>
public static class QbFields
{
    public const int NameSize = 264;
    public const int NameMax = 256;
    public const int CpgNameSize = 136;
    public const int CpgNameMax = 128;

    public static uint U32(ReadOnlySpan<byte> m, int at) => BinaryPrimitives.ReadUInt32LittleEndian(m[at..]);

    public static int I32(ReadOnlySpan<byte> m, int at) => BinaryPrimitives.ReadInt32LittleEndian(m[at..]);

    public static ulong U64(ReadOnlySpan<byte> m, int at) => BinaryPrimitives.ReadUInt64LittleEndian(m[at..]);

    public static void Put(Span<byte> m, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(m[at..], v);

    public static void Put(Span<byte> m, int at, int v) => BinaryPrimitives.WriteInt32LittleEndian(m[at..], v);

    public static void Put(Span<byte> m, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(m[at..], v);

    /// <summary>A cmap key (mar_name_t) at <paramref name="at"/>; null if the length is out of range.</summary>
    public static string? Name(ReadOnlySpan<byte> m, int at)
    {
        int length = BinaryPrimitives.ReadUInt16LittleEndian(m[at..]);
        if (length > NameMax)
            return null;
        var value = m.Slice(at + 8, length);
        int nul = value.IndexOf((byte)0);
        return Encoding.Latin1.GetString(nul < 0 ? value : value[..nul]); // corosync uses the value as a C string
    }

    public static void PutName(Span<byte> m, int at, string name)
    {
        int n = Encoding.Latin1.GetBytes(name.AsSpan(0, Math.Min(name.Length, NameMax - 1)), m.Slice(at + 8, NameMax));
        BinaryPrimitives.WriteUInt16LittleEndian(m[at..], (ushort)n);
    }

    /// <summary>A CPG group name (mar_cpg_name_t); every byte of the given length counts (Pacemaker includes the NUL).</summary>
    public static string? CpgName(ReadOnlySpan<byte> m, int at)
    {
        uint length = U32(m, at);
        if (length > CpgNameMax)
            return null;
        return Encoding.Latin1.GetString(m.Slice(at + 8, (int)length));
    }

    public static void PutCpgName(Span<byte> m, int at, string name)
    {
        int n = Encoding.Latin1.GetBytes(name.AsSpan(0, Math.Min(name.Length, CpgNameMax)), m.Slice(at + 8, CpgNameMax));
        Put(m, at, (uint)n);
    }
}
