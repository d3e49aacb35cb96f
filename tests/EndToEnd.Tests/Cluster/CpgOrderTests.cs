using System.Text;
using System.Threading.Channels;
using Cluster.EndToEnd.Tests.Harness;
using Cluster.Messaging.Client;

namespace Cluster.EndToEnd.Tests.Cluster;

[Collection(ClusterCollection.Name)]
public class CpgOrderTests
{
    private static async Task<List<string>> Drain(CpgClient client, int messages, TimeSpan timeout)
    {
        var seen = new List<string>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (seen.Count(s => s.StartsWith("msg 1 ", StringComparison.Ordinal) || s.StartsWith("msg 2 ", StringComparison.Ordinal)) < messages)
            {
                var e = await client.Events.ReadAsync(cts.Token);
                seen.Add(e switch
                {
                    CpgClientMessage m => $"msg {m.NodeId} {Encoding.UTF8.GetString(m.Data)}",
                    CpgClientConfigurationChange c => $"conf [{string.Join(',', c.Members.Select(x => x.NodeId))}] left [{string.Join(',', c.Left.Select(x => $"{x.NodeId}:{x.Reason}"))}] joined [{string.Join(',', c.Joined.Select(x => $"{x.NodeId}:{x.Reason}"))}]",
                    CpgClientTotemChange t => $"totem {string.Join(',', t.Members)}",
                    _ => e.ToString()!,
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
        }
        return seen;
    }

    [Fact]
    public async Task Group_messages_and_membership_changes_keep_one_total_order_on_every_node_through_a_crash()
    {
        await using var c = new LocalCluster(new ClusterSpec());
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes)
            await c.WaitForQuorumAsync(n, 3, true);
        var clients = new List<CpgClient>();
        try
        {
            foreach (var n in c.Nodes)
            {
                var client = await CpgClient.ConnectAsync(c.SocketPath(n));
                Assert.Equal((uint)n, client.LocalNodeId);
                clients.Add(client);
                await client.JoinAsync("e2e");
            }
            // Everyone must see the three members before the traffic starts.
            for (int i = 0; i < 100 && (await clients[0].MembersAsync("e2e")).Count < 3; i++)
                await Task.Delay(50);
            int sent = 0;
            for (int round = 0; round < 30; round++)
                for (int n = 0; n < 3; n++)
                    await clients[n].SendAsync("e2e", Encoding.UTF8.GetBytes($"{n + 1}-{round}"));
            sent += 90;
            c.Crash(3);
            await c.WaitForQuorumAsync(1, 2, true);
            for (int round = 30; round < 40; round++)
                for (int n = 0; n < 2; n++)
                    await clients[n].SendAsync("e2e", Encoding.UTF8.GetBytes($"{n + 1}-{round}"));
            sent += 20;

            // Messages node 3 had accepted but not yet multicast when it was killed may be lost;
            // everything from the survivors must arrive, and both must agree on what arrived.
            int fromSurvivors = sent - 30;
            var one = await Drain(clients[0], fromSurvivors, TimeSpan.FromSeconds(30));
            var two = await Drain(clients[1], fromSurvivors, TimeSpan.FromSeconds(30));
            Assert.Equal(fromSurvivors, one.Count(s => s.StartsWith("msg 1 ", StringComparison.Ordinal) || s.StartsWith("msg 2 ", StringComparison.Ordinal)));
            int down3 = one.FindIndex(s => s.Contains("left [3:3]", StringComparison.Ordinal));
            Assert.True(one.FindLastIndex(s => s.StartsWith("msg 3 ", StringComparison.Ordinal)) < down3, "a message of node 3 came after its NODEDOWN");
            // Both survivors saw the same sequence once all three had joined.
            static List<string> FromFullGroup(List<string> seen) =>
                [.. seen.Skip(seen.FindIndex(s => s.StartsWith("conf [1,2,3]", StringComparison.Ordinal) || s.StartsWith("msg", StringComparison.Ordinal)))
                    .Where(s => !s.StartsWith("totem", StringComparison.Ordinal))];
            Assert.Equal(FromFullGroup(one).Where(s => s.StartsWith("msg", StringComparison.Ordinal) || s.Contains("NodeDown", StringComparison.Ordinal) || s.Contains(":3", StringComparison.Ordinal)),
                FromFullGroup(two).Where(s => s.StartsWith("msg", StringComparison.Ordinal) || s.Contains("NodeDown", StringComparison.Ordinal) || s.Contains(":3", StringComparison.Ordinal)));
            int down = one.FindIndex(s => s.Contains("left [3:3]", StringComparison.Ordinal));
            Assert.True(down > 0, string.Join('\n', one));
            Assert.True(one.FindIndex(s => s.EndsWith(" 1-30", StringComparison.Ordinal)) > down, "a message sent after the crash came before the NODEDOWN change");
            // Each sender's messages arrive in the order it sent them.
            var fromOne = one.Where(s => s.StartsWith("msg 1 ", StringComparison.Ordinal)).Select(s => int.Parse(s.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(Enumerable.Range(0, 40), fromOne);
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_that_dies_leaves_its_groups_with_procdown_and_cpgtool_lists_the_rest()
    {
        await using var c = new LocalCluster(new ClusterSpec { Nodes = 2 });
        c.Configure();
        c.StartAll();
        await c.WaitForQuorumAsync(1, 2, true);
        await using var stay = await CpgClient.ConnectAsync(c.SocketPath(1));
        await stay.JoinAsync("crmd\0");
        var leaving = await CpgClient.ConnectAsync(c.SocketPath(2));
        await leaving.JoinAsync("crmd\0");
        for (int i = 0; i < 100 && (await stay.MembersAsync("crmd\0")).Count < 2; i++)
            await Task.Delay(50);
        var tool = await c.RunAsync(1, "corosync-cpgtool");
        Assert.Equal(0, tool.ExitCode);
        Assert.StartsWith("Group Name\t       PID\t   Node ID\ncrmd\\x00\n", tool.Out, StringComparison.Ordinal);
        Assert.Contains($"\t\t{Environment.ProcessId,10}\t         2 (127.0.0.2)\n", tool.Out, StringComparison.Ordinal);
        await leaving.DisposeAsync();
        string? procDown = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (procDown is null)
        {
            if (await stay.Events.ReadAsync(cts.Token) is CpgClientConfigurationChange cc && cc.Left.Count > 0)
                procDown = $"{cc.Left[0].NodeId}:{cc.Left[0].Reason}";
        }
        Assert.Equal("2:5", procDown);
    }
}
