using Cluster.Messaging.Cmap;
using Cluster.Messaging.Config;
using FsCheck;
using FsCheck.Fluent;

namespace Cluster.Messaging.Tests.Config;

/// <summary>model -> corosync.conf text -> model is the identity, for generated models of every section.</summary>
public class RoundTripPropertyTests
{
    private static readonly string[] Words = ["anchor", "node1", "Node-2", "a_b", "x.y", "10.77.0.1", "fd00::1", "/var/log/cluster/corosync.log", "yes", "no", "on", "QUORUM", "a#b"];

    private static Gen<CmapValue> Str => Gen.Elements(Words).Select(CmapValue.Str);

    /// <summary>Keys the parser checks against a fixed word list get words from that list.</summary>
    private static readonly Dictionary<string, string[]> Enumerated = new(StringComparer.Ordinal)
    {
        ["totem.crypto_cipher"] = ["none", "aes256", "aes192", "aes128"],
        ["totem.transport"] = ["knet", "udpu", "udp"],
    };

    private static Gen<CmapValue> Int(CmapType type) =>
        Gen.Choose(0, int.MaxValue).Select(v => CmapValue.Integer(type, v % (type.MaxValue() + 1)));

    /// <summary>A random subset of the keys, each with a value of its cmap type.</summary>
    private static Gen<ConfSettings> Settings(string section, params string[] keys) =>
        Gen.SubListOf(keys).SelectMany(chosen =>
            Gen.CollectToArray(chosen.Select(key =>
            {
                var type = ConfKeys.TypeOf(section + key);
                var values = Enumerated.TryGetValue(section + key, out var words) ? Gen.Elements(words).Select(CmapValue.Str)
                    : type == CmapType.String ? Str : Int(type);
                return values.Select(v => new KeyValuePair<string, CmapValue>(key, v));
            })).Select(ConfSettings.From));

    private static Gen<ConfSettings> NonEmpty(Gen<ConfSettings> settings, string key) =>
        settings.Select(s => s.Count > 0 ? s : s.With(key, CmapValue.Str("x")));

    private static Gen<CorosyncConfig> Models()
    {
        var totem = Settings("totem.", "version", "cluster_name", "transport", "token", "token_coefficient", "consensus", "join",
            "window_size", "max_messages", "crypto_cipher", "knet_compression_level", "config_version", "secauth", "keyfile");
        var interfaces = Gen.SubListOf(new byte[] { 0, 1, 7 }).SelectMany(links =>
            Gen.CollectToArray(links.Select(link =>
                NonEmpty(Settings("totem.interface.", "bindnetaddr", "mcastaddr", "mcastport", "ttl", "knet_link_priority", "knet_ping_interval"), "bindnetaddr")
                    .Select(s => new InterfaceConfig(link, s)))));
        var nodes = Gen.Choose(0, 4).SelectMany(count =>
            Gen.CollectToArray(Enumerable.Range(0, count).Select(_ =>
                NonEmpty(Settings("nodelist.node.", "ring0_addr", "ring1_addr", "nodeid", "name", "quorum_votes"), "ring0_addr")
                    .Select(s => new NodeConfig(s)))));
        var quorum = Settings("quorum.", "provider", "two_node", "expected_votes", "wait_for_all", "auto_tie_breaker_node", "device.votes", "device.model", "device.net.host");
        var subsystems = Gen.SubListOf(new[] { "QUORUM", "TOTEM", "CPG" }).SelectMany(names =>
            Gen.CollectToArray(names.Select(name =>
                Settings("logging.logger_subsys.", "debug", "to_syslog").Select(s => new LoggerSubsysConfig(name, s)))));
        var logging = Settings("logging.", "to_logfile", "logfile", "timestamp", "debug", "to_syslog")
            .SelectMany(values => subsystems.Select(subs => new LoggingConfig(values, new ValueList<LoggerSubsysConfig>(subs))));
        var system = Settings("system.", "state_dir", "priority");
        var other = Settings("", "compatibility", "aisexec.user", "service.name", "service.ver", "amf.mode", "resources.watchdog_timeout")
            .SelectMany(s => Gen.Elements(true, false).Select(uid => uid ? s.With("uidgid.uid.hacluster", CmapValue.U8(1)) : s));

        return totem.SelectMany(t => interfaces.SelectMany(i => nodes.SelectMany(n => quorum.SelectMany(q =>
            logging.SelectMany(l => system.SelectMany(s => other.Select(o =>
                new CorosyncConfig(new TotemConfig(t), new ValueList<InterfaceConfig>(i), new ValueList<NodeConfig>(n),
                    new QuorumConfig(q), l, new SystemConfig(s), o))))))));
    }

    [Fact]
    public void Model_to_text_to_model_is_the_identity()
    {
        Prop.ForAll(Arb.From(Models()), model =>
        {
            var text = CorosyncConfWriter.Write(model);
            var parsed = CorosyncConfParser.Parse(text, "gen.conf");
            if (!parsed.Succeeded)
                throw new InvalidOperationException($"{parsed.Error}\n{text}");
            var back = CorosyncConfigBuilder.Build(parsed.Conf!.Keys);
            if (!back.Equals(model))
                throw new InvalidOperationException($"round trip changed the model:\n{text}");
            return parsed.Conf.Warnings.IsEmpty;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Writer_output_of_a_real_config_reads_back_to_the_same_cmap_keys()
    {
        var text = File.ReadAllLines(Path.Combine(Cluster.TestSupport.RepoPaths.Shared, "golden", "corosync-cfg.conf.txt"))
            .Where(l => !l.StartsWith('$') && !l.StartsWith('#'));
        var model = CorosyncConfigBuilder.Build(CorosyncConfParser.Parse(string.Join('\n', text), "cfg.conf").Conf!.Keys);
        var again = CorosyncConfigBuilder.Build(CorosyncConfParser.Parse(CorosyncConfWriter.Write(model), "cfg2.conf").Conf!.Keys);
        Assert.Equal(model, again);
        Assert.Equal(CmapFlattener.All(model).Select(e => e.ToString()), CmapFlattener.All(again).Select(e => e.ToString()));
        Assert.Equal(2, model.Nodes.Count);
    }
}
