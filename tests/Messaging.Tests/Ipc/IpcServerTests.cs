using System.Net.Sockets;
using Cluster.Messaging.Client;
using Cluster.Messaging.Ipc;
using Cluster.Messaging.Sync;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Messaging.Tests.Ipc;

public sealed class IpcServerTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hc-ipc").FullName;
    private IpcServer? _server;

    private string SocketPath => Path.Combine(_dir, "run", IpcFraming.SocketName);

    private IpcServer Server(int capacity = 4096, IpcAccessPolicy? policy = null, int maxConnections = IpcServer.DefaultMaxConnections,
        Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _server = new IpcServer(SocketPath, policy ?? new IpcAccessPolicy(PeerCredentials.EffectiveUid(), new HashSet<uint>(), new HashSet<uint>()),
            logger ?? NullLogger.Instance, capacity, maxConnections);
        _server.Start();
        return _server;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<IpcInbound> Next(IpcServer server)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await server.Inbound.ReadAsync(cts.Token);
    }

    /// <summary>Answers every request with its op echoed in Value, like a minimal daemon loop.</summary>
    private static async Task Echo(IpcServer server, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var r = await Next(server);
            if (r.Message is { } m)
                server.Send(r.Client, new IpcMessage { Op = "reply", Seq = m.Seq, Error = "CS_OK", Value = m.Op });
        }
    }

    [Fact]
    public async Task Replies_are_matched_to_concurrent_requests_by_sequence_number()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var echo = Echo(server, 20);
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.RequestAsync(new IpcMessage { Op = "op" + i })));
        await echo;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "op" + i), replies.Select(r => r.Value));
    }

    [Fact]
    public async Task The_server_sees_the_peer_credentials_of_the_connecting_process()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var request = client.RequestAsync(new IpcMessage { Op = "x" });
        var inbound = await Next(server);
        Assert.Equal(Environment.ProcessId, inbound.Peer.Pid);
        Assert.Equal(PeerCredentials.EffectiveUid(), inbound.Peer.Uid);
        server.Send(inbound.Client, new IpcMessage { Op = "reply", Seq = inbound.Message!.Seq });
        await request;
    }

    [Fact]
    public async Task A_client_that_never_reads_is_disconnected_when_its_queue_is_full()
    {
        var server = Server(capacity: 4);
        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await raw.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        // Learn the client id from one request.
        await raw.SendAsync(IpcFraming.Encode(new IpcMessage { Op = "hello", Seq = 1 }));
        var hello = await Next(server);
        var big = new IpcMessage { Op = "cpg.deliver", Data = new byte[256 * 1024] };
        bool dropped = false;
        for (int i = 0; i < 10_000 && !dropped; i++)
            dropped = !server.Send(hello.Client, big);
        Assert.True(dropped);
        var gone = await Next(server);
        Assert.Equal(hello.Client, gone.Client);
        Assert.Null(gone.Message);
        Assert.Equal(1, server.SlowDisconnects);
    }

    [Fact]
    public async Task A_frame_over_the_limit_disconnects_the_client()
    {
        var server = Server();
        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await raw.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await raw.SendAsync(BitConverter.GetBytes(IpcFraming.MaxFrame + 1));
        var gone = await Next(server);
        Assert.Null(gone.Message);
    }

    [Fact]
    public async Task A_peer_the_policy_does_not_allow_is_refused()
    {
        var me = PeerCredentials.EffectiveUid();
        if (me == 0)
        {
            // Root is always allowed; check the policy itself instead.
            var policy = new IpcAccessPolicy(5000, new HashSet<uint> { 7 }, new HashSet<uint> { 9 });
            Assert.True(policy.Allows(new PeerCredentials(1, 0, 0)));
            Assert.True(policy.Allows(new PeerCredentials(1, 7, 100)));
            Assert.True(policy.Allows(new PeerCredentials(1, 100, 9)));
            Assert.True(policy.Allows(new PeerCredentials(1, 5000, 100)));
            Assert.False(policy.Allows(new PeerCredentials(1, 100, 100)));
            return;
        }
        var server = Server(policy: new IpcAccessPolicy(me + 1, new HashSet<uint>(), new HashSet<uint>()));
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        await Assert.ThrowsAsync<CorosyncUnavailableException>(() => client.RequestAsync(new IpcMessage { Op = "x" }));
        Assert.Equal(1, server.Refused);
    }

    [Fact]
    public async Task Connecting_without_a_daemon_says_corosync_is_not_running_and_names_the_socket()
    {
        var e = await Assert.ThrowsAsync<CorosyncUnavailableException>(() => CorosyncConnection.ConnectAsync(SocketPath));
        Assert.Equal($"corosync is not running: cannot connect to {SocketPath} (no such socket)", e.Message);
    }

    [Fact]
    public async Task Pending_requests_fail_clearly_when_the_daemon_goes_away()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var pending = client.RequestAsync(new IpcMessage { Op = "x" });
        var inbound = await Next(server);
        server.Disconnect(inbound.Client);
        var e = await Assert.ThrowsAsync<CorosyncUnavailableException>(() => pending);
        Assert.StartsWith("lost the connection to corosync at ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_replies_surface_as_request_exceptions_with_the_cs_error_name()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var pending = client.RequestAsync(new IpcMessage { Op = "cmap.get", Key = "nope" });
        var inbound = await Next(server);
        server.Send(inbound.Client, new IpcMessage { Op = "reply", Seq = inbound.Message!.Seq, Error = "CS_ERR_NOT_EXIST" });
        var e = await Assert.ThrowsAsync<CorosyncRequestException>(() => pending);
        Assert.Equal("CS_ERR_NOT_EXIST", e.Error);
    }

    [Fact]
    public async Task Messages_round_trip_through_the_source_generated_encoding()
    {
        var m = new IpcMessage { Op = "cpg.deliver", Seq = 5, Group = "crmd\0", Pid = 7, NodeId = 2, Data = [0, 1, 255], Members = [new CpgMemberInfo(1, 2, 3)] };
        var frame = IpcFraming.Encode(m);
        using var ms = new MemoryStream(frame);
        var back = (await IpcFraming.ReadAsync(ms, CancellationToken.None))!;
        Assert.Equal(m.Group, back.Group);
        Assert.Equal(m.Data, back.Data);
        Assert.Equal(m.Members, back.Members);
        Assert.Equal(new ClientId(3), new ClientId(3));
    }

    /// <summary>
    /// Issue 17 weaknesses: no connection cap, and one warning line per refused connection (an
    /// unprivileged user filled the disk at 6 MB/s). Refusals are now summarised, one line per 10 s.
    /// </summary>
    [Fact]
    public async Task Connections_over_the_cap_are_refused_with_one_rate_limited_line()
    {
        var logger = new Transport.ListLogger();
        var server = Server(maxConnections: 1, logger: logger);
        await using var first = await CorosyncConnection.ConnectAsync(SocketPath);
        var echo = Echo(server, 1);
        await first.RequestAsync(new IpcMessage { Op = "x" });
        await echo;
        for (int i = 0; i < 50; i++)
        {
            using var extra = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await extra.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
            // The server closes a refused socket: the read ends (0 bytes or a reset).
            var buffer = new byte[1];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { Assert.Equal(0, await extra.ReceiveAsync(buffer, SocketFlags.None, cts.Token)); }
            catch (SocketException) { }
        }
        Assert.Equal(50, server.Refused);
        Assert.Equal(1, server.ConnectionCount);
        var line = Assert.Single(logger.Lines, l => l.Message.StartsWith("IPC: refusing", StringComparison.Ordinal));
        Assert.Contains("1 connections already open", line.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that yields one header and then never completes a read (a client that declares and stalls).</summary>
    private sealed class StallingStream(byte[] header) : Stream
    {
        private int _sent;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_sent < header.Length)
            {
                int n = Math.Min(buffer.Length, header.Length - _sent);
                header.AsSpan(_sent, n).CopyTo(buffer.Span);
                _sent += n;
                return ValueTask.FromResult(n);
            }
            return new ValueTask<int>(StallAsync(cancellationToken));
        }

        private static async Task<int> StallAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }

    /// <summary>Issue 17 weakness: the frame buffer was allocated at the declared length before any data arrived.</summary>
    [Fact]
    public async Task A_declared_frame_length_is_not_allocated_before_its_data_arrives()
    {
        using var cts = new CancellationTokenSource();
        var stream = new StallingStream(BitConverter.GetBytes(IpcFraming.MaxFrame));
        long before = GC.GetAllocatedBytesForCurrentThread();
        // Runs synchronously up to the stalled read: everything allocated so far is on this thread.
        var pending = IpcFraming.ReadAsync(stream, cts.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(pending.IsCompleted);
        Assert.True(allocated < IpcFraming.MaxFrame / 8, $"{allocated} bytes allocated for a frame with no data yet");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }
}
