using System.Net;
using System.Net.Sockets;
using Cluster.EndToEnd.Tests.Harness;
using Cluster.Messaging.Client;
using Cluster.Messaging.Ipc;
using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public class SecurityAndErrorTests
{
    [Fact]
    public async Task A_node_with_the_wrong_authkey_never_joins_and_garbage_on_the_port_is_counted_and_ignored()
    {
        await using var c = new LocalCluster(new ClusterSpec { Crypto = true });
        c.Configure();
        c.WriteAuthKey(3, System.Security.Cryptography.RandomNumberGenerator.GetBytes(256));
        c.StartAll();
        await c.WaitForQuorumAsync(1, 2, true);
        await c.WaitForQuorumAsync(3, 1, false);

        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0)))
        {
            var junk = new byte[200];
            for (int i = 0; i < 20; i++)
            {
                Random.Shared.NextBytes(junk);
                await udp.SendAsync(junk, new IPEndPoint(IPAddress.Parse("127.0.0.1"), c.UdpPort));
            }
        }
        await Task.Delay(500);
        var counters = await c.RunAsync(1, "corosync-cmapctl", "runtime.totem.dropped.");
        var failed = counters.Out.Split('\n').Where(l => l.Length > 0).Select(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Sum();
        Assert.True(failed >= 20, counters.Out);
        var state = await c.QuorumStateAsync(1);
        Assert.Equal((2, true), state);
        Assert.Equal((1, false), await c.QuorumStateAsync(3));
    }

    [Fact]
    public async Task Without_crypto_garbage_from_a_member_address_is_counted_as_malformed_and_ignored()
    {
        // Without crypto nothing authenticates a datagram: a member's own address passes the
        // source check, so the Totem frame check is the only line of defence.
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 1 });
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 1, true);

        using (var udp = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 0)))
        {
            var junk = new byte[200];
            var random = new Random(7);
            for (int i = 0; i < 20; i++)
            {
                random.NextBytes(junk);
                await udp.SendAsync(junk, new IPEndPoint(IPAddress.Parse("127.0.0.1"), c.UdpPort));
            }
        }
        ToolResult counter = default!;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            counter = await c.RunAsync(1, "corosync-cmapctl", "-g", "runtime.totem.dropped.malformed");
            if (counter.Out.EndsWith("= 20\n", StringComparison.Ordinal)) break;
            await Task.Delay(200);
        }
        Assert.Equal("runtime.totem.dropped.malformed (u64) = 20\n", counter.Out);
        Assert.Equal((1, true), await c.QuorumStateAsync(1));
    }

    /// <summary>
    /// Issue 17: a CPG client could join under any pid (the request's field was trusted), and
    /// corosync-cmapctl -D "" deleted nodelist.* and runtime.* (no read-only keys).
    /// </summary>
    [Fact]
    public async Task Cpg_members_carry_the_kernel_pid_and_cmapctl_D_cannot_delete_read_only_keys()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 1 });
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 1, true);

        using (var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // Requests carry no pid any more; one that adds a pid member (as the old protocol
            // trusted) must still join under the kernel's pid, the extra member ignored.
            await raw.ConnectAsync(new UnixDomainSocketEndPoint(c.SocketPath(1)));
            await using var rawStream = new NetworkStream(raw, ownsSocket: false);
            await rawStream.WriteAsync(IpcFraming.Frame("{\"op\":\"cpg.join\",\"seq\":1,\"group\":\"spoof\",\"pid\":1}"u8));
            using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                var joined = Assert.IsType<StatusReply>(await IpcFraming.ReadDaemonMessageAsync(rawStream, cts.Token));
                Assert.Equal(IpcReply.Ok, joined.Error);
            }
            await using var watcher = await CpgClient.ConnectAsync(c.SocketPath(1));
            IReadOnlyList<CpgMemberInfo> members = [];
            for (int i = 0; i < 50 && members.Count == 0; i++)
            {
                members = await watcher.MembersAsync("spoof");
                if (members.Count == 0) await Task.Delay(100);
            }
            var member = Assert.Single(members);
            Assert.Equal((uint)Environment.ProcessId, member.Pid);
        }

        var delete = await c.RunAsync(1, "corosync-cmapctl", "-D", "");
        Assert.Contains("Can't delete key nodelist.node.0.nodeid. Error CS_ERR_ACCESS\n", delete.Err, StringComparison.Ordinal);
        Assert.Contains("Can't delete key totem.cluster_name. Error CS_ERR_ACCESS\n", delete.Err, StringComparison.Ordinal);
        var left = await c.RunAsync(1, "corosync-cmapctl");
        Assert.Contains("nodelist.node.0.nodeid (u32) = 1\n", left.Out, StringComparison.Ordinal);
        Assert.Contains("runtime.config.totem.token (u32) = ", left.Out, StringComparison.Ordinal);
        Assert.Equal((1, true), await c.QuorumStateAsync(1));
    }

    private static (int Code, string Out, string Err) Tool(string root, string name, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new ToolContext(TextReader.Null, stdout, stderr, v => v == "HA_ROOT" ? root : null);
        var code = Program.Dispatch(name, args, context).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Our JSON socket on a live daemon: garbage, an unknown op, a request missing a member and
    /// requests the services refuse each get an error reply naming the problem; the connection and
    /// the daemon go on serving (the tools still work).
    /// </summary>
    [Fact]
    public async Task Bad_json_requests_get_error_replies_and_the_daemon_keeps_serving()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 1 });
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 1, true);

        using var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await raw.ConnectAsync(new UnixDomainSocketEndPoint(c.SocketPath(1)));
        await using var stream = new NetworkStream(raw, ownsSocket: false);
        (string Body, long Seq, string Error, string Detail)[] cases =
        [
            ("\u0000\u0001 not json", 0, "CS_ERR_INVALID_PARAM", "not a JSON message"),
            ("{\"op\":\"cmap.nope\",\"seq\":2}", 2, "CS_ERR_NOT_SUPPORTED", "unknown operation \"cmap.nope\""),
            ("{\"op\":\"cmap.get\",\"seq\":3}", 3, "CS_ERR_INVALID_PARAM", "bad cmap.get request"),
            ("{\"op\":\"cmap.set\",\"seq\":4,\"key\":\"a.b\",\"type\":\"bogus\",\"value\":\"1\"}", 4, "CS_ERR_INVALID_PARAM", ""),
            ("{\"op\":\"cpg.mcast\",\"seq\":5,\"group\":\"never-joined\",\"data\":\"AA==\"}", 5, "CS_ERR_NOT_EXIST", ""),
            ("{\"op\":\"cmap.get\",\"seq\":6,\"key\":\"no.such.key\"}", 6, "CS_ERR_NOT_EXIST", ""),
        ];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        foreach (var (body, seq, error, detail) in cases)
        {
            await stream.WriteAsync(IpcFraming.Frame(System.Text.Encoding.UTF8.GetBytes(body)), cts.Token);
            var reply = Assert.IsType<StatusReply>(await IpcFraming.ReadDaemonMessageAsync(stream, cts.Token));
            Assert.Equal((seq, error), (reply.Seq, reply.Error));
            Assert.Contains(detail, reply.Detail ?? "", StringComparison.Ordinal);
        }
        await stream.WriteAsync(IpcFraming.Encode(new CmapGetRequest("totem.cluster_name") { Seq = 7 }), cts.Token);
        var name = Assert.IsType<CmapValueReply>(await IpcFraming.ReadDaemonMessageAsync(stream, cts.Token));
        Assert.Equal(7, name.Seq);
        var tool = await c.RunAsync(1, "corosync-cmapctl", "-g", "totem.cluster_name");
        Assert.Equal(0, tool.ExitCode);
        Assert.True(c.IsRunning(1));
    }

    [Fact]
    public void A_malformed_config_and_a_missing_authkey_give_the_real_errors_and_exit_code_eight()
    {
        var root = Directory.CreateTempSubdirectory("hc-e2e-bad").FullName;
        try
        {
            Directory.CreateDirectory(root + "/etc/corosync");
            File.WriteAllText(root + "/etc/corosync/corosync.conf", "totem {\n    version: 2\n");
            var (code, _, err) = Tool(root, "corosync", "-f");
            Assert.Equal(8, code);
            Assert.Equal($"parser error: {root}/etc/corosync/corosync.conf:2: Missing closing brace\n", err);

            File.WriteAllText(root + "/etc/corosync/corosync.conf",
                "totem {\n    version: 2\n    cluster_name: x\n    transport: udpu\n    crypto_cipher: aes256\n    crypto_hash: sha256\n}\n" +
                "nodelist {\n    node {\n        ring0_addr: 127.0.0.1\n        nodeid: 1\n    }\n}\n");
            (code, _, err) = Tool(root, "corosync", "-f");
            Assert.Equal(8, code);
            Assert.Contains($"error   [MAIN  ] Could not open {root}/etc/corosync/authkey: No such file or directory", err, StringComparison.Ordinal);

            File.Delete(root + "/etc/corosync/corosync.conf");
            (code, _, err) = Tool(root, "corosync", "-f");
            Assert.Equal(8, code);
            Assert.Equal($"Can't read file {root}/etc/corosync/corosync.conf: No such file or directory\n", err);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("corosync-quorumtool", new[] { "-s" }, "", "Cannot initialize CMAP service\n")]
    [InlineData("corosync-cfgtool", new[] { "-s" }, "", "Could not initialize corosync configuration API error 2\n")]
    [InlineData("corosync-cfgtool", new[] { "-R" }, "Reloading corosync.conf...\n", "Could not initialize corosync configuration API error CS_ERR_LIBRARY\n")]
    [InlineData("corosync-cfgtool", new[] { "-k", "2" }, "Killing node 2\n", "Could not initialize corosync configuration API error 2\n")]
    [InlineData("corosync-cmapctl", new string[0], "", "Failed to initialize the cmap API. Error CS_ERR_LIBRARY\n")]
    [InlineData("corosync-cmapctl", new[] { "-g", "totem.token" }, "", "Failed to initialize the cmap API. Error CS_ERR_LIBRARY\n")]
    [InlineData("corosync-cpgtool", new string[0], "", "Could not initialize corosync cpg API error 2\n")]
    public void With_the_daemon_down_tools_print_the_real_error_and_exit_one(string tool, string[] args, string expectedOut, string expectedErr)
    {
        var root = Directory.CreateTempSubdirectory("hc-e2e-down").FullName;
        try
        {
            var (code, output, err) = Tool(root, tool, args);
            Assert.Equal(1, code);
            Assert.Equal(expectedOut, output);
            Assert.Equal(expectedErr, err);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
