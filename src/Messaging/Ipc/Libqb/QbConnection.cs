using System.Net.Sockets;
using System.Threading.Channels;
using Cluster.Messaging.Sync;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// One accepted libqb client after its handshake: the setup stream socket (liveness, and in SHM
/// mode the notification channel) plus the transport the server chose. Responses and events are
/// written without blocking: a client that does not read fills its socket or ring and is dropped.
/// </summary>
public abstract class QbConnection : IDisposable
{
    private int _closed;

    protected QbConnection(ClientId id, ServiceId service, PeerCredentials peer, Socket setup, string directory, uint maxMessageSize)
    {
        Id = id;
        Service = service;
        Peer = peer;
        Setup = setup;
        Directory = directory;
        MaxMessageSize = maxMessageSize;
    }

    public ClientId Id { get; }

    public ServiceId Service { get; }

    public PeerCredentials Peer { get; }

    public uint MaxMessageSize { get; }

    protected Socket Setup { get; }

    /// <summary>The connection's private directory under /dev/shm.</summary>
    protected string Directory { get; }

    /// <summary>Set once the connection is closed (by either side).</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    protected object Gate { get; } = new();

    /// <summary>What the handshake response tells the client.</summary>
    public abstract QbConnectResponse Describe();

    /// <summary>Delivers requests to <paramref name="inbound"/> until the client goes away.</summary>
    public abstract Task ReceiveAsync(ChannelWriter<object> inbound, CancellationToken cancel);

    /// <summary>Writes a reply; false if it could not be written without blocking (the caller drops the client).</summary>
    public abstract bool SendResponse(ReadOnlySpan<byte> message);

    /// <summary>Writes an event; false if it could not be written without blocking.</summary>
    public abstract bool SendEvent(ReadOnlySpan<byte> message);

    /// <summary>Closes the connection once; true for the caller that actually closed it.</summary>
    public bool Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return false;
        lock (Gate)
        {
            try
            {
                Setup.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            Setup.Dispose();
            Release();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return true;
    }

    /// <summary>Frees the transport (sockets, mappings, files); called once, under <see cref="Gate"/>.</summary>
    protected abstract void Release();

    public void Dispose()
    {
        Close();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A request from a libqb client, or (Message null) the news that it disconnected.</summary>
public sealed record LibqbInbound(ClientId Client, ServiceId Service, PeerCredentials Peer, byte[]? Message);

/// <summary>
/// A client asks to connect: the daemon answers 0 to accept or a negative errno (-EAGAIN before
/// the first sync, -EACCES for a uid/gid corosync's uidgid rules refuse).
/// </summary>
public sealed record LibqbConnecting(ServiceId Service, PeerCredentials Peer, TaskCompletionSource<int> Decision);
