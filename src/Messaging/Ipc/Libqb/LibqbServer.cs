using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using System.Threading.Channels;
using Cluster.Messaging.Sync;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// The libqb IPC server the real corosync client libraries (libcmap, libcpg, libquorum,
/// libvotequorum, libcfg, hence corosync-* tools and Pacemaker) connect to: one abstract stream
/// socket per service, the 24-byte / 12 328-byte handshake, then socket or shared-memory
/// transport per <see cref="QbIpcType"/>. Admission is the daemon's decision
/// (<see cref="LibqbConnecting"/>); requests and disconnects arrive, in order per client, on
/// <see cref="Inbound"/>. Nothing here blocks on a client: a silent or garbage handshake times
/// out or is refused, and a client that does not read is dropped.
/// </summary>
public sealed class LibqbServer : IAsyncDisposable
{
    /// <summary>The libqb names corosync serves (pload, mon and wd have no client library).</summary>
    public static readonly IReadOnlyList<(ServiceId Service, string Name)> Services =
        [(ServiceId.Cmap, "cmap"), (ServiceId.Cfg, "cfg"), (ServiceId.Cpg, "cpg"), (ServiceId.Quorum, "quorum"), (ServiceId.Votequorum, "votequorum")];

    private readonly QbIpcType _type;
    private readonly ILogger _logger;
    private readonly int _maxConnections;
    private readonly TimeSpan _handshakeTimeout;
    private readonly Channel<object> _inbound = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<ClientId, QbConnection> _connections = new();
    private readonly List<Socket> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _shmRoot;
    private long _nextId;
    private int _pending;

    /// <param name="firstClientId">Client ids are handed out from here so they never collide with the other IPC server's.</param>
    public LibqbServer(QbIpcType type, ILogger logger, long firstClientId, int maxConnections = 1024, TimeSpan? handshakeTimeout = null, string shmRoot = "/dev/shm")
    {
        _type = type;
        _logger = logger;
        _nextId = firstClientId - 1;
        _maxConnections = maxConnections;
        _handshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(5);
        _shmRoot = shmRoot;
    }

    /// <summary><see cref="LibqbConnecting"/> and <see cref="LibqbInbound"/> items, for the daemon's loop.</summary>
    public ChannelReader<object> Inbound => _inbound.Reader;

    public QbIpcType Type => _type;

    public int Connections => _connections.Count;

    /// <summary>Handshakes refused: garbage, timeouts, over the connection limit, or denied by the daemon.</summary>
    public long Refused => Interlocked.Read(ref _refused);
    private long _refused;

    /// <summary>Clients dropped because they stopped reading their replies or events.</summary>
    public long SlowDisconnects => Interlocked.Read(ref _slow);
    private long _slow;

    public bool Owns(ClientId client) => _connections.ContainsKey(client);

    public ServiceId? ServiceOf(ClientId client) => _connections.TryGetValue(client, out var c) ? c.Service : null;

