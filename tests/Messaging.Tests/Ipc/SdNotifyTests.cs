using System.Net.Sockets;
using System.Text;
using Cluster.Common.Systemd;

namespace Cluster.Messaging.Tests.Ipc;

public class SdNotifyTests
{
    [Fact]
    public void Ready_reaches_the_socket_named_by_notify_socket()
    {
        var dir = Directory.CreateTempSubdirectory("hc-notify").FullName;
        try
        {
            var path = Path.Combine(dir, "notify");
            using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            Assert.True(SdNotify.Notify("READY=1", v => v == SdNotify.SocketVariable ? path : null));
            var buffer = new byte[64];
            listener.ReceiveTimeout = 5000;
            int n = listener.Receive(buffer);
            Assert.Equal("READY=1", Encoding.UTF8.GetString(buffer, 0, n));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Without_notify_socket_nothing_is_sent() => Assert.False(SdNotify.Notify("READY=1", _ => null));
}
