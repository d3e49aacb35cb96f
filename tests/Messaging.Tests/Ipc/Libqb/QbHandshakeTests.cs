using Cluster.Messaging.Ipc.Libqb;

namespace Cluster.Messaging.Tests.Ipc.Libqb;

public class QbHandshakeTests
{
    // What every corosync client library sends (strace of the real corosync-cmapctl).
    private static readonly byte[] Observed = Convert.FromHexString("ffffffff000000001800000000000000000010000000" + "0000");

    [Fact]
    public void The_observed_connection_request_decodes_to_a_1_MiB_message_size()
    {
        var request = QbConnectRequest.Decode(Observed, out var error);
        Assert.Null(error);
        Assert.Equal(1048576u, request!.Value.MaxMessageSize);
        Assert.Equal(Observed, request.Value.Encode());
    }

    [Theory]
    [InlineData("ffffffff00000000180000000000000000001000")] // 20 bytes: short
    [InlineData("0700000000000000180000000000000000001000" + "00000000")] // id 7, not -1
    [InlineData("ffffffff00000000e70300000000000000001000" + "00000000")] // size field 999
    public void A_request_that_is_not_a_libqb_handshake_is_refused_with_the_reason(string hex)
    {
        Assert.Null(QbConnectRequest.Decode(Convert.FromHexString(hex), out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void The_response_is_12328_bytes_with_type_size_and_three_paths_at_their_offsets()
    {
        var response = new QbConnectResponse(0, QbIpcType.Shm, 1048576, "/dev/shm/qb-1-2-3-abcdef/qb-request-cmap",
            "/dev/shm/qb-1-2-3-abcdef/qb-response-cmap", "/dev/shm/qb-1-2-3-abcdef/qb-event-cmap");
        var bytes = response.Encode();
        Assert.Equal(12328, bytes.Length);
        Assert.Equal(-1, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(12328, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(0, BitConverter.ToInt32(bytes, 16));
        Assert.Equal(1, BitConverter.ToInt32(bytes, 24));
        Assert.Equal(1048576u, BitConverter.ToUInt32(bytes, 28));
        Assert.Equal((byte)'/', bytes[40]);
        Assert.Equal((byte)'/', bytes[4136]);
        Assert.Equal((byte)'/', bytes[8232]);
        Assert.Equal(response, QbConnectResponse.Decode(bytes));
    }

    [Fact]
    public void A_refusal_carries_only_the_negative_errno()
    {
        var bytes = QbConnectResponse.Refusal(-13).Encode();
        Assert.Equal(12328, bytes.Length);
        Assert.Equal(-13, BitConverter.ToInt32(bytes, 16));
        Assert.All(bytes.AsSpan(24).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Abstract_addresses_fill_the_whole_sun_path_so_the_kernel_sees_length_110()
    {
        var address = QbAddress.Abstract("cmap").Serialize();
        Assert.Equal(110, address.Size);
        Assert.Equal(0, address[2]);
        Assert.Equal((byte)'c', address[3]);
        Assert.Equal(0, address[109]);
    }
}
