using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Cluster.Common.Diagnostics;
using Cluster.Messaging.Sync;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Ipc;

/// <summary>A request from a client, or (Request null) the news that it disconnected.</summary>
public sealed record IpcInbound(ClientId Client, PeerCredentials Peer, IpcRequest? Request)
{
    /// <summary>The client's pid as the kernel reports it (a request's own pid field is not trusted).</summary>
    public uint Pid => (uint)Peer.Pid;
}

/// <summary>
/// The daemon's client socket (a Unix stream socket under the run directory). Each connection is
/// checked by peer credentials, read on its own task and written from a bounded queue: a client
/// that does not read its callbacks fills the queue and is disconnected, so it never blocks the
/// daemon or other clients. Requests and disconnects arrive, in order per client, on <see cref="Inbound"/>.
/// A frame that is not a valid request is answered here with an error reply saying why
/// (<see cref="IpcRequestDecoder"/>) and the connection goes on; only broken framing disconnects.
/// </summary>
public sealed class IpcServer : IAsyncDisposable
{
    private sealed class Connection(ClientId id, Socket socket, PeerCredentials peer, int capacity)
    {
        public ClientId Id { get; } = id;
        public Socket Socket { get; } = socket;
        public PeerCredentials Peer { get; } = peer;
        public Channel<byte[]> Outbox { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true });
        public CancellationTokenSource Stop { get; } = new();
        public int Closed;
    }

    private readonly string _path;
    private readonly IpcAccessPolicy _policy;
    private readonly ILogger _logger;
    private readonly int _queueCapacity;
    private readonly int _maxConnections;
    private readonly TimeProvider _time;
    // Refusals are triggered by any local user: one line per interval, with the count suppressed
    // (one line per refused connection let an unprivileged user fill the disk at 6 MB/s).
    private readonly LogThrottle _refusedLog = new(TimeSpan.FromSeconds(10));
    private readonly LogThrottle _badRequestLog = new(TimeSpan.FromSeconds(10));
    private readonly Channel<IpcInbound> _inbound = Channel.CreateUnbounded<IpcInbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<ClientId, Connection> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextId;

    /// <summary>Connections open at once; more are refused (each holds buffers and two tasks).</summary>
    public const int DefaultMaxConnections = 256;

    public IpcServer(string socketPath, IpcAccessPolicy policy, ILogger logger, int queueCapacity = 4096,
        int maxConnections = DefaultMaxConnections, TimeProvider? time = null)
    {
        _path = socketPath;
        _policy = policy;
        _logger = logger;
        _queueCapacity = queueCapacity;
        _maxConnections = maxConnections;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Clients connected now.</summary>
    public int ConnectionCount => _connections.Count;

    public ChannelReader<IpcInbound> Inbound => _inbound.Reader;

    public string SocketPath => _path;

    /// <summary>Connections refused by the credential check.</summary>
    public long Refused => Interlocked.Read(ref _refused);
    private long _refused;

    /// <summary>Clients dropped because their callback queue was full.</summary>
    public long SlowDisconnects => Interlocked.Read(ref _slow);
    private long _slow;

    /// <summary>Frames answered with an error because they were not a valid request.</summary>
    public long BadRequests => Interlocked.Read(ref _badRequests);
    private long _badRequests;

    public void Start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        if (File.Exists(_path))
            File.Delete(_path); // a stale socket of a crashed daemon; the pid file guards against two daemons
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(_path));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite); // access is decided by peer credentials, not file mode
        listener.Listen(128);
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Queues a message for a client; a full queue disconnects it. False if the client is gone.</summary>
    public bool Send(ClientId client, IpcDaemonMessage message)
    {
        if (!_connections.TryGetValue(client, out var c))
            return false;
        if (c.Outbox.Writer.TryWrite(IpcFraming.Encode(message)))
            return true;
        Interlocked.Increment(ref _slow);
        _logger.LogWarning("IPC client {Client} (pid {Pid}) is not reading its messages; disconnecting it", client, c.Peer.Pid);
        Close(c);
        return false;
    }

    public void Disconnect(ClientId client)
    {
        if (_connections.TryGetValue(client, out var c))
            Close(c);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            PeerCredentials peer;
            try
            {
                peer = PeerCredentials.Of(socket);
            }
            catch (SocketException e)
            {
                Refuse(socket, $"cannot read peer credentials ({e.SocketErrorCode})");
                continue;
            }
            if (!_policy.Allows(peer))
            {
                Refuse(socket, $"pid {peer.Pid} uid {peer.Uid} gid {peer.Gid}: not root and not allowed by uidgid");
                continue;
            }
            if (_connections.Count >= _maxConnections)
            {
                Refuse(socket, $"pid {peer.Pid} uid {peer.Uid}: {_maxConnections} connections already open");
                continue;
            }
            var c = new Connection(new ClientId(Interlocked.Increment(ref _nextId)), socket, peer, _queueCapacity);
            _connections[c.Id] = c;
            _ = Task.Run(() => ReadLoopAsync(c));
            _ = Task.Run(() => WriteLoopAsync(c));
        }
    }

    private void Refuse(Socket socket, string why)
    {
        // Count and log before closing: the peer sees the close, and whoever it tells must find
        // the refusal already counted.
        Interlocked.Increment(ref _refused);
        if (_refusedLog.ShouldLog(_time.GetUtcNow() - DateTimeOffset.UnixEpoch, out var suppressed))
            _logger.LogWarning("IPC: refusing a connection: {Reason}{Suppressed}", why, LogThrottle.Suffix(suppressed));
        socket.Dispose();
    }

    private async Task ReadLoopAsync(Connection c)
    {
        try
        {
            await using var stream = new NetworkStream(c.Socket, ownsSocket: false);
            while (true)
            {
                var body = await IpcFraming.ReadFrameAsync(stream, c.Stop.Token).ConfigureAwait(false);
                if (body is null)
                    break;
                if (IpcRequestDecoder.Decode(body, out var refusal) is { } request)
                {
                    await _inbound.Writer.WriteAsync(new IpcInbound(c.Id, c.Peer, request), c.Stop.Token).ConfigureAwait(false);
                    continue;
                }
                Interlocked.Increment(ref _badRequests);
                // Any local client can send these: one line per interval, not one per frame.
                if (_badRequestLog.ShouldLog(_time.GetUtcNow() - DateTimeOffset.UnixEpoch, out var suppressed))
                    _logger.LogWarning("IPC client {Client} (pid {Pid}) sent a bad request: {Error}{Suppressed}", c.Id, c.Peer.Pid, refusal!.Detail,
                        LogThrottle.Suffix(suppressed));
                Send(c.Id, refusal!);
            }
        }
        catch (InvalidDataException e)
        {
            _logger.LogWarning("IPC client {Client} (pid {Pid}) sent a bad frame: {Error}; disconnecting it", c.Id, c.Peer.Pid, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or we closed it.
        }
        Close(c);
    }

    private async Task WriteLoopAsync(Connection c)
    {
        try
        {
            await using var stream = new NetworkStream(c.Socket, ownsSocket: false);
            await foreach (var frame in c.Outbox.Reader.ReadAllAsync(c.Stop.Token).ConfigureAwait(false))
                await stream.WriteAsync(frame, c.Stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        Close(c);
    }

    private void Close(Connection c)
    {
        if (Interlocked.Exchange(ref c.Closed, 1) != 0)
            return;
        _connections.TryRemove(c.Id, out _);
        c.Outbox.Writer.TryComplete();
        c.Stop.Cancel();
        try
        {
            c.Socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        c.Socket.Dispose();
        _inbound.Writer.TryWrite(new IpcInbound(c.Id, c.Peer, null));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        if (_acceptLoop is not null)
            await _acceptLoop.ConfigureAwait(false);
        foreach (var c in _connections.Values)
            Close(c);
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        _inbound.Writer.TryComplete();
        _stop.Dispose();
    }
}
