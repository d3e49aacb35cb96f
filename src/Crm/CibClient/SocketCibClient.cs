using System.Collections.Concurrent;
using System.Net.Sockets;
using Cluster.Common.Paths;
using Cluster.Crm.Cib;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The CIB client for the live CIB manager (pacemakerd) over its local socket
/// (HA_ROOT/run/pacemaker/cib.sock). The manager checks the peer's credentials: only root and
/// members of group haclient get in ("Permission denied" otherwise). Change notifications
/// arrive on <see cref="Changed"/> (raised on the client's reader thread).
/// </summary>
public sealed class SocketCibClient : ICibClient
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly string _clientName;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<CibWireReply>> _calls = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _nextCall;

    public event Action<CibChange>? Changed;

    /// <summary>How long a call may take before it fails with Timeout.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    private SocketCibClient(Socket socket, string clientName)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _clientName = clientName;
        _reader = Task.Run(ReadLoopAsync);
    }

    public static ICibClient Connect(HaPaths paths, string clientName) => Connect(CibWire.SocketPath(paths), clientName);

    public static ICibClient Connect(string socketPath, string clientName)
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
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var body = CibWire.ReadFrameAsync(stream, cts.Token).GetAwaiter().GetResult();
            hello = body is null ? null : CibWire.DecodeReply(body);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException or SocketException)
        {
        }
        if (hello is null || hello.Code != CibResultCode.Ok)
        {
            socket.Dispose();
            throw hello is null
                ? new CibConnectionException(CibResultCode.NotConnected, CibErrors.NotConnected)
                : new CibConnectionException(hello.Code, hello.Error ?? CibErrors.Text(hello.Code));
        }
        return new SocketCibClient(socket, clientName);
    }

    public CibReply Execute(CibRequest request)
    {
        var id = Interlocked.Increment(ref _nextCall);
        var tcs = new TaskCompletionSource<CibWireReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _calls[id] = tcs;
        try
        {
            var frame = CibWire.Encode(new CibWireRequest(id, request.Command, request.Scope, request.XPath,
                request.Data is null ? null : CibXmlText.FormatCompact(request.Data), request.Options, _clientName));
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
            var r = tcs.Task.Result;
            return new CibReply(r.Code, r.Output is null ? null : CibXmlText.Parse(r.Output), r.Error)
            {
                Details = r.Details ?? [],
                Version = r.Version,
            };
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
            while (!_stop.IsCancellationRequested)
            {
                var body = await CibWire.ReadFrameAsync(_stream, _stop.Token).ConfigureAwait(false);
                if (body is null) break;
                if (CibWire.DecodeReply(body) is not { } reply) break;
                if (reply.CallId == CibWire.Notification)
                {
                    if (reply.Version is { } v) Changed?.Invoke(new CibChange(v));
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
            _reader.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }
        _stream.Dispose();
        _stop.Dispose();
        _writeLock.Dispose();
    }
}
