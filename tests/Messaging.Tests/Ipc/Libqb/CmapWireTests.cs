using Cluster.Messaging.Cmap;
using Cluster.Messaging.Ipc.Libqb;

namespace Cluster.Messaging.Tests.Ipc.Libqb;

public class CmapWireTests
{
    [Fact]
    public void Strings_travel_with_their_terminating_NUL()
    {
        Assert.Equal("probe\0"u8.ToArray(), CmapWire.Encode(CmapValue.Str("probe")));
        Assert.Equal("probe", CmapWire.Decode(CmapType.String, "probe"u8)!.AsString);
        Assert.Equal("pro", CmapWire.Decode(CmapType.String, "pro\0be"u8)!.AsString);
    }

    [Fact]
    public void Integers_are_little_endian_of_their_width_and_type_codes_count_from_one()
    {
        Assert.Equal(new byte[] { 7, 0, 0, 0 }, CmapWire.Encode(CmapValue.U32(7)));
        Assert.Equal(CmapValue.U32(7), CmapWire.Decode(CmapType.UInt32, new byte[] { 7, 0, 0, 0 }));
        Assert.Equal(CmapValue.Integer(CmapType.Int8, -1), CmapWire.Decode(CmapType.Int8, new byte[] { 0xff }));
        Assert.Equal(6, CmapWire.TypeCode(CmapType.UInt32));
        Assert.Equal(11, CmapWire.TypeCode(CmapType.String));
        Assert.Equal(CmapType.Binary, CmapWire.TypeOf(12));
        Assert.Null(CmapWire.TypeOf(0));
        Assert.Null(CmapWire.TypeOf(13));
    }

    [Fact]
    public void A_value_whose_length_does_not_fit_its_type_is_rejected()
    {
        Assert.Null(CmapWire.Decode(CmapType.UInt32, new byte[] { 1, 2, 3 }));
        Assert.Null(CmapWire.Decode(CmapType.Double, new byte[4]));
    }

    [Fact]
    public void Names_are_read_as_C_strings_and_an_oversized_length_is_refused()
    {
        var m = new byte[300];
        QbFields.PutName(m, 16, "totem.cluster_name");
        Assert.Equal("totem.cluster_name", QbFields.Name(m, 16));
        m[16] = 0xff;
        m[17] = 0x01; // 511 > 256
        Assert.Null(QbFields.Name(m, 16));
    }

    [Fact]
    public void Cpg_names_keep_every_byte_of_their_length_including_Pacemakers_NUL()
    {
        var m = new byte[200];
        QbFields.PutCpgName(m, 16, "cib\0");
        Assert.Equal(4u, QbFields.U32(m, 16));
        Assert.Equal("cib\0", QbFields.CpgName(m, 16));
    }
}