    /// <summary>Binds every service's rendezvous socket; the names that could not be bound (another server in this network namespace).</summary>
    public IReadOnlyList<string> Start()
    {
        var failed = new List<string>();
        foreach (var (service, name) in Services)
        {
            var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                listener.Bind(QbAddress.Abstract(name));
                listener.Listen(128);
            }
            catch (SocketException e)
            {
                listener.Dispose();
                failed.Add($"{name} ({e.SocketErrorCode})");
                continue;
            }
            _listeners.Add(listener);
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener, service, name)));
        }
        return failed;
    }

    /// <summary>Sends a reply; a client that cannot take it is dropped. False if the client is gone.</summary>
    public bool Reply(ClientId client, byte[] message) => Send(client, message, isEvent: false);

    /// <summary>Sends an event (callback); a client that cannot take it is dropped.</summary>
    public bool Event(ClientId client, byte[] message) => Send(client, message, isEvent: true);

    private bool Send(ClientId client, byte[] message, bool isEvent)
    {
        if (!_connections.TryGetValue(client, out var c))
            return false;
        if (isEvent ? c.SendEvent(message) : c.SendResponse(message))
            return true;
        if (!c.IsClosed)
        {
            Interlocked.Increment(ref _slow);
            _logger.LogWarning("libqb client {Client} (pid {Pid}, {Service}) is not reading its messages; disconnecting it", client, c.Peer.Pid, c.Service);
        }
        Drop(c);
        return false;
    }

    /// <summary>Sets the flow-control word of a shared-memory client (sync in progress, or not quorate).</summary>
    public void SetFlowControl(ClientId client, int value)
    {
        if (_connections.TryGetValue(client, out var c) && c is QbShmConnection shm)
            shm.FlowControl = value;
    }

    public void Disconnect(ClientId client)
    {
        if (_connections.TryGetValue(client, out var c))
            Drop(c);
    }

    private void Drop(QbConnection c)
    {
        if (c.Close())
        {
            _connections.TryRemove(c.Id, out _);
            _inbound.Writer.TryWrite(new LibqbInbound(c.Id, c.Service, c.Peer, null));
        }
    }

    private async Task AcceptLoopAsync(Socket listener, ServiceId service, string name)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _logger.LogWarning("libqb {Service}: accept failed ({Error})", name, e.SocketErrorCode);
                await Task.Delay(100, CancellationToken.None).ConfigureAwait(false); // e.g. out of descriptors: do not spin
                continue;
            }
            _ = Task.Run(() => HandshakeAsync(socket, service, name));
        }
    }

    private async Task HandshakeAsync(Socket socket, ServiceId service, string name)
    {
        QbConnection? connection = null;
        bool counted = Interlocked.Increment(ref _pending) + _connections.Count <= _maxConnections;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_handshakeTimeout);
            var request = new byte[QbConnectRequest.Size];
            int got = 0;
            while (got < request.Length)
            {
                int n = await socket.ReceiveAsync(request.AsMemory(got), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (n == 0)
                    break;
                got += n;
            }
            if (QbConnectRequest.Decode(request.AsSpan(0, got), out var error) is not { } connect)
            {
                // libqb's server closes without a reply when the handshake is not one.
                Refuse(null, name, $"bad handshake: {error}");
                socket.Dispose();
                return;
            }
            var peer = PeerCredentials.Of(socket);
            int decision;
            if (!counted)
                decision = -24; // EMFILE: over our connection limit
            else
            {
                var ask = new LibqbConnecting(service, peer, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
                _inbound.Writer.TryWrite(ask);
                decision = await ask.Decision.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            if (decision != 0)
            {
                await socket.SendAsync(QbConnectResponse.Refusal(decision).Encode(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                Refuse(peer, name, $"refused with errno {-decision}");
                socket.Dispose();
                return;
            }
            var id = new ClientId(Interlocked.Increment(ref _nextId));
            string dir = CreateDirectory(peer, socket);
            try
            {
                connection = _type == QbIpcType.Shm
                    ? new QbShmConnection(id, service, peer, socket, dir, connect.MaxMessageSize, name)
                    : new QbSocketConnection(id, service, peer, socket, dir, connect.MaxMessageSize, name);
            }
            catch
            {
                Directory.Delete(dir, recursive: true);
                throw;
            }
            _connections[id] = connection;
            await socket.SendAsync(connection.Describe().Encode(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            Refuse(null, name, e is OperationCanceledException ? "handshake timed out" : e.Message);
            if (connection is not null)
                Drop(connection);
            else
                socket.Dispose();
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
        try
        {
            await connection.ReceiveAsync(_inbound.Writer, _stop.Token).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            _logger.LogWarning("libqb client {Client} (pid {Pid}, {Service}) wrote a corrupt request: {Error}; disconnecting it", connection.Id, connection.Peer.Pid, name, e.Message);
        }
        finally
        {
            Drop(connection);
        }
    }

    private void Refuse(PeerCredentials? peer, string name, string why)
    {
        Interlocked.Increment(ref _refused);
        _logger.LogDebug("libqb {Service}: connection from pid {Pid} refused: {Why}", name, peer?.Pid ?? 0, why);
    }

    /// <summary><c>/dev/shm/qb-&lt;our pid&gt;-&lt;client pid&gt;-&lt;fd&gt;-XXXXXX</c>, mode 0770, owned by the client.</summary>
    private string CreateDirectory(PeerCredentials peer, Socket socket)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("libqb IPC needs a POSIX system");
        const string letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        var inv = CultureInfo.InvariantCulture;
        for (int attempt = 0; ; attempt++)
        {
            var suffix = string.Create(6, 0, (span, _) =>
            {
                for (int i = 0; i < span.Length; i++)
                    span[i] = letters[Random.Shared.Next(letters.Length)];
            });
            var dir = Path.Combine(_shmRoot, string.Create(inv, $"qb-{Environment.ProcessId}-{peer.Pid}-{socket.Handle}-{suffix}"));
            if (Directory.Exists(dir) && attempt < 10)
                continue;
            var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute;
            Directory.CreateDirectory(dir, mode);
            File.SetUnixFileMode(dir, mode); // the umask must not take the group bits away
            _ = QbNative.Chown(dir, peer.Uid, peer.Gid);
            return dir;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var l in _listeners)
            l.Dispose();
        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        foreach (var c in _connections.Values)
            Drop(c);
        _inbound.Writer.TryComplete();
        _stop.Dispose();
    }
}
