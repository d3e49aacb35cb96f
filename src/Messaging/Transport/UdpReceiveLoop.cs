using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>
/// A dedicated thread receiving datagrams from one socket until stopped. A short receive timeout
/// bounds how long <see cref="Dispose"/> waits for the thread even if closing the socket does not
/// interrupt the blocking call.
/// </summary>
internal sealed class UdpReceiveLoop : IDisposable
{
    private static readonly IPEndPoint Template = new(IPAddress.Any, 0);
    private static readonly IPEndPoint Template6 = new(IPAddress.IPv6Any, 0);
    private readonly Socket _socket;
    private readonly Action<IPEndPoint, ReadOnlySpan<byte>> _onDatagram;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopped;

    public UdpReceiveLoop(Socket socket, string name, int bufferSize, Action<IPEndPoint, ReadOnlySpan<byte>> onDatagram, ILogger logger)
    {
        _socket = socket;
        _onDatagram = onDatagram;
        _logger = logger;
        BufferSize = bufferSize;
        _socket.ReceiveTimeout = 250;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    private int BufferSize { get; }

    public void Start() => _thread.Start();

    private void Run()
    {
        var buffer = new byte[BufferSize];
        var address = new SocketAddress(_socket.AddressFamily);
        var template = _socket.AddressFamily == AddressFamily.InterNetworkV6 ? Template6 : Template;
        while (!_stopped)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
            {
                continue;
            }
            catch (Exception e) when (_stopped && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A transient error on a datagram socket (e.g. an ICMP error reported late): log, keep receiving.
                _logger.LogDebug("receive error on {Thread}: {Error}", _thread.Name, e.SocketErrorCode);
                continue;
            }
            var source = (IPEndPoint)template.Create(address);
            _onDatagram(source, buffer.AsSpan(0, received));
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _socket.Dispose();
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(2));
    }
}
