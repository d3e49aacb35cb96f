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

    /// <summary>Answers every request with its key echoed as a cmap value, like a minimal daemon loop.</summary>
    private static async Task Echo(IpcServer server, int count)
    {
        for (int i = 0; i < count; i++)
        {
            var r = await Next(server);
            if (r.Request is CmapGetRequest get)
                server.Send(r.Client, new CmapValueReply(get.Key, "str", get.Key) { Seq = get.Seq });
        }
    }

    [Fact]
    public async Task Replies_are_matched_to_concurrent_requests_by_sequence_number()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var echo = Echo(server, 20);
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.RequestAsync<CmapValueReply>(new CmapGetRequest("k" + i))));
        await echo;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => "k" + i), replies.Select(r => r.Value));
    }

    [Fact]
    public async Task The_server_sees_the_peer_credentials_of_the_connecting_process()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var request = client.RequestAsync(new CpgInitRequest());
        var inbound = await Next(server);
        Assert.Equal(Environment.ProcessId, inbound.Peer.Pid);
        Assert.Equal(PeerCredentials.EffectiveUid(), inbound.Peer.Uid);
        server.Send(inbound.Client, new StatusReply { Seq = inbound.Request!.Seq });
        await request;
    }

    [Fact]
    public async Task A_client_that_never_reads_is_disconnected_when_its_queue_is_full()
    {
        var server = Server(capacity: 4);
        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await raw.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        // Learn the client id from one request.
        await raw.SendAsync(IpcFraming.Encode(new CpgInitRequest { Seq = 1 }));
        var hello = await Next(server);
        var big = new CpgDeliverCallback("g", 1, 1, new byte[256 * 1024]);
        bool dropped = false;
        for (int i = 0; i < 10_000 && !dropped; i++)
            dropped = !server.Send(hello.Client, big);
        Assert.True(dropped);
        var gone = await Next(server);
        Assert.Equal(hello.Client, gone.Client);
        Assert.Null(gone.Request);
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
        Assert.Null(gone.Request);
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
        await Assert.ThrowsAsync<CorosyncUnavailableException>(() => client.RequestAsync(new CpgInitRequest()));
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
        var pending = client.RequestAsync(new CpgInitRequest());
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
        var pending = client.RequestAsync<CmapValueReply>(new CmapGetRequest("nope"));
        var inbound = await Next(server);
        server.Send(inbound.Client, new StatusReply { Seq = inbound.Request!.Seq, Error = "CS_ERR_NOT_EXIST" });
        var e = await Assert.ThrowsAsync<CorosyncRequestException>(() => pending);
        Assert.Equal("CS_ERR_NOT_EXIST", e.Error);
    }

    [Fact]
    public async Task Daemon_messages_round_trip_through_the_source_generated_encoding_with_their_op()
    {
        var m = new CpgConfchgCallback("crmd\0", [new CpgMemberInfo(1, 2, 3)], [], [new CpgMemberInfo(2, 3, 1)]);
        var frame = IpcFraming.Encode(m);
        Assert.Contains("\"op\":\"cpg.confchg\"", System.Text.Encoding.UTF8.GetString(frame, 4, frame.Length - 4), StringComparison.Ordinal);
        using var ms = new MemoryStream(frame);
        var back = Assert.IsType<CpgConfchgCallback>(await IpcFraming.ReadDaemonMessageAsync(ms, CancellationToken.None));
        Assert.Equal(m.Group, back.Group);
        Assert.Equal(m.Members, back.Members);
        Assert.Equal(m.Joined, back.Joined);
    }

    /// <summary>Members that may be null (a local node's remote address, a deleted key's value) survive the round trip.</summary>
    [Fact]
    public void Daemon_messages_with_null_members_round_trip()
    {
        IpcDaemonMessage[] all =
        [
            new StatusReply { Seq = 1 },
            new StatusReply { Seq = 2, Error = "CS_ERR_INVALID_PARAM", Detail = "why" },
            new CfgStatusReply(new CfgInfo(1, "udpu", [new CfgLinkInfo(0, "127.0.0.1", "", [new CfgNodeLink(1, "localhost", true, true, null)])],
                new Dictionary<string, long>(), 1410)) { Seq = 3 },
            new QuorumStatusReply(new QuorumInfo(1, "1.5", true, 1, 1, 1, 1, false, false, false, false, false, false,
                [new QuorumMemberInfo(1, 1, null, "127.0.0.1")])) { Seq = 4 },
            new CmapTrackCallback(9, "a.b", "delete", null, null),
            new CmapItemsReply([new CmapItem("a", "u32", "1")]),
            new CmapValueReply("a", "u32", "1"), new CmapTrackReply(3), new CpgInitReply(1), new CpgMembersReply([new CpgMemberInfo(1, 2, 3)]),
            new CpgGroupsReply([new CpgGroupInfo("g", [])]), new QuorumEventCallback(true, "1.5", [1, 2]), new CpgTotemCallback("1.5", [1]),
            new CpgDeliverCallback("g", 1, 2, [7]), new CpgConfchgCallback("g", [], [], []),
        ];
        foreach (var m in all)
        {
            var back = IpcFraming.DecodeDaemonMessage(IpcFraming.Encode(m)[4..]);
            Assert.Equal(m.GetType(), back.GetType());
            Assert.Equal(IpcFraming.Encode(m), IpcFraming.Encode(back)); // lists and arrays compare by reference; the encoding does not
        }
    }

    [Fact]
    public void Every_request_record_round_trips_with_its_own_op()
    {
        IpcRequest[] all =
        [
            new CmapGetRequest("a"), new CmapIterRequest("p."), new CmapSetRequest("a", "u32", "1"), new CmapDeleteRequest("a"),
            new CmapDeletePrefixRequest("p."), new CmapTrackRequest("a", true), new QuorumStatusRequest(), new QuorumTrackRequest(),
            new QuorumSetExpectedRequest(3), new QuorumSetVotesRequest(2, 1), new CpgInitRequest(), new CpgJoinRequest("g"),
            new CpgLeaveRequest("g"), new CpgMcastRequest("g", [1, 2]), new CpgMembersRequest("g"), new CpgGroupsRequest(),
            new CfgStatusRequest(), new CfgReloadRequest(), new CfgKillRequest(2), new CfgShutdownRequest(),
        ];
        Assert.Equal(IpcOps.RequestOps.Count, all.Length); // a new op needs a line here
        Assert.Equal(all.Length, all.Select(IpcOps.NameOf).Distinct().Count());
        foreach (var request in all)
        {
            var frame = IpcFraming.Encode(request with { Seq = 42 });
            var back = IpcRequestDecoder.Decode(frame[4..], out var refusal);
            Assert.Null(refusal);
            Assert.Equal(request.GetType(), back!.GetType());
            Assert.Equal(42, back.Seq);
            if (request is not CpgMcastRequest) // byte[] compares by reference
                Assert.Equal(request with { Seq = 42 }, back);
        }
    }

    /// <summary>Hostile or broken bodies: each gets an error reply that says what is wrong, with the seq when it can be read.</summary>
    [Theory]
    [InlineData("not json at all", 0, "CS_ERR_INVALID_PARAM", "not a JSON message")]
    [InlineData("[1,2,3]", 0, "CS_ERR_INVALID_PARAM", "a request is a JSON object, not array")]
    [InlineData("null", 0, "CS_ERR_INVALID_PARAM", "a request is a JSON object, not null")]
    [InlineData("{\"seq\":5,\"key\":\"a\"}", 5, "CS_ERR_INVALID_PARAM", "no \"op\" string")]
    [InlineData("{\"op\":\"cmap.frobnicate\",\"seq\":6}", 6, "CS_ERR_NOT_SUPPORTED", "unknown operation \"cmap.frobnicate\"")]
    [InlineData("{\"op\":\"reply\",\"seq\":7}", 7, "CS_ERR_NOT_SUPPORTED", "unknown operation \"reply\"")]
    [InlineData("{\"op\":\"cmap.get\",\"seq\":8}", 8, "CS_ERR_INVALID_PARAM", "bad cmap.get request")]
    [InlineData("{\"op\":\"cmap.get\",\"seq\":9,\"key\":null}", 9, "CS_ERR_INVALID_PARAM", "bad cmap.get request")]
    [InlineData("{\"op\":\"cfg.kill\",\"seq\":10,\"nodeId\":-1}", 10, "CS_ERR_INVALID_PARAM", "bad cfg.kill request")]
    [InlineData("{\"op\":\"cpg.mcast\",\"seq\":11,\"group\":\"g\",\"data\":\"%%%\"}", 11, "CS_ERR_INVALID_PARAM", "bad cpg.mcast request")]
    [InlineData("{\"op\":7,\"seq\":12}", 12, "CS_ERR_INVALID_PARAM", "no \"op\" string")]
    public void A_body_that_is_not_a_request_is_refused_with_a_reason(string json, long seq, string error, string detail)
    {
        var request = IpcRequestDecoder.Decode(System.Text.Encoding.UTF8.GetBytes(json), out var refusal);
        Assert.Null(request);
        Assert.Equal(seq, refusal!.Seq);
        Assert.Equal(error, refusal.Error);
        Assert.Contains(detail, refusal.Detail, StringComparison.Ordinal);
    }

    /// <summary>Fuzz findings: invalid UTF-8 in the op threw from the explanation (it would have ended the connection's reader).</summary>
    [Fact]
    public void An_op_that_is_not_valid_utf8_is_refused_not_thrown()
    {
        byte[] body = [.. "{\"seq\":4,\"op\":\"cmap."u8, 0xff, 0xfe, .. "\"}"u8];
        Assert.Null(IpcRequestDecoder.Decode(body, out var refusal));
        Assert.Equal((4L, "CS_ERR_INVALID_PARAM"), (refusal!.Seq, refusal.Error));
    }

    /// <summary>
    /// Fuzz finding: a reply with "Error": null (that spelling) decoded with a null status on a record
    /// built by its constructor (System.Text.Json skips the nullability check there) and failed only when used.
    /// </summary>
    [Fact]
    public void A_reply_with_a_null_status_is_invalid_data_on_the_client()
    {
        var e = Assert.Throws<InvalidDataException>(() => IpcFraming.DecodeDaemonMessage("{\"op\":\"reply.cpg.init\",\"seq\":1,\"nodeId\":1,\"Error\":null}"u8.ToArray()));
        Assert.Contains("without an error status", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_op_may_come_after_other_members()
    {
        var request = IpcRequestDecoder.Decode("{\"seq\":3,\"key\":\"a\",\"op\":\"cmap.get\"}"u8.ToArray(), out var refusal);
        Assert.Null(refusal);
        Assert.Equal(new CmapGetRequest("a") { Seq = 3 }, request);
    }

    /// <summary>The server answers a bad request itself and goes on reading that connection; the loop never sees it.</summary>
    [Fact]
    public async Task A_bad_request_gets_an_error_reply_and_the_connection_keeps_serving()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await raw.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        await using var rawStream = new NetworkStream(raw, ownsSocket: false);
        await rawStream.WriteAsync(IpcFraming.Frame("{\"op\":\"cmap.nope\",\"seq\":77}"u8));
        await rawStream.WriteAsync(IpcFraming.Frame("{{{"u8));
        await rawStream.WriteAsync(IpcFraming.Encode(new CmapGetRequest("after") { Seq = 78 }));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = Assert.IsType<StatusReply>(await IpcFraming.ReadDaemonMessageAsync(rawStream, cts.Token));
        Assert.Equal((77L, "CS_ERR_NOT_SUPPORTED"), (first.Seq, first.Error));
        var second = Assert.IsType<StatusReply>(await IpcFraming.ReadDaemonMessageAsync(rawStream, cts.Token));
        Assert.Equal((0L, "CS_ERR_INVALID_PARAM"), (second.Seq, second.Error));
        // The good request behind them still reaches the loop, and is the first thing that does.
        var inbound = await Next(server);
        Assert.Equal(new CmapGetRequest("after") { Seq = 78 }, inbound.Request);
        server.Send(inbound.Client, new CmapValueReply("after", "str", "x") { Seq = 78 });
        var third = Assert.IsType<CmapValueReply>(await IpcFraming.ReadDaemonMessageAsync(rawStream, cts.Token));
        Assert.Equal("x", third.Value);
        Assert.Equal(2, server.BadRequests);
        // Another client was never disturbed.
        var echo = Echo(server, 1);
        Assert.Equal("k", (await client.RequestAsync<CmapValueReply>(new CmapGetRequest("k"))).Value);
        await echo;
    }

    [Fact]
    public async Task An_error_reply_to_a_bad_request_surfaces_its_reason_in_the_client_exception()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var pending = client.RequestAsync(new CpgJoinRequest("g"));
        var inbound = await Next(server);
        server.Send(inbound.Client, new StatusReply { Seq = inbound.Request!.Seq, Error = "CS_ERR_INVALID_PARAM", Detail = "bad cpg.join request: x" });
        var e = await Assert.ThrowsAsync<CorosyncRequestException>(() => pending);
        Assert.Equal("cpg.join failed: CS_ERR_INVALID_PARAM (bad cpg.join request: x)", e.Message);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_fails_the_request_clearly()
    {
        var server = Server();
        await using var client = await CorosyncConnection.ConnectAsync(SocketPath);
        var pending = client.RequestAsync<QuorumStatusReply>(new QuorumStatusRequest());
        var inbound = await Next(server);
        server.Send(inbound.Client, new StatusReply { Seq = inbound.Request!.Seq });
        var e = await Assert.ThrowsAsync<CorosyncRequestException>(() => pending);
        Assert.Equal("CS_ERR_LIBRARY", e.Error);
        Assert.Contains("answered with reply", e.Message, StringComparison.Ordinal);
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
        await first.RequestAsync<CmapValueReply>(new CmapGetRequest("x"));
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
        var pending = IpcFraming.ReadFrameAsync(stream, cts.Token);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(pending.IsCompleted);
        Assert.True(allocated < IpcFraming.MaxFrame / 8, $"{allocated} bytes allocated for a frame with no data yet");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }
}
