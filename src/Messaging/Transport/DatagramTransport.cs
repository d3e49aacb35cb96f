using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>
/// What the UDP transports share: the <see cref="FrameGuard"/> on both paths, counting, the
/// receive threads and the send helper that wraps a frame once and sends the same bytes to
/// every target.
/// </summary>
public abstract class DatagramTransport : ITransport
{
    private readonly List<UdpReceiveLoop> _loops = [];
    private FrameReceivedHandler? _onFrame;
    private int _disposed;

    protected DatagramTransport(TransportOptions options, ILogger logger, ulong cryptoEpoch)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Logger = logger;
        Guard = new FrameGuard(options, Counters, cryptoEpoch, logger);
    }

    protected TransportOptions Options { get; }

    protected ILogger Logger { get; }

    protected FrameGuard Guard { get; }

    public NodeId LocalNode => Options.LocalNode;

    public PacketCounters Counters { get; } = new();

    public abstract IReadOnlyList<LinkStatus> Links { get; }

    public Action<NodeId, bool>? PeerReachabilityChanged { get; set; }

    public void Start(FrameReceivedHandler onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        if (_onFrame is not null) throw new InvalidOperationException("the transport is already started");
        _onFrame = onFrame;
        OpenSockets();
        foreach (var loop in _loops) loop.Start();
    }

    /// <summary>Creates and binds the sockets and registers their receive loops with <see cref="AddReceiver"/>.</summary>
    protected abstract void OpenSockets();

    public abstract void SendTo(NodeId target, ReadOnlySpan<byte> frame);

    public abstract void Broadcast(ReadOnlySpan<byte> frame);

    protected void AddReceiver(Socket socket, string name, Action<IPEndPoint, ReadOnlySpan<byte>> onDatagram) =>
        _loops.Add(new UdpReceiveLoop(socket, name, Options.MaxDatagramSize + 1, onDatagram, Logger));

    protected static Socket NewUdpSocket(AddressFamily family)
    {
        var socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        // Bursts of a token rotation must not overflow the default (small) kernel buffers.
        socket.ReceiveBufferSize = 4 << 20;
        socket.SendBufferSize = 4 << 20;
        return socket;
    }

    protected static void Bind(Socket socket, IPEndPoint local, string what)
    {
        try
        {
            socket.Bind(local);
        }
        catch (SocketException e)
        {
            throw new TransportException($"cannot bind the {what} socket to {local}: {e.Message}", e);
        }
    }

    /// <summary>Standard path for a datagram: guard, count, hand over.</summary>
    protected void Accept(IPEndPoint source, ReadOnlySpan<byte> datagram)
    {
        if (!Guard.TryAccept(source.Address, datagram, out var sender, out var frame)) return;
        Deliver(sender, frame);
    }

    protected void Deliver(NodeId sender, ReadOnlyMemory<byte> frame)
    {
        Counters.CountAccepted();
        _onFrame!(sender, frame);
    }

    /// <summary>Wraps <paramref name="frame"/> once (so a broadcast uses one envelope counter) and sends it to each target.</summary>
    protected void SendProtected(Socket socket, ReadOnlySpan<byte> frame, ReadOnlySpan<SocketAddress> targets)
    {
        var length = Guard.WireLength(frame.Length);
        if (length > Options.MaxDatagramSize)
            throw new ArgumentException($"a {frame.Length}-byte frame exceeds the datagram limit of {Options.MaxDatagramSize} bytes", nameof(frame));
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Guard.Protect(frame, buffer);
            foreach (var target in targets)
                SendRaw(socket, buffer.AsSpan(0, written), target);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected void SendRaw(Socket socket, ReadOnlySpan<byte> datagram, SocketAddress target)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, target);
            Counters.CountSent();
        }
        catch (SocketException e)
        {
            // UDP is lossy by design and Totem retransmits: count, log, carry on.
            Counters.CountSendError();
            Logger.LogDebug("send to {Target} failed: {Error}", target, e.SocketErrorCode);
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed) != 0)
        {
            // Shutting down: a late send from the protocol loop has nowhere to go.
        }
    }

    public virtual ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return ValueTask.CompletedTask;
        foreach (var loop in _loops) loop.Dispose();
        DisposeSockets();
        Guard.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes sockets that have no receive loop (the loops close their own).</summary>
    protected virtual void DisposeSockets()
    {
    }
}
