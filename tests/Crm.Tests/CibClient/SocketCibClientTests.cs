using System.Net.Sockets;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.Tests.CibClient;

/// <summary>
/// The live CIB client against a scripted manager on a private Unix socket: replies found among
/// notifications and stale replies, time-outs, and notifications once someone listens.
/// </summary>
public sealed class SocketCibClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cibclient-").FullName;
    private readonly Socket _listener;
    private readonly string _path;

    public SocketCibClientTests()
    {
        _path = Path.Combine(_dir, "cib.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen(1);
    }

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static CibWireReply Reply(long callId, string? version = null) =>
        new(callId, CibResultCode.Ok, null, null, null, version);

    /// <summary>Accepts one client, greets it, and answers each request with what <paramref name="answer"/> gives.</summary>
    private Task Serve(Func<CibWireRequest, IEnumerable<CibWireReply>> answer) => Task.Run(() =>
    {
        using var peer = _listener.Accept();
        using var stream = new NetworkStream(peer);
        stream.Write(CibWire.Encode(Reply(0)));
        while (CibWire.ReadFrame(stream) is { } body && CibWire.DecodeRequest(body) is { } request)
            foreach (var reply in answer(request))
                stream.Write(CibWire.Encode(reply));
    });

    [Fact]
    public async Task A_call_skips_notifications_and_stale_replies_and_returns_its_own_reply()
    {
        var server = Serve(r => [Reply(CibWire.Notification, "0.5.1"), Reply(r.CallId + 100), Reply(r.CallId, $"0.5.{r.CallId}")]);
        using (var client = SocketCibClient.Connect(_path, "test"))
        {
            Assert.Equal("0.5.1", client.Execute(new CibRequest(CibCommand.Query)).Version);
            Assert.Equal("0.5.2", client.Execute(new CibRequest(CibCommand.Query)).Version);
        }
        await server.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_call_without_an_answer_times_out_and_the_connection_is_not_used_again()
    {
        var server = Serve(_ => []);
        using (var client = SocketCibClient.Connect(_path, "test", TimeSpan.FromMilliseconds(300)))
        {
            Assert.Equal(CibResultCode.Timeout, client.Execute(new CibRequest(CibCommand.Query)).Code);
            Assert.Equal(CibResultCode.NotConnected, client.Execute(new CibRequest(CibCommand.Query)).Code);
        }
        await server.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_subscriber_gets_the_changes_and_calls_still_get_their_replies()
    {
        var server = Serve(r => [Reply(CibWire.Notification, "0.7.3"), Reply(r.CallId, "0.7.3")]);
        using (var client = SocketCibClient.Connect(_path, "test"))
        {
            var seen = new TaskCompletionSource<string>();
            client.Changed += change => seen.TrySetResult(change.Version);
            Assert.Equal(CibResultCode.Ok, client.Execute(new CibRequest(CibCommand.Query)).Code);
            Assert.Equal("0.7.3", await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        await server.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
