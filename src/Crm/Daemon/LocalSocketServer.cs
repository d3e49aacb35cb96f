using System.Collections.Concurrent;
using System.Net.Sockets;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Daemon;

/// <summary>
/// A daemon's local socket for length-prefixed frames (the CIB socket's framing): accepts clients,
/// checks their credentials (root or group haclient; anyone else gets <c>rejection</c> and is
/// closed before any request is read), hands each frame to <c>onFrame</c> and writes answers back.
/// A client that sends a bad frame or disconnects is dropped; the others are served on.
/// Used by attrd's and the fencer's sockets; the CIB has its own (<see cref="CibServer"/>).
/// </summary>
public sealed class LocalSocketServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Func<long, byte[], ValueTask<bool>> _onFrame;
    private readonly Action<long>? _onGone;
    private readonly byte[] _rejection;
    private readonly Action<string, string> _log;
    private readonly Func<PeerCredentials, bool> _authorize;
    private readonly ConcurrentDictionary<long, Client> _clients = new();
    private readonly CancellationTokenSource _stop = new();
    private long _nextClient;

    public string SocketPath { get; }

    /// <param name="onFrame">Takes one request frame of a client; false drops the client (a malformed request).</param>
    public LocalSocketServer(string socketPath, Func<long, byte[], ValueTask<bool>> onFrame, byte[] rejection, Action<string, string> log,
        Action<long>? onGone = null, Func<PeerCredentials, bool>? authorize = null)
    {
        SocketPath = socketPath;
        _onFrame = onFrame;
        _onGone = onGone;
        _rejection = rejection;
        _log = log;
        _authorize = authorize ?? (c => c.MayUseCib());
        Directory.CreateDirectory(Path.GetDirectoryName(socketPath)!);
        if (File.Exists(socketPath)) File.Delete(socketPath);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        // Everyone may connect; the credential check decides who may talk.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(socketPath, (UnixFileMode)0x1FF);
        _listener.Listen(64);
    }

    public Task RunAsync() => Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var id = Interlocked.Increment(ref _nextClient);
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var creds = PeerCredentials.Of(socket);
        if (creds is null || !_authorize(creds.Value))
        {
            _log("warning", $"Rejecting client connection from pid {creds?.Pid} uid {creds?.Uid}: Permission denied");
            try
            {
                await stream.WriteAsync(_rejection).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
            return;
        }
        _clients[id] = new Client(stream);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var body = await CibWire.ReadFrameAsync(stream, _stop.Token).ConfigureAwait(false);
                if (body is null || !await _onFrame(id, body).ConfigureAwait(false)) break;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            if (e is InvalidDataException) _log("warning", $"Dropping client {id} (pid {creds.Value.Pid}): {e.Message}");
        }
        finally
        {
            _clients.TryRemove(id, out _);
            _onGone?.Invoke(id);
        }
    }

    /// <summary>Sends one frame to a client; a client that has gone or does not read is skipped.</summary>
    public async ValueTask SendAsync(long clientId, byte[] frame)
    {
        if (_clients.TryGetValue(clientId, out var client)) await client.SendAsync(frame).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            File.Delete(SocketPath);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }

    private sealed class Client(NetworkStream stream)
    {
        private readonly SemaphoreSlim _lock = new(1, 1);

        public async ValueTask SendAsync(byte[] frame)
        {
            await _lock.WaitAsync().ConfigureAwait(false);
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await stream.WriteAsync(frame, cts.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // A client that does not read or has gone loses its answers, never the daemon's loop.
            }
            finally
            {
                _lock.Release();
            }
        }
    }
}
