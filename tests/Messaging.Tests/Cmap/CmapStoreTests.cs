using System.Collections.Immutable;
using Cluster.Messaging.Cmap;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Tests.Quorum;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Tests.Cmap;

public class CmapStoreTests
{
    private static ImmutableArray<NodeId> Ids(params uint[] ids) => [.. ids.Select(i => new NodeId(i))];

    private static IReadOnlyList<string> Addr(NodeId n) => ["10.77.0." + (10 + n.Value)];

    [Fact]
    public void Member_keys_match_the_real_cmapctl_output()
    {
        var store = new CmapStore();
        CmapRuntimeKeys.UpdateMembers(store, Ids(1, 2, 3), Addr, null);
        var (expected, _) = QuorumToolGoldenTests.Golden("3node.corosync-cmapctl-grep-members.txt");
        var lines = store.Iterate("runtime.members.").Select(kv => new CmapEntry(kv.Key, kv.Value).ToString() + "\n");
        Assert.Equal(expected, string.Concat(lines));
    }

    [Fact]
    public void A_node_that_leaves_and_rejoins_is_left_then_joined_with_join_count_two()
    {
        var store = new CmapStore();
        CmapRuntimeKeys.UpdateMembers(store, Ids(1, 2), Addr, null);
        CmapRuntimeKeys.UpdateMembers(store, Ids(1), Addr, null);
        Assert.Equal("left", store.Get("runtime.members.2.status")!.AsString);
        CmapRuntimeKeys.UpdateMembers(store, Ids(1, 2), Addr, null);
        Assert.Equal("joined", store.Get("runtime.members.2.status")!.AsString);
        Assert.Equal(2, (int)store.Get("runtime.members.2.join_count")!.AsInteger);
        Assert.Equal(1, (int)store.Get("runtime.members.1.join_count")!.AsInteger);
    }

    [Theory]
    [InlineData("ab", CmapError.InvalidParam)]
    [InlineData("a b.c", CmapError.InvalidParam)]
    [InlineData("totem.token", CmapError.Ok)]
    [InlineData("a/b:c-d_e.f", CmapError.Ok)]
    public void Key_names_are_checked(string key, CmapError expected) => Assert.Equal(expected, CmapStore.ValidateKey(key));

    [Fact]
    public void Too_long_keys_are_refused() => Assert.Equal(CmapError.NameTooLong, CmapStore.ValidateKey(new string('a', 256)));

    [Fact]
    public void Tracking_a_prefix_reports_add_modify_delete_and_stops_when_the_client_goes()
    {
        var store = new CmapStore();
        var output = new ServiceOutput();
        var client = new ClientId(1);
        var id = store.Track(client, "test.", prefix: true);
        store.ClientSet("test.a", CmapValue.U32(1), output);
        store.ClientSet("test.a", CmapValue.U32(1), output); // unchanged: no event
        store.ClientSet("test.a", CmapValue.U32(2), output);
        store.ClientSet("other.a", CmapValue.U32(2), output);
        store.ClientDelete("test.a", output);
        var events = output.Drain().OfType<NotifyClient>().Select(n => (CmapTrackEvent)n.Event).ToList();
        Assert.Equal([CmapChange.Add, CmapChange.Modify, CmapChange.Delete], events.Select(e => e.Change));
        Assert.All(events, e => Assert.Equal(id, e.TrackId));
        store.ClientGone(client);
        store.ClientSet("test.b", CmapValue.U32(1), output);
        Assert.Empty(output.Drain());
    }

    [Fact]
    public void Read_only_runtime_keys_cannot_be_set_or_deleted_by_clients()
    {
        var store = new CmapStore();
        var output = new ServiceOutput();
        var status = VotequorumTests.Cluster(1).Also(c => { c.Boot(1); c.Form([1]); })[1].Service<Cluster.Messaging.Quorum.Votequorum>().Status();
        CmapRuntimeKeys.UpdateVotequorum(store, status, new NodeId(1), new NodeId(1), null);
        Assert.Equal(CmapError.Access, store.ClientSet("runtime.votequorum.this_node_id", CmapValue.U32(5), output));
        Assert.Equal(CmapError.Access, store.ClientDelete("runtime.votequorum.this_node_id", output));
        Assert.Equal(CmapError.NotExist, store.ClientDelete("no.such.key", output));
    }

