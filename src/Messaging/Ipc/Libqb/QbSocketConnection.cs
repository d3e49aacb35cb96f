using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Cluster.Messaging.Sync;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// Socket mode (QB_IPC_SOCKET): requests arrive as datagrams on <c>&lt;base&gt;-request</c>,
/// replies go back to the client's <c>&lt;base&gt;-response</c>, events from
/// <c>&lt;base&gt;-event-tx</c> to <c>&lt;base&gt;-event</c> (all abstract names); a 24-byte control
/// file holds {sent, flow_control} per channel. One message per datagram.
/// </summary>
public sealed class QbSocketConnection : QbConnection
{
    private readonly QbMappedFile _control;
    private readonly Socket _request;
    private readonly Socket _eventTx;
    private readonly string _base;

    public QbSocketConnection(ClientId id, ServiceId service, PeerCredentials peer, Socket setup, string directory, uint maxMessageSize, string serviceName)
        : base(id, service, peer, setup, directory, maxMessageSize)
    {
        _base = System.IO.Path.Combine(directory, "qb-" + serviceName);
        _control = new QbMappedFile(System.IO.Path.Combine(directory, "qb-control-" + serviceName), 24, peer.Uid, peer.Gid);
        ClearControl();
        _request = Datagram(_base + "-request", maxMessageSize);
        _eventTx = Datagram(_base + "-event-tx", maxMessageSize);
    }

    private static Socket Datagram(string name, uint size)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            s.Bind(QbAddress.Abstract(name));
            s.SendBufferSize = (int)Math.Min(size, int.MaxValue); // the kernel caps it at wmem_max
            s.Blocking = false;
        }
        catch
        {
            s.Dispose();
            throw;
        }
        return s;
    }

    private unsafe void ClearControl() => new Span<byte>(_control.Pointer, 24).Clear();

    /// <summary>Adjusts a channel's `sent` counter in the control file (0 request, 1 response, 2 event), as libqb's readers and writers do.</summary>
    private unsafe void AddSent(int channel, int delta) => Interlocked.Add(ref *(int*)(_control.Pointer + (8 * channel)), delta);

    public override QbConnectResponse Describe() => new(0, QbIpcType.Socket, MaxMessageSize, _control.Path, _base, "");

    public override async Task ReceiveAsync(ChannelWriter<object> inbound, CancellationToken cancel)
    {
        var liveness = WatchSetupAsync(cancel);
        try
        {
            while (!IsClosed)
            {
                // Wait for a datagram without holding a buffer of the full message size per idle client.
                var wait = _request.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, cancel).AsTask();
                if (await Task.WhenAny(wait, liveness).ConfigureAwait(false) == liveness)
                    return;
                await wait.ConfigureAwait(false);
                int size = Math.Max(_request.Available, 1);
                if (size > MaxMessageSize)
                    return; // larger than the client itself asked for: not a libqb client
                var buffer = ArrayPool<byte>.Shared.Rent(size);
                try
                {
                    int n = await _request.ReceiveAsync(buffer.AsMemory(0, size), SocketFlags.None, cancel).ConfigureAwait(false);
                    AddSent(0, -1);
                    if (n == 0 || (n >= QbHeader.RequestSize && QbHeader.Id(buffer) == QbHeader.Disconnect))
                        return;
                    await inbound.WriteAsync(new LibqbInbound(Id, Service, Peer, buffer.AsSpan(0, n).ToArray()), cancel).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>Completes when the client closes the setup socket (EOF or error).</summary>
    private async Task WatchSetupAsync(CancellationToken cancel)
    {
        var buffer = new byte[16];
        try
        {
            while (await Setup.ReceiveAsync(buffer, SocketFlags.None, cancel).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    public override bool SendResponse(ReadOnlySpan<byte> message) => SendTo(_request, "-response", 1, message);

    public override bool SendEvent(ReadOnlySpan<byte> message) => SendTo(_eventTx, "-event", 2, message);

    private bool SendTo(Socket socket, string suffix, int channel, ReadOnlySpan<byte> message)
    {
        lock (Gate)
        {
            if (IsClosed)
                return false;
            try
            {
                socket.SendTo(message, SocketFlags.None, QbAddress.Abstract(_base + suffix));
            }
            catch (SocketException)
            {
                return false; // would block (the client is not reading) or the client is gone
            }
            AddSent(channel, 1);
            return true;
        }
    }

    protected override void Release()
    {
        _request.Dispose();
        _eventTx.Dispose();
        _control.Dispose();
    }
}
