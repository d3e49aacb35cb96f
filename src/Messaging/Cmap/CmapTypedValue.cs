using System.Globalization;
using System.Text;

namespace Cluster.Messaging.Cmap;

/// <summary>cmap's value types, named as corosync-cmapctl prints them.</summary>
public enum CmapValueType : byte
{
    I8, U8, I16, U16, I32, U32, I64, U64, Flt, Dbl, Str, Bin,
}

/// <summary>
/// A typed value of the runtime cmap store (integers kept as 64-bit, floats as double, strings,
/// binary). Formats as `corosync-cmapctl` does: decimal integers, `%f` floats, raw strings,
/// escaped binary.
/// </summary>
public sealed record CmapTypedValue(CmapValueType Type, long Signed, ulong Unsigned, double Real, string? Text, byte[]? Bytes)
{
    public static CmapTypedValue U8(byte v) => new(CmapValueType.U8, v, v, 0, null, null);
    public static CmapTypedValue U16(ushort v) => new(CmapValueType.U16, v, v, 0, null, null);
    public static CmapTypedValue U32(uint v) => new(CmapValueType.U32, v, v, 0, null, null);
    public static CmapTypedValue U64(ulong v) => new(CmapValueType.U64, unchecked((long)v), v, 0, null, null);
    public static CmapTypedValue I32(int v) => new(CmapValueType.I32, v, unchecked((ulong)v), 0, null, null);
    public static CmapTypedValue Dbl(double v) => new(CmapValueType.Dbl, 0, 0, v, null, null);
    public static CmapTypedValue Str(string v) => new(CmapValueType.Str, 0, 0, 0, v, null);
    public static CmapTypedValue Bin(byte[] v) => new(CmapValueType.Bin, 0, 0, 0, null, v);

    public static string TypeName(CmapValueType t) => t.ToString().ToLowerInvariant();

    public static bool TryParseType(string name, out CmapValueType type)
    {
        foreach (var t in Enum.GetValues<CmapValueType>())
        {
            if (TypeName(t) == name)
            {
                type = t;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>Parses a value as `corosync-cmapctl -s KEY TYPE VALUE` takes it; null if it does not fit the type.</summary>
    public static CmapTypedValue? Parse(CmapValueType type, string text)
    {
        var inv = CultureInfo.InvariantCulture;
        const NumberStyles integer = NumberStyles.AllowLeadingSign;
        switch (type)
        {
            case CmapValueType.I8 when sbyte.TryParse(text, integer, inv, out var v): return new(type, v, unchecked((ulong)v), 0, null, null);
            case CmapValueType.U8 when byte.TryParse(text, integer, inv, out var v): return new(type, v, v, 0, null, null);
            case CmapValueType.I16 when short.TryParse(text, integer, inv, out var v): return new(type, v, unchecked((ulong)v), 0, null, null);
            case CmapValueType.U16 when ushort.TryParse(text, integer, inv, out var v): return new(type, v, v, 0, null, null);
            case CmapValueType.I32 when int.TryParse(text, integer, inv, out var v): return new(type, v, unchecked((ulong)v), 0, null, null);
            case CmapValueType.U32 when uint.TryParse(text, integer, inv, out var v): return new(type, v, v, 0, null, null);
            case CmapValueType.I64 when long.TryParse(text, integer, inv, out var v): return new(type, v, unchecked((ulong)v), 0, null, null);
            case CmapValueType.U64 when ulong.TryParse(text, integer, inv, out var v): return new(type, unchecked((long)v), v, 0, null, null);
            case CmapValueType.Flt when float.TryParse(text, NumberStyles.Float, inv, out var v): return new(type, 0, 0, v, null, null);
            case CmapValueType.Dbl when double.TryParse(text, NumberStyles.Float, inv, out var v): return new(type, 0, 0, v, null, null);
            case CmapValueType.Str: return Str(text);
            case CmapValueType.Bin: return Bin(Encoding.UTF8.GetBytes(text));
            default: return null;
        }
    }

    /// <summary>The value as corosync-cmapctl prints it after `key (type) = `.</summary>
    public string Format() => Type switch
    {
        CmapValueType.I8 or CmapValueType.I16 or CmapValueType.I32 or CmapValueType.I64 => Signed.ToString(CultureInfo.InvariantCulture),
        CmapValueType.U8 or CmapValueType.U16 or CmapValueType.U32 or CmapValueType.U64 => Unsigned.ToString(CultureInfo.InvariantCulture),
        CmapValueType.Flt or CmapValueType.Dbl => Real.ToString("F6", CultureInfo.InvariantCulture),
        CmapValueType.Str => Text ?? "",
        _ => FormatBinary(Bytes ?? []),
    };

    /// <summary>`key (type) = value`, one corosync-cmapctl line.</summary>
    public string Line(string key) => $"{key} ({TypeName(Type)}) = {Format()}";

    private static string FormatBinary(byte[] bytes)
    {
        if (bytes.Length == 0)
            return "*empty*";
        var sb = new StringBuilder();
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7f && b != '\\')
                sb.Append((char)b);
            else
                sb.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
        }
        return sb.ToString();
    }

    public bool ValueEquals(CmapTypedValue other) =>
        Type == other.Type && Signed == other.Signed && Unsigned == other.Unsigned && Real.Equals(other.Real) && Text == other.Text &&
        (Bytes ?? []).AsSpan().SequenceEqual(other.Bytes ?? []);
}
