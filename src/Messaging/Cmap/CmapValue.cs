using System.Globalization;
using System.Text;

namespace Cluster.Messaging.Cmap;

/// <summary>
/// One typed cmap value. Integers of every width are held as <see cref="Int128"/> (range-checked
/// against <see cref="Type"/> on creation), floats as double, strings as text, binaries as bytes.
/// </summary>
public sealed class CmapValue : IEquatable<CmapValue>
{
    private readonly Int128 _integer;
    private readonly double _real;
    private readonly string? _text;
    private readonly byte[]? _bytes;

    private CmapValue(CmapType type, Int128 integer, double real, string? text, byte[]? bytes)
    {
        Type = type;
        _integer = integer;
        _real = real;
        _text = text;
        _bytes = bytes;
    }

    public CmapType Type { get; }

    public static CmapValue Integer(CmapType type, Int128 value)
    {
        if (!type.IsInteger())
            throw new ArgumentException($"{type.Name()} is not an integer type", nameof(type));
        if (value < type.MinValue() || value > type.MaxValue())
            throw new ArgumentOutOfRangeException(nameof(value), value, $"out of range for {type.Name()}");
        return new CmapValue(type, value, 0, null, null);
    }

    public static CmapValue U8(byte value) => Integer(CmapType.UInt8, value);
    public static CmapValue U16(ushort value) => Integer(CmapType.UInt16, value);
    public static CmapValue U32(uint value) => Integer(CmapType.UInt32, value);
    public static CmapValue U64(ulong value) => Integer(CmapType.UInt64, value);
    public static CmapValue I32(int value) => Integer(CmapType.Int32, value);
    public static CmapValue Str(string value) => new(CmapType.String, 0, 0, value ?? throw new ArgumentNullException(nameof(value)), null);
    public static CmapValue Flt(float value) => new(CmapType.Float, 0, value, null, null);
    public static CmapValue Dbl(double value) => new(CmapType.Double, 0, value, null, null);
    public static CmapValue Bin(ReadOnlySpan<byte> value) => new(CmapType.Binary, 0, 0, null, value.ToArray());

    /// <summary>
    /// Parses <paramref name="text"/> as a value of <paramref name="type"/> the way corosync's
    /// config parser does for integers (decimal, optional sign, whole string), so callers can
    /// produce its "expected to be integer in range" error on failure.
    /// </summary>
    public static bool TryParse(CmapType type, string text, out CmapValue value)
    {
        value = null!;
        if (type == CmapType.String)
        {
            value = Str(text);
            return true;
        }
        if (type.IsInteger())
        {
            if (!Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                || number < type.MinValue() || number > type.MaxValue())
                return false;
            value = Integer(type, number);
            return true;
        }
        if (type is CmapType.Float or CmapType.Double)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
                return false;
            value = type == CmapType.Float ? Flt((float)real) : Dbl(real);
            return true;
        }
        value = Bin(Encoding.UTF8.GetBytes(text));
        return true;
    }

    public Int128 AsInteger => Type.IsInteger() ? _integer : throw new InvalidOperationException($"a {Type.Name()} value is not an integer");
    public uint AsUInt32 => checked((uint)AsInteger);
    public string AsString => _text ?? throw new InvalidOperationException($"a {Type.Name()} value is not a string");
    public double AsDouble => Type is CmapType.Float or CmapType.Double ? _real : throw new InvalidOperationException($"a {Type.Name()} value is not a real number");
    public ReadOnlySpan<byte> AsBytes => _bytes ?? throw new InvalidOperationException($"a {Type.Name()} value is not binary");

    /// <summary>The value as corosync-cmapctl prints it (integers decimal, reals %f, strings raw, bin escaped).</summary>
    public string Format() => Type switch
    {
        _ when Type.IsInteger() => _integer.ToString(CultureInfo.InvariantCulture),
        CmapType.Float or CmapType.Double => _real.ToString("F6", CultureInfo.InvariantCulture),
        CmapType.String => _text!,
        _ => FormatBinary(_bytes!),
    };

    /// <summary>Printable bytes as they are, others as \xHH; an empty binary as <c>*empty*</c>.</summary>
    private static string FormatBinary(byte[] bytes)
    {
        if (bytes.Length == 0)
            return "*empty*";
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7f)
                text.Append((char)b);
            else
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
        }
        return text.ToString();
    }

    public bool Equals(CmapValue? other) =>
        other is not null && other.Type == Type && other._integer == _integer
        && other._real.Equals(_real) && other._text == _text
        && (other._bytes ?? []).AsSpan().SequenceEqual(_bytes ?? []);

    public override bool Equals(object? obj) => Equals(obj as CmapValue);

    public override int GetHashCode() => HashCode.Combine(Type, _integer, _real, _text);

    public override string ToString() => $"({Type.Name()}) {Format()}";
}
