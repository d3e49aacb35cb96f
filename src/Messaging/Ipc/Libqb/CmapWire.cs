using System.Buffers.Binary;
using System.Text;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>cmap's IPC vocabulary (corosync ipc_cmap.h): request/response ids, value types and track flags.</summary>
public static class CmapWire
{
    public const int Set = 0, Delete = 1, Get = 2, AdjustInt = 3, IterInit = 4, IterNext = 5, IterFinalize = 6, TrackAdd = 7, TrackDelete = 8,
        SetCurrentMap = 9;

    /// <summary>Response id of the NOTIFY event, and of SET_CURRENT_MAP's reply (the response enum has NOTIFY_CALLBACK at 9).</summary>
    public const int NotifyCallback = 9, SetCurrentMapReply = 10;

    public const int TrackDeleteFlag = 1, TrackModifyFlag = 2, TrackAddFlag = 4, TrackPrefixFlag = 8;

    /// <summary>corosync numbers the types from 1 (INT8) to 12 (BINARY), in our enum's order.</summary>
    public static byte TypeCode(CmapType type) => (byte)((int)type + 1);

    public static CmapType? TypeOf(byte code) => code is >= 1 and <= 12 ? (CmapType)(code - 1) : null;

    /// <summary>A value's bytes as icmap stores them: little-endian integers of their width, strings with their NUL.</summary>
    public static byte[] Encode(CmapValue v)
    {
        switch (v.Type)
        {
            case CmapType.Int8 or CmapType.UInt8:
                return [(byte)(long)v.AsInteger];
            case CmapType.Int16 or CmapType.UInt16:
            {
                var b = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(long)v.AsInteger);
                return b;
            }
            case CmapType.Int32 or CmapType.UInt32:
            {
                var b = new byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)(long)v.AsInteger);
                return b;
            }
            case CmapType.Int64 or CmapType.UInt64:
            {
                var b = new byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(b, (ulong)v.AsInteger);
                return b;
            }
            case CmapType.Float:
            {
                var b = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(b, (float)v.AsDouble);
                return b;
            }
            case CmapType.Double:
            {
                var b = new byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(b, v.AsDouble);
                return b;
            }
            case CmapType.String:
            {
                var text = Encoding.UTF8.GetBytes(v.AsString);
                var b = new byte[text.Length + 1];
                text.CopyTo(b, 0);
                return b;
            }
            default:
                return v.AsBytes.ToArray();
        }
    }

    /// <summary>A value from a SET request's bytes; null when the length does not fit the type.</summary>
    public static CmapValue? Decode(CmapType type, ReadOnlySpan<byte> b)
    {
        switch (type)
        {
            case CmapType.Int8: return b.Length == 1 ? CmapValue.Integer(type, (sbyte)b[0]) : null;
            case CmapType.UInt8: return b.Length == 1 ? CmapValue.Integer(type, b[0]) : null;
            case CmapType.Int16: return b.Length == 2 ? CmapValue.Integer(type, BinaryPrimitives.ReadInt16LittleEndian(b)) : null;
            case CmapType.UInt16: return b.Length == 2 ? CmapValue.Integer(type, BinaryPrimitives.ReadUInt16LittleEndian(b)) : null;
            case CmapType.Int32: return b.Length == 4 ? CmapValue.Integer(type, BinaryPrimitives.ReadInt32LittleEndian(b)) : null;
            case CmapType.UInt32: return b.Length == 4 ? CmapValue.Integer(type, BinaryPrimitives.ReadUInt32LittleEndian(b)) : null;
            case CmapType.Int64: return b.Length == 8 ? CmapValue.Integer(type, BinaryPrimitives.ReadInt64LittleEndian(b)) : null;
            case CmapType.UInt64: return b.Length == 8 ? CmapValue.Integer(type, BinaryPrimitives.ReadUInt64LittleEndian(b)) : null;
            case CmapType.Float: return b.Length == 4 ? CmapValue.Flt(BinaryPrimitives.ReadSingleLittleEndian(b)) : null;
            case CmapType.Double: return b.Length == 8 ? CmapValue.Dbl(BinaryPrimitives.ReadDoubleLittleEndian(b)) : null;
            case CmapType.String:
            {
                int nul = b.IndexOf((byte)0); // stored up to the first NUL, as a C string
                return CmapValue.Str(Encoding.UTF8.GetString(nul < 0 ? b : b[..nul]));
            }
            default: return CmapValue.Bin(b);
        }
    }
}
