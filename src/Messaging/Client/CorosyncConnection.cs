using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Cluster.Common.Paths;
using Cluster.Messaging.Ipc;

namespace Cluster.Messaging.Client;

/// <summary>
/// One connection to the local corosync daemon: typed requests (<see cref="IpcRequest"/>) and
/// their replies matched by sequence number, and callbacks (<see cref="IpcCallback"/>: CPG
/// deliveries, quorum and cmap track events) on <see cref="Events"/>. When the
/// daemon goes away every pending and later request fails with <see cref="CorosyncUnavailableException"/>.
/// </summary>
public sealed class CorosyncConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<IpcReply>> _pending = new();
    private readonly Channel<IpcCallback> _events = Channel.CreateUnbounded<IpcCallback>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _seq;
    private volatile bool _closed;

    private CorosyncConnection(Socket socket, string path)
    {
        _socket = socket;
        SocketPath = path;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = Task.Run(ReadLoopAsync);
    }

    public string SocketPath { get; }

    public ChannelReader<IpcCallback> Events => _events.Reader;

    /// <summary>Completes when the connection ends.</summary>
    public Task Completion => _reader;

    public static string DefaultSocketPath(HaPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return Path.Combine(paths.CorosyncRun, IpcFraming.SocketName);
    }

    public static async Task<CorosyncConnection> ConnectAsync(string socketPath, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var reason = !File.Exists(socketPath) ? "no such socket"
                : e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable ? "nothing is listening"
                : e.Message;
            throw new CorosyncUnavailableException($"corosync is not running: cannot connect to {socketPath} ({reason})", e);
        }
        return new CorosyncConnection(socket, socketPath);
    }

    /// <summary>Sends a request and waits for its (status) reply; throws <see cref="CorosyncRequestException"/> on an error reply.</summary>
    public Task<IpcReply> RequestAsync(IpcRequest request, CancellationToken cancellationToken = default) =>
        RequestAsync<IpcReply>(request, cancellationToken);

    /// <summary>
    /// Sends a request and waits for its reply of type <typeparamref name="TReply"/>; throws
    /// <see cref="CorosyncRequestException"/> on an error reply or a reply of another type.
    /// </summary>
    public async Task<TReply> RequestAsync<TReply>(IpcRequest request, CancellationToken cancellationToken = default) where TReply : IpcReply
    {
        ArgumentNullException.ThrowIfNull(request);
        var seq = Interlocked.Increment(ref _seq);
        var tcs = new TaskCompletionSource<IpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[seq] = tcs;
        if (_closed)
            Fail(tcs);
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(IpcFraming.Encode(request with { Seq = seq }), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(seq, out _);
            throw Lost(e);
        }
        using var registration = cancellationToken.Register(() => tcs.TrySetCanceled(cancellationToken));
        var reply = await tcs.Task.ConfigureAwait(false);
        if (reply.Error != IpcReply.Ok)
            throw new CorosyncRequestException(IpcOps.NameOf(request), reply.Error, reply.Detail);
        return reply as TReply
            ?? throw new CorosyncRequestException(IpcOps.NameOf(request), "CS_ERR_LIBRARY", $"the daemon answered with {IpcOps.NameOf(reply)}");
    }

    private CorosyncUnavailableException Lost(Exception? inner = null) =>
        new($"lost the connection to corosync at {SocketPath}", inner);

    private void Fail(TaskCompletionSource<IpcReply> tcs) => tcs.TrySetException(Lost());

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var message = await IpcFraming.ReadDaemonMessageAsync(_stream, _stop.Token).ConfigureAwait(false);
                if (message is null)
                    break;
                switch (message)
                {
                    case IpcReply reply:
                        if (_pending.TryRemove(reply.Seq, out var tcs))
                            tcs.TrySetResult(reply);
                        break;
                    case IpcCallback callback:
                        _events.Writer.TryWrite(callback);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _closed = true;
        foreach (var key in _pending.Keys)
            if (_pending.TryRemove(key, out var tcs))
                Fail(tcs);
        _events.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
        await _reader.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
        _stop.Dispose();
    }
}
