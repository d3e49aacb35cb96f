using Cluster.Crm.Attributes;
using Cluster.Crm.Daemon;
using Cluster.Crm.Node;
using Cluster.Tools.Crm;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Tests.Crm;

/// <summary>
/// attrd_updater: the command line as 2.1.5 reads it, and the calls on
/// attrd's socket, answered by the daemon's <see cref="AttributeServer"/> with a stand-in node.
/// </summary>
public sealed class AttrdUpdaterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("attrd-tests-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static AttrdUpdaterTool.Options Parse(params string[] args)
    {
        var (o, error) = AttrdUpdaterTool.From(AttrdUpdaterTool.Parser.Parse(args));
        Assert.Null(error);
        return o!;
    }

    private static string? ParseError(params string[] args) => AttrdUpdaterTool.From(AttrdUpdaterTool.Parser.Parse(args)).Error;

    [Fact]
    public void No_command_is_a_query_and_the_last_command_given_wins()
    {
        Assert.Equal(AttrdUpdaterTool.Command.Query, Parse("-n", "foo").Command);
        var o = Parse("-n", "foo", "-Q", "-U", "7", "-N", "node2");
        Assert.Equal((AttrdUpdaterTool.Command.Update, "7", "node2"), (o.Command, o.Value, o.Node));
        Assert.True(Parse("-n", "foo", "-Q", "-A").AllNodes);
    }

    [Fact]
    public void The_dampening_travels_with_update_both_only_and_is_a_pacemaker_time()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), Parse("-n", "ping", "-B", "1", "-d", "5").Delay);
        Assert.Equal(TimeSpan.FromMilliseconds(500), Parse("-n", "ping", "-B", "1", "-d", "500ms").Delay);
        Assert.Null(Parse("-n", "ping", "-U", "1", "-d", "5").Delay);
        Assert.Equal(["Warning: 'B' command given without required --delay"], Parse("-n", "ping", "-B", "1").Warnings);
        Assert.Contains("--delay", ParseError("-n", "ping", "-B", "1", "-d", "soon"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_is_required_except_for_refresh()
    {
        Assert.Equal("Command requires --name argument", ParseError("-U", "1"));
        Assert.Equal(AttrdUpdaterTool.Command.Refresh, Parse("-R").Command);
        Assert.Contains("not supported", ParseError("-n", "x", "-U", "1", "-p"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_attrd_an_update_and_a_query_fail_as_2_1_5_does()
    {
        Assert.Equal((102, "", "attrd_updater: Could not update foo=1: Connection refused (111)\n"), await Run("attrd_updater", "-n", "foo", "-U", "1"));
        Assert.Equal((102, "", "attrd_updater: Could not update foo=(null): Connection refused (111)\n"), await Run("attrd_updater", "-n", "foo", "-D"));
        Assert.Equal((102, "", "attrd_updater: Could not connect to attrd: Connection refused\n"), await Run("attrd_updater", "-n", "foo", "-Q"));
        Assert.Equal((64, "", "attrd_updater: Command requires --name argument\n"), await Run("attrd_updater", "-U", "1"));
    }

    [Fact]
    public async Task Updates_reach_the_node_as_requests_and_queries_print_name_host_and_value()
    {
        var seen = new List<AttributeClientOperation>();
        using var server = StandIn(op =>
        {
            seen.Add(op);
            return op is AttributeQuery q
                ? new Dictionary<string, string> { ["node2"] = "3", ["node1"] = "1" }.Where(kv => q.Node is null || kv.Key == q.Node).ToDictionary()
                : null;
        });
        Assert.Equal((0, "", ""), await Run("attrd_updater", "-n", "ping", "-B", "5", "-d", "10s"));
        Assert.Equal((0, "", ""), await Run("attrd_updater", "-n", "ping", "-D", "-N", "node2"));
        Assert.Equal((0, "name=\"ping\" host=\"node1\" value=\"1\"\nname=\"ping\" host=\"node2\" value=\"3\"\n", ""), await Run("attrd_updater", "-n", "ping", "-Q", "-A"));
        Assert.Equal((0, "name=\"ping\" host=\"node2\" value=\"3\"\n", ""), await Run("attrd_updater", "-n", "ping", "-Q", "-N", "node2"));
        Assert.Equal((105, "", "attrd_updater: Could not query value of ping: attribute does not exist\n"), await Run("attrd_updater", "-n", "ping", "-Q", "-N", "node9"));
        Assert.Equal(new AttributeSetRequest(new AttributeUpdate("node1", "ping", "5", TimeSpan.FromSeconds(10))), seen[0]);
        Assert.Equal(new AttributeSetRequest(new AttributeUpdate("node2", "ping", null)), seen[1]);
        Assert.Equal(new AttributeQuery("ping", null), seen[2]);
    }

    /// <summary>attrd's socket under this test's HA_ROOT, answering as a node named node1 would.</summary>
    private AttributeServer StandIn(Func<AttributeClientOperation, IReadOnlyDictionary<string, string>?> answer)
    {
        AttributeServer? server = null;
        server = new AttributeServer(Path.Combine(_root, "run", "pacemaker", "attrd.sock"), "node1", input =>
        {
            var r = (AttributeClientRequest)input;
            _ = Task.Run(async () => await server!.RespondAsync(new AttributeClientReply(r.ClientId, r.CallId, null, answer(r.Operation))));
            return true;
        }, (_, _) => { });
        _ = server.RunAsync();
        return server;
    }

    private async Task<(int Exit, string Out, string Err)> Run(string tool, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var env = new Dictionary<string, string> { ["HA_ROOT"] = _root };
        var exit = await ToolRegistry.All[tool].Run(new ToolContext(TextReader.Null, output, error, name => env.GetValueOrDefault(name)), args);
        return (exit, output.ToString(), error.ToString());
    }
}
