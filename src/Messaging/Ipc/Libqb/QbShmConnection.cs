using System.Net.Sockets;
using System.Threading.Channels;
using Cluster.Messaging.Sync;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// Shared-memory mode (QB_IPC_SHM): three rings (request: client writes; response and event: we
/// write). The client announces each request chunk with one byte on the setup socket; we announce
/// each event with one byte (replies need none: the client waits on the response semaphore). The
/// setup socket being a stream socket is what lets Pacemaker check our credentials (SO_PEERCRED).
/// </summary>
public sealed class QbShmConnection : QbConnection
{
    private readonly QbRingFiles _request;
    private readonly QbRingFiles _response;
    private readonly QbRingFiles _event;

    public QbShmConnection(ClientId id, ServiceId service, PeerCredentials peer, Socket setup, string directory, uint maxMessageSize, string serviceName)
        : base(id, service, peer, setup, directory, maxMessageSize)
    {
        var rings = new List<QbRingFiles>(3);
        try
        {
            foreach (var kind in new[] { "request", "response", "event" })
                rings.Add(new QbRingFiles(Path.Combine(directory, $"qb-{kind}-{serviceName}"), maxMessageSize, peer.Uid, peer.Gid));
        }
        catch
        {
            foreach (var r in rings)
                r.Dispose();
            throw;
        }
        (_request, _response, _event) = (rings[0], rings[1], rings[2]);
        setup.Blocking = false; // an event's notification byte must never block the daemon
    }

    /// <summary>The request ring's flow-control word (0 open, 1 all requests wait, 2 mcasts wait).</summary>
    public int FlowControl
    {
        get { lock (Gate) return IsClosed ? 0 : _request.Ring.FlowControl; }
        set { lock (Gate) if (!IsClosed) _request.Ring.FlowControl = value; }
    }

    public override QbConnectResponse Describe() => new(0, QbIpcType.Shm, MaxMessageSize, _request.Name, _response.Name, _event.Name);

    public override async Task ReceiveAsync(ChannelWriter<object> inbound, CancellationToken cancel)
    {
        var notes = new byte[64];
        try
        {
            while (!IsClosed)
            {
                int n = await Setup.ReceiveAsync(notes, SocketFlags.None, cancel).ConfigureAwait(false);
                if (n == 0)
                    return; // EOF: the client closed its end
                // One byte per request chunk; take what the semaphore says is there (a stray byte finds none).
                for (int i = 0; i < n; i++)
                {
                    byte[]? message;
                    lock (Gate)
                    {
                        if (IsClosed)
                            return;
                        message = _request.Ring.TryRead((int)MaxMessageSize);
                    }
                    if (message is null)
                        break;
                    if (message.Length == 0 || (message.Length >= 4 && QbHeader.Id(message) == QbHeader.Disconnect))
                        return;
                    await inbound.WriteAsync(new LibqbInbound(Id, Service, Peer, message), cancel).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    public override bool SendResponse(ReadOnlySpan<byte> message)
    {
        lock (Gate)
            return !IsClosed && _response.Ring.TryWrite(message);
    }

    public override bool SendEvent(ReadOnlySpan<byte> message)
    {
        lock (Gate)
        {
            if (IsClosed || !_event.Ring.TryWrite(message))
                return false;
            try
            {
                // Exactly one byte per event: the client reads one after each chunk, blocking until it comes.
                return Setup.Send([0], SocketFlags.None) == 1;
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }

    protected override void Release()
    {
        _request.Dispose();
        _response.Dispose();
        _event.Dispose();
    }
}

/// <summary>One ring's two files, <c>NAME-header</c> and <c>NAME-data</c>, created and initialized by us.</summary>
public sealed unsafe class QbRingFiles : IDisposable
{
    private readonly QbMappedFile _header;
    private readonly QbMappedFile _data;

    public QbRingFiles(string name, uint maxMessageSize, uint uid, uint gid)
    {
        Name = name;
        _header = new QbMappedFile(name + "-header", QbRing.HeaderFileSize, uid, gid);
        try
        {
            _data = new QbMappedFile(name + "-data", QbRing.DataSize(maxMessageSize, Environment.SystemPageSize), uid, gid);
        }
        catch
        {
            _header.Dispose();
            throw;
        }
        Ring = new QbRing(_header.Pointer, _data.Pointer, _data.Size);
        Ring.Initialize(_header.Path, _data.Path);
    }

    /// <summary>The ring's name as the handshake response carries it (without -header/-data).</summary>
    public string Name { get; }

    public QbRing Ring { get; }

    public void Dispose()
    {
        Ring.Destroy();
        _header.Dispose();
        _data.Dispose();
    }
}