    /// <summary>
    /// Issue 17 item 7: corosync-cmapctl -D "" deleted nodelist.*, totem.* and runtime.*; corosync
    /// marks these prefixes and keys read-only (CS_ERR_ACCESS) in main.c.
    /// </summary>
    [Theory]
    [InlineData("nodelist.node.0.ring0_addr")]
    [InlineData("nodelist.local_node_pos")]
    [InlineData("internal_configuration.service.0.name")]
    [InlineData("runtime.config.totem.token")]
    [InlineData("runtime.services.cpg.0.rx")]
    [InlineData("runtime.totem.pg.msg_queue_avail")]
    [InlineData("system.state_dir")]
    [InlineData("uidgid.config.uid.0")]
    [InlineData("totem.cluster_name")]
    [InlineData("totem.crypto_cipher")]
    [InlineData("totem.transport")]
    public void Corosyncs_read_only_prefixes_and_keys_refuse_client_set_and_delete(string key)
    {
        var store = new CmapStore();
        store.Set(key, CmapValue.Str("x"), null);
        var output = new ServiceOutput();
        Assert.Equal(CmapError.Access, store.ClientSet(key, CmapValue.Str("y"), output));
        Assert.Equal(CmapError.Access, store.ClientDelete(key, output));
        Assert.Equal(0, store.DeletePrefix("", output));
        Assert.Equal("x", store.Get(key)!.AsString);
    }

    [Fact]
    public void Writable_keys_stay_writable_next_to_read_only_ones()
    {
        var store = new CmapStore();
        var output = new ServiceOutput();
        Assert.Equal(CmapError.Ok, store.ClientSet("totem.token", CmapValue.U32(5000), output));
        Assert.Equal(CmapError.Ok, store.ClientSet("uidgid.gid.105", CmapValue.U8(1), output));
        Assert.Equal(CmapError.Ok, store.ClientDelete("totem.token", output));
    }

    /// <summary>Issue 17 weakness: cmap values were unbounded (300 MB held by one client).</summary>
    [Fact]
    public void Client_values_are_capped_per_value_and_in_total()
    {
        var store = new CmapStore();
        var output = new ServiceOutput();
        Assert.Equal(CmapError.TooBig, store.ClientSet("test.big", CmapValue.Str(new string('x', CmapStore.MaxValueBytes + 1)), output));
        Assert.Null(store.Get("test.big"));
        var value = CmapValue.Bin(new byte[CmapStore.MaxValueBytes]);
        int stored = 0;
        while (stored < 1000 && store.ClientSet($"test.k{stored}", value, output) == CmapError.Ok)
            stored++;
        Assert.Equal(CmapStore.MaxClientBytes / CmapStore.MaxValueBytes, stored);
        Assert.Equal(CmapError.NoMemory, store.ClientSet("test.more", value, output));
        // Deleting gives the room back.
        Assert.Equal(CmapError.Ok, store.ClientDelete("test.k0", output));
        Assert.Equal(CmapError.Ok, store.ClientSet("test.more", value, output));
    }

    [Theory]
    [InlineData(CmapType.UInt8, "300", null)]
    [InlineData(CmapType.Int8, "-5", "-5")]
    [InlineData(CmapType.Double, "0", "0.000000")]
    [InlineData(CmapType.UInt64, "18446744073709551615", "18446744073709551615")]
    [InlineData(CmapType.String, "hello world", "hello world")]
    public void Values_parse_and_print_as_cmapctl_does(CmapType type, string text, string? printed) =>
        Assert.Equal(printed, CmapValue.TryParse(type, text, out var v) ? v.Format() : null);

    [Fact]
    public void Empty_binary_prints_as_empty_marker() => Assert.Equal("*empty*", CmapValue.Bin([]).Format());
}

internal static class TestExtensions
{
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
