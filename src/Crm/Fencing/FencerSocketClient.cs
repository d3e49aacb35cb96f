using System.Net.Sockets;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Fencing;

/// <summary>The fencer could not be reached or broke off; <see cref="Reason"/> is what stonith_admin prints.</summary>
public sealed class FencerConnectionException(string reason) : Exception(reason)
{
    public string Reason { get; } = reason;
}

/// <summary>A client of the local fencer's socket: one request, one answer, bounded in time.</summary>
public static class FencerSocketClient
{
    public static async Task<FencerWireReply> CallAsync(string socketPath, FencerWireRequest request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // What 2.1.5's stonith_admin says when no fencer listens.
            throw new FencerConnectionException(e.SocketErrorCode == SocketError.AccessDenied ? "Permission denied" : "Transport endpoint is not connected");
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await stream.WriteAsync(FencerWire.Encode(request), cts.Token).ConfigureAwait(false);
            while (true)
            {
                var body = await CibWire.ReadFrameAsync(stream, cts.Token).ConfigureAwait(false)
                    ?? throw new FencerConnectionException("Transport endpoint is not connected");
                var reply = FencerWire.DecodeReply(body) ?? throw new FencerConnectionException("Protocol error");
                if (reply.CallId == 0 && reply.Error == FencerWire.PermissionDenied)
                    throw new FencerConnectionException("Permission denied");
                if (reply.CallId == request.CallId)
                    return reply;
            }
        }
        catch (OperationCanceledException)
        {
            throw new FencerConnectionException("Timer expired");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException)
        {
            throw new FencerConnectionException("Transport endpoint is not connected");
        }
    }
}
