using System.Collections.Concurrent;
using System.Net.Sockets;
using Cluster.Common.Paths;
using Cluster.Crm.Cib;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The CIB client for the live CIB manager (pacemakerd) over its local socket
/// (HA_ROOT/run/pacemaker/cib.sock). The manager checks the peer's credentials: only root and
/// members of group haclient get in ("Permission denied" otherwise).
/// <para>
/// A call blocks on the socket in the caller's thread and reads until its reply, as a one-shot
/// tool wants (no I/O threads to start: that was most of a short command's time). Whoever
/// subscribes to <see cref="Changed"/> switches the client to a reader thread, which then
/// raises the change notifications and hands each call its reply.
/// </para>
/// </summary>
public sealed class SocketCibClient : ICibClient
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly string _clientName;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<CibWireReply>> _calls = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    // Held by a blocking call for its whole exchange, and to start the reader between calls.
    private readonly object _exchange = new();
    private Task? _reader;
    private bool _broken;
    private long _nextCall;
    private Action<CibChange>? _changed;

    /// <summary>The CIB changed (raised on the reader thread, which the first subscriber starts).</summary>
    public event Action<CibChange>? Changed
    {
        add
        {
            lock (_exchange)
            {
                _changed += value;
                _reader ??= Task.Run(ReadLoopAsync);
            }
        }
        remove
        {
            lock (_exchange)
                _changed -= value;
        }
    }

    /// <summary>How long a call may take before it fails with Timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    private SocketCibClient(Socket socket, string clientName)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _clientName = clientName;
    }

    public static ICibClient Connect(HaPaths paths, string clientName) => Connect(CibWire.SocketPath(paths), clientName);

    public static ICibClient Connect(string socketPath, string clientName) => Connect(socketPath, clientName, null);

    /// <summary>Connects with a call time-out other than the default 30 s.</summary>
    public static ICibClient Connect(string socketPath, string clientName, TimeSpan? timeout)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            socket.Dispose();
            throw new CibConnectionException(CibResultCode.NotConnected, CibErrors.NotConnected);
        }
        // The manager greets first: Ok, or Permission denied for a user outside root/haclient.
        using var stream = new NetworkStream(socket, ownsSocket: false);
        CibWireReply? hello = null;
        try
        {
            socket.ReceiveTimeout = 10_000;
            var body = CibWire.ReadFrame(stream);
            hello = body is null ? null : CibWire.DecodeReply(body);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException)
        {
        }
        if (hello is null || hello.Code != CibResultCode.Ok)
        {
            socket.Dispose();
            throw hello is null
                ? new CibConnectionException(CibResultCode.NotConnected, CibErrors.NotConnected)
                : new CibConnectionException(hello.Code, hello.Error ?? CibErrors.Text(hello.Code));
        }
        return timeout is { } t ? new SocketCibClient(socket, clientName) { Timeout = t } : new SocketCibClient(socket, clientName);
    }

    public CibReply Execute(CibRequest request)
    {
        lock (_exchange)
        {
            if (_reader is null)
                return ExecuteBlocking(request);
        }
        return ExecuteThroughReader(request);
    }

    private byte[] Frame(long id, CibRequest request) =>
        CibWire.Encode(new CibWireRequest(id, request.Command, request.Scope, request.XPath,
            request.Data is null ? null : CibXmlText.FormatCompact(request.Data), request.Options, _clientName));

    private static CibReply ToReply(CibWireReply r) =>
        new(r.Code, r.Output is null ? null : CibXmlText.Parse(r.Output), r.Error)
        {
            Details = r.Details ?? [],
            Version = r.Version,
        };

    /// <summary>Sends the request and reads, in this thread, until its reply (the lock is held).</summary>
    private CibReply ExecuteBlocking(CibRequest request)
    {
        if (_broken)
            return CibErrors.Reply(CibResultCode.NotConnected);
        var id = ++_nextCall;
        try
        {
            _socket.ReceiveTimeout = (int)Math.Min(int.MaxValue, Timeout.TotalMilliseconds);
            _stream.Write(Frame(id, request));
            while (true)
            {
                if (CibWire.ReadFrame(_stream) is not { } body || CibWire.DecodeReply(body) is not { } reply)
                {
                    _broken = true;
                    return CibErrors.Reply(CibResultCode.NotConnected);
                }
                if (reply.CallId == id)
                    return ToReply(reply);
                // A notification or a stale reply: nobody listens to changes yet.
            }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
        {
            _broken = true; // the reply may still come, mid-frame for the next call
            return CibErrors.Reply(CibResultCode.Timeout);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            _broken = true;
            return CibErrors.Reply(CibResultCode.NotConnected);
        }
    }

    private CibReply ExecuteThroughReader(CibRequest request)
    {
        var id = Interlocked.Increment(ref _nextCall);
        var tcs = new TaskCompletionSource<CibWireReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = tcs;
        try
        {
            var frame = Frame(id, request);
            _writeLock.Wait();
            try
            {
                _stream.Write(frame);
            }
            finally
            {
                _writeLock.Release();
            }
            if (!tcs.Task.Wait(Timeout))
                return CibErrors.Reply(CibResultCode.Timeout);
            return ToReply(tcs.Task.Result);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or AggregateException)
        {
            return CibErrors.Reply(CibResultCode.NotConnected);
        }
        finally
        {
            _calls.TryRemove(id, out _);
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            _socket.ReceiveTimeout = 0; // the reader waits for as long as the connection lives
            while (!_stop.IsCancellationRequested)
            {
                var body = await CibWire.ReadFrameAsync(_stream, _stop.Token).ConfigureAwait(false);
                if (body is null) break;
                if (CibWire.DecodeReply(body) is not { } reply) break;
                if (reply.CallId == CibWire.Notification)
                {
                    if (reply.Version is { } v) _changed?.Invoke(new CibChange(v));
                }
                else if (_calls.TryGetValue(reply.CallId, out var tcs))
                {
                    tcs.TrySetResult(reply);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        foreach (var call in _calls.Values) call.TrySetException(new IOException(CibErrors.NotConnected));
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
        try
        {
            _reader?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
        _stream.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
