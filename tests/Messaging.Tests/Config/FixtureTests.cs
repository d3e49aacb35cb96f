using Cluster.Messaging.Config;
using static Cluster.Messaging.Tests.Config.ConfTestSupport;

namespace Cluster.Messaging.Tests.Config;

/// <summary>The three tutorial configs in ../shared/fixtures (comments, 2.x keys and all) load as their authors meant.</summary>
public class FixtureTests
{
    private static ConfigLoadResult LoadFixture(string name, IAddressResolver? resolver = null) =>
        CorosyncConfigLoader.LoadFile(Fixture(name), new Common.Paths.HaPaths("/nonexistent-ha-root"), resolver ?? TutorialHosts);

    private static string[] WarningTexts(ConfigLoadResult result) => [.. result.Warnings.Select(w => w.Message)];

    [Fact]
    public void V2_crypto_votequorum_nodelist_loads_with_ring_names_resolved_and_legacy_interface_warnings()
    {
        var result = LoadFixture("v2-crypto-votequorum-nodelist.conf");
        // Crypto is on (aes256/sha1), so the only error is the missing authkey, worded as corosync's.
        var error = Assert.Single(result.Errors);
        Assert.Equal("Could not open /nonexistent-ha-root/etc/corosync/authkey: No such file or directory", error.Message);

        var config = result.Config!;
        Assert.Equal(TransportKind.Knet, config.Transport);
        Assert.Equal("aes256", config.Totem.CryptoCipher);
        Assert.Equal("sha1", config.Totem.CryptoHash);
        Assert.Equal(["HA1", "HA2"], config.Nodes.Select(n => n.RingAddress(0)));
        Assert.Equal([1u, 2u], config.Nodes.Select(n => n.NodeId!.Value));
        Assert.Equal("corosync_votequorum", config.Quorum.Provider);
        Assert.Equal("/var/log/cluster/corosync.log", config.Logging.LogFile);
        Assert.Equal("/nonexistent-ha-root/var/log/cluster/corosync.log", result.Paths!.LogFile);
        Assert.Equal("QUORUM", Assert.Single(config.Logging.Subsystems).Subsys);
        Assert.Equal(3000u, config.Timers.Token);

        var warnings = WarningTexts(result);
        Assert.Contains("interface section bindnetaddr is used together with nodelist. Nodelist one is going to be used.", warnings);
        Assert.Contains("Please migrate config file to nodelist.", warnings);
        Assert.Contains(warnings, w => w.StartsWith("ringnumber is a corosync 2.x setting", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("interface mcastaddr only applies to the udp", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.Contains("trailing '#' comments", StringComparison.Ordinal));
    }

    [Fact]
    public void V2_threads_file_with_trailing_comments_loads_as_multicast_udp_without_crypto()
    {
        var result = LoadFixture("v2-threads-empty-quorum-commented.conf");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal(TransportKind.Udp, config.Transport);
        Assert.False(config.Totem.CryptoEnabled);
        var link = Assert.Single(config.Interfaces);
        Assert.Equal("192.168.1.0", link.BindNetAddr);
        Assert.Equal("239.255.1.1", link.McastAddr);
        Assert.Equal(5405, link.McastPort);
        Assert.Equal(2u, config.Totem.Version);
        Assert.True(config.Logging.ToSyslog);
        Assert.Equal("root", config.Other.Str("aisexec.user"));
        Assert.Equal("pacemaker", config.Other.Str("service.name"));

        var warnings = WarningTexts(result);
        Assert.Single(warnings, w => w.StartsWith("trailing '#' comments ignored on lines 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 19, 20, 21, 22, 24, 26, 36, 37, 41, 42 ", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("non-breaking spaces (U+00A0) read as blanks on lines 11, 12, 36, 37", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("secauth is a corosync 2.x setting: 'secauth: off'", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("threads is a corosync 2.x setting", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("no transport and no nodelist, but an interface with mcastaddr: read as transport: udp", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("aisexec section", StringComparison.Ordinal));
        Assert.Single(warnings, w => w.StartsWith("service { name: pacemaker }", StringComparison.Ordinal));
    }

    [Fact]
    public void Whitetank_file_maps_secauth_on_to_crypto_and_warns_once_per_legacy_setting()
    {
        var result = LoadFixture("whitetank-secauth-commented.conf");
        // secauth: on means crypto, so corosync -t wants the authkey, like the real one.
        Assert.Equal(["Could not open /nonexistent-ha-root/etc/corosync/authkey: No such file or directory"], result.Errors.Select(e => e.Message));
        var config = result.Config!;
        Assert.Equal("aes256", config.Totem.CryptoCipher);
        Assert.Equal("sha256", config.Totem.CryptoHash);
        Assert.Equal(TransportKind.Udp, config.Transport);
        Assert.Equal("226.94.1.1", Assert.Single(config.Interfaces).McastAddr);
        Assert.Equal("AMF", Assert.Single(config.Logging.Subsystems).Subsys);
        Assert.Equal("whitetank", config.Other.Str("compatibility"));

        var warnings = WarningTexts(result);
        foreach (var prefix in new[] { "trailing '#' comments ignored on lines 1, 2, 3, 4, 5, 6, ", "compatibility: whitetank", "secauth is a corosync 2.x setting: 'secauth: on' is read as crypto_cipher: aes256 and crypto_hash: sha256",
                     "threads is", "ringnumber is", "aisexec section", "amf section", "service { name: pacemaker }", "crypto on the udp transport" })
            Assert.Single(warnings, w => w.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Fixtures_with_crypto_load_cleanly_when_the_authkey_exists_under_HA_ROOT()
    {
        var root = Directory.CreateTempSubdirectory("ha-config-");
        try
        {
            var paths = new Common.Paths.HaPaths(root.FullName);
            AuthKeyFile.Write(paths.AuthKey, AuthKeyFile.Generate(AuthKeyFile.DefaultSize));
            foreach (var name in new[] { "v2-crypto-votequorum-nodelist.conf", "whitetank-secauth-commented.conf" })
            {
                var result = CorosyncConfigLoader.LoadFile(Fixture(name), paths, TutorialHosts);
                Assert.True(result.Succeeded, name + ": " + string.Join("\n", result.Errors));
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_ring_name_that_does_not_resolve_is_named_in_the_error()
    {
        var result = LoadFixture("v2-crypto-votequorum-nodelist.conf", new FakeResolver(("HA1", "10.1.11.109")));
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("failed to parse bindnet address 'HA2' (nodelist.node.1.ring0_addr at ", error.Message, StringComparison.Ordinal);
        Assert.Contains("v2-crypto-votequorum-nodelist.conf:38", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ring_name_unknown_to_the_system_resolver_gives_the_real_style_error()
    {
        // .invalid never resolves (RFC 6761).
        var text = TwoNodes().Replace("10.0.0.2", "ha2.invalid", StringComparison.Ordinal);
        var result = CorosyncConfigLoader.LoadText(text, "t.conf", new Common.Paths.HaPaths(""), SystemAddressResolver.Instance);
        Assert.Contains(result.Errors, e => e.Message.StartsWith("failed to parse bindnet address 'ha2.invalid'", StringComparison.Ordinal));
    }
}
