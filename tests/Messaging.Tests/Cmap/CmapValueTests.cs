using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Tests.Cmap;

public class CmapValueTests
{
    [Theory]
    [InlineData(CmapType.Int8, "i8")]
    [InlineData(CmapType.UInt8, "u8")]
    [InlineData(CmapType.Int16, "i16")]
    [InlineData(CmapType.UInt16, "u16")]
    [InlineData(CmapType.Int32, "i32")]
    [InlineData(CmapType.UInt32, "u32")]
    [InlineData(CmapType.Int64, "i64")]
    [InlineData(CmapType.UInt64, "u64")]
    [InlineData(CmapType.Float, "flt")]
    [InlineData(CmapType.Double, "dbl")]
    [InlineData(CmapType.String, "str")]
    [InlineData(CmapType.Binary, "bin")]
    public void Type_names_are_the_ones_corosync_cmapctl_prints_and_parse_back(CmapType type, string name)
    {
        Assert.Equal(name, type.Name());
        Assert.True(CmapTypes.TryParseName(name, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Fact]
    public void Entries_print_as_key_type_value_like_the_real_tool()
    {
        Assert.Equal("totem.token (u32) = 3000", new CmapEntry("totem.token", CmapValue.U32(3000)).ToString());
        Assert.Equal("runtime.members.1.ip (str) = r(0) ip(10.77.0.11) ", new CmapEntry("runtime.members.1.ip", CmapValue.Str("r(0) ip(10.77.0.11) ")).ToString());
        Assert.Equal("resources.system.load_15min.current (dbl) = 0.000000", new CmapEntry("resources.system.load_15min.current", CmapValue.Dbl(0)).ToString());
        Assert.Equal("runtime.config.totem.knet_compression_level (i32) = -1", new CmapEntry("runtime.config.totem.knet_compression_level", CmapValue.I32(-1)).ToString());
        Assert.Equal("x (bin) = *empty*", new CmapEntry("x", CmapValue.Bin([])).ToString());
        Assert.Equal("x (bin) = ab\\x00", new CmapEntry("x", CmapValue.Bin("ab\0"u8)).ToString());
    }

    [Theory]
    [InlineData(CmapType.UInt8, "256")]
    [InlineData(CmapType.UInt16, "65536")]
    [InlineData(CmapType.UInt32, "-1")]
    [InlineData(CmapType.UInt32, "4294967296")]
    [InlineData(CmapType.Int32, "2147483648")]
    [InlineData(CmapType.UInt64, "18446744073709551616")]
    [InlineData(CmapType.UInt32, "12a")]
    [InlineData(CmapType.UInt32, " 1")]
    [InlineData(CmapType.UInt32, "")]
    public void Integers_outside_the_type_or_not_decimal_are_refused(CmapType type, string text)
    {
        Assert.False(CmapValue.TryParse(type, text, out _));
    }

    [Fact]
    public void Integers_at_the_type_bounds_are_accepted()
    {
        Assert.True(CmapValue.TryParse(CmapType.UInt64, "18446744073709551615", out var max));
        Assert.Equal("18446744073709551615", max.Format());
        Assert.True(CmapValue.TryParse(CmapType.Int32, "-2147483648", out var min));
        Assert.Equal("-2147483648", min.Format());
    }

    [Fact]
    public void Values_compare_by_type_and_content()
    {
        Assert.Equal(CmapValue.U32(5), CmapValue.U32(5));
        Assert.NotEqual(CmapValue.U32(5), CmapValue.Integer(CmapType.UInt16, 5));
        Assert.NotEqual(CmapValue.Str("5"), CmapValue.U32(5));
        Assert.Equal(CmapValue.Bin("ab"u8), CmapValue.Bin("ab"u8));
    }
}
