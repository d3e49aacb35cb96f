using System.Net.Sockets;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Attributes;

/// <summary>attrd could not be reached or broke off; <see cref="Reason"/> is what Pacemaker's tools print ("Connection refused").</summary>
public sealed class AttributeConnectionException(string reason, int errno) : Exception(reason)
{
    public string Reason { get; } = reason;

    /// <summary>The errno Pacemaker's tools print after the reason: "Connection refused (111)".</summary>
    public int Errno { get; } = errno;
}

/// <summary>A client of the local attrd's socket: one request, one answer, bounded in time.</summary>
public static class AttributeSocketClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task<AttributeWireReply> CallAsync(string socketPath, AttributeWireRequest request, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cts.Token).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // A missing socket is attrd not running: what the real tools say then.
            throw new AttributeConnectionException(e.SocketErrorCode == SocketError.AccessDenied ? "Permission denied" : "Connection refused", e.SocketErrorCode == SocketError.AccessDenied ? 13 : 111);
        }
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            await stream.WriteAsync(AttributeClientWire.Encode(request), cts.Token).ConfigureAwait(false);
            while (true)
            {
                var body = await CibWire.ReadFrameAsync(stream, cts.Token).ConfigureAwait(false)
                    ?? throw new AttributeConnectionException("Connection reset by peer", 104);
                var reply = AttributeClientWire.DecodeReply(body) ?? throw new AttributeConnectionException("Protocol error", 71);
                if (reply.CallId == 0 && reply.Error == AttributeClientWire.PermissionDenied)
                    throw new AttributeConnectionException("Permission denied", 13);
                if (reply.CallId == request.CallId)
                    return reply;
            }
        }
        catch (OperationCanceledException)
        {
            throw new AttributeConnectionException("Timer expired", 62);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or SocketException)
        {
            throw new AttributeConnectionException("Connection reset by peer", 104);
        }
    }
}
