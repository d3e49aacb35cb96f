using System.Collections.Concurrent;
using System.Net.Sockets;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;

namespace Cluster.Crm.Daemon;

/// <summary>
/// The CIB manager's local socket: accepts clients, checks their credentials (root or group
/// haclient; anyone else gets "Permission denied" and is closed before any request is read),
/// turns frames into <see cref="CibClientRequest"/> inputs for the loop, and writes replies and
/// notifications back. A client that sends garbage or disconnects mid-request is dropped; the
/// server keeps serving the others.
/// </summary>
public sealed class CibServer : IDisposable
{
    private readonly Socket _listener;
    private readonly Func<CibInput, bool> _post;
    private readonly Action<string, string> _log;
    private readonly Func<PeerCredentials, bool> _authorize;
    private readonly ConcurrentDictionary<long, Client> _clients = new();
    private readonly CancellationTokenSource _stop = new();
    private long _nextClient;

    public string SocketPath { get; }

    public CibServer(string socketPath, Func<CibInput, bool> post, Action<string, string> log, Func<PeerCredentials, bool>? authorize = null)
    {
        SocketPath = socketPath;
        _post = post;
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

    public int ClientCount => _clients.Count;

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
            _log("warning", $"Rejecting CIB client connection from pid {creds?.Pid} uid {creds?.Uid}: Permission denied");
            try
            {
                await stream.WriteAsync(CibWire.Encode(new CibWireReply(CibWire.Greeting, CibResultCode.InsufficientPrivileges, null, CibErrors.PermissionDenied, null, null))).ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
            return;
        }
        var user = creds.Value.Uid == 0 ? "root" : UserDatabase.UserName("/etc/passwd", creds.Value.Uid) ?? creds.Value.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var client = new Client(stream);
        _clients[id] = client;
        try
        {
            await client.SendAsync(CibWire.Encode(new CibWireReply(CibWire.Greeting, CibResultCode.Ok, null, null, null, null))).ConfigureAwait(false);
            while (!_stop.IsCancellationRequested)
            {
                var body = await CibWire.ReadFrameAsync(stream, _stop.Token).ConfigureAwait(false);
                if (body is null) break;
                var wire = CibWire.DecodeRequest(body);
                if (wire is null || wire.CallId <= 0)
                {
                    _log("warning", $"Dropping CIB client {id} (pid {creds.Value.Pid}): malformed request");
                    break;
                }
                System.Xml.Linq.XElement? data = null;
                if (wire.Data is not null)
                {
                    try
                    {
                        data = CibXmlText.Parse(wire.Data);
                    }
                    catch (CibParseException)
                    {
                        await client.SendAsync(CibWire.Encode(new CibWireReply(wire.CallId, CibResultCode.ConfigInvalid, null, CibErrors.SchemaViolation, null, null))).ConfigureAwait(false);
                        continue;
                    }
                }
                var request = new CibRequest(wire.Command, wire.Scope, wire.XPath, data, wire.Options);
                if (!_post(new CibClientRequest(id, wire.CallId, request, wire.ClientName, user, DateTimeOffset.UtcNow))) break;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            if (e is InvalidDataException) _log("warning", $"Dropping CIB client {id} (pid {creds.Value.Pid}): {e.Message}");
        }
        finally
        {
            _clients.TryRemove(id, out _);
            _post(new CibClientGone(id));
        }
    }

    /// <summary>Answers a call; a client that has gone is skipped.</summary>
    public async ValueTask RespondAsync(long clientId, long callId, CibReply reply)
    {
        if (!_clients.TryGetValue(clientId, out var client)) return;
        var frame = CibWire.Encode(new CibWireReply(callId, reply.Code, reply.Output is null ? null : CibXmlText.Format(reply.Output),
            reply.Error, reply.Details.Count > 0 ? reply.Details : null, reply.Version));
        await client.SendAsync(frame).ConfigureAwait(false);
    }

    public async ValueTask NotifyAsync(CibVersion version)
    {
        var frame = CibWire.Encode(new CibWireReply(CibWire.Notification, CibResultCode.Ok, null, null, null, version.ToString()));
        foreach (var client in _clients.Values) await client.SendAsync(frame).ConfigureAwait(false);
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
