using System.Net;
using System.Net.Sockets;

namespace Cluster.Messaging.Transport;

/// <summary>
/// Finds a UDP port (and port - 1, which the udp transport sends from) that is free on every
/// given address right now, for test rings and benchmarks on 127.0.0.x.
/// </summary>
public static class FreeUdpPort
{
    private const int Attempts = 200;

    public static int Find(IEnumerable<IPAddress> addresses)
    {
        var list = addresses.ToList();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var port = Random.Shared.Next(20_000, 60_000);
            var sockets = new List<Socket>();
            try
            {
                foreach (var address in list)
                {
                    foreach (var p in new[] { port, port - 1 })
                    {
                        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                        sockets.Add(socket);
                        socket.Bind(new IPEndPoint(address, p));
                    }
                }
                return port;
            }
            catch (SocketException)
            {
                // taken on one of the addresses: try another
            }
            finally
            {
                foreach (var socket in sockets) socket.Dispose();
            }
        }
        throw new InvalidOperationException($"no free UDP port on {string.Join(", ", list)} after {Attempts} attempts");
    }
}
