namespace Cluster.Messaging.Cmap;

/// <summary>The value types of a cmap key, as corosync-cmapctl names them.</summary>
public enum CmapType
{
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float,
    Double,
    String,
    Binary,
}

/// <summary>Names and ranges of <see cref="CmapType"/>.</summary>
public static class CmapTypes
{
    /// <summary>The short name corosync-cmapctl prints in <c>key (type) = value</c> and accepts in <c>-s</c>.</summary>
    public static string Name(this CmapType type) => type switch
    {
        CmapType.Int8 => "i8",
        CmapType.UInt8 => "u8",
        CmapType.Int16 => "i16",
        CmapType.UInt16 => "u16",
        CmapType.Int32 => "i32",
        CmapType.UInt32 => "u32",
        CmapType.Int64 => "i64",
        CmapType.UInt64 => "u64",
        CmapType.Float => "flt",
        CmapType.Double => "dbl",
        CmapType.String => "str",
        CmapType.Binary => "bin",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown cmap type"),
    };

    public static bool TryParseName(string name, out CmapType type)
    {
        foreach (var candidate in Enum.GetValues<CmapType>())
        {
            if (candidate.Name() == name)
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }

    public static bool IsInteger(this CmapType type) => type <= CmapType.UInt64;

    public static bool IsSigned(this CmapType type) =>
        type is CmapType.Int8 or CmapType.Int16 or CmapType.Int32 or CmapType.Int64;

    /// <summary>Smallest value of an integer type (as Int128 so u64 and i64 share one range type).</summary>
    public static Int128 MinValue(this CmapType type) => type switch
    {
        CmapType.Int8 => sbyte.MinValue,
        CmapType.Int16 => short.MinValue,
        CmapType.Int32 => int.MinValue,
        CmapType.Int64 => long.MinValue,
        _ when type.IsInteger() => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an integer type"),
    };

    public static Int128 MaxValue(this CmapType type) => type switch
    {
        CmapType.Int8 => sbyte.MaxValue,
        CmapType.UInt8 => byte.MaxValue,
        CmapType.Int16 => short.MaxValue,
        CmapType.UInt16 => ushort.MaxValue,
        CmapType.Int32 => int.MaxValue,
        CmapType.UInt32 => uint.MaxValue,
        CmapType.Int64 => long.MaxValue,
        CmapType.UInt64 => ulong.MaxValue,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an integer type"),
    };
}
