using Cluster.Messaging.Config;
using static Cluster.Messaging.Tests.Config.ConfTestSupport;

namespace Cluster.Messaging.Tests.Config;

public class ValidationTests
{
    private static string[] Errors(string text) => [.. Load(text).Errors.Select(e => e.Message)];

    [Fact]
    public void A_valid_two_node_udpu_config_has_no_errors_or_warnings()
    {
        var result = Load(TwoNodes());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Warnings);
        Assert.Equal(0, result.ExitCode);
    }

    /// <summary>Whole-config errors in corosync 3.1.7's wording (observed with corosync -t).</summary>
    public static TheoryData<string, string> TotemErrors => new()
    {
        { "    version: 3", "parse error in config: This totem parser can only parse version 2 configurations." },
        { "    token: 10", "parse error in config: The token timeout parameter (10 ms) may not be less than (30 ms)." },
        { "    token_retransmit: 10", "parse error in config: The token retransmit timeout parameter (10 ms) may not be less than (30 ms)." },
        { "    hold: 10", "parse error in config: The token hold timeout parameter (10 ms) may not be less than (14 ms)." },
        { "    join: 20", "parse error in config: The join timeout parameter (20 ms) may not be less than (30 ms)." },
        { "    merge: 20", "parse error in config: The merge timeout parameter (20 ms) may not be less than (30 ms)." },
        { "    downcheck: 20", "parse error in config: The downcheck timeout parameter (20 ms) may not be less than (30 ms)." },
        { "    max_network_delay: 10", "parse error in config: The max_network_delay parameter (10 ms) may not be less than (30 ms)." },
        { "    consensus: 40", "parse error in config: The consensus timeout parameter (40 ms) may not be less than join timeout (50 ms)." },
        { "    token_warning: 101", "parse error in config: The token warning parameter (101%) must be between 0 (disabled) and 100." },
        { "    crypto_cipher: aes256", "crypto_cipher requires crypto_hash with value other than none" },
        { "    link_mode: x", "parse error in config: The Knet link mode \"x\" specified is invalid.  It must be active, passive or rr." },
    };

    [Theory]
    [MemberData(nameof(TotemErrors))]
    public void Totem_settings_are_checked_with_corosyncs_messages(string line, string expected)
    {
        var result = Load(TwoNodes(line));
        Assert.Contains(expected, result.Errors.Select(e => e.Message));
        Assert.Equal(8, result.ExitCode);
    }

    [Fact]
    public void An_unknown_transport_is_refused()
    {
        var text = TwoNodes().Replace("transport: udpu", "transport: foo", StringComparison.Ordinal);
        Assert.Equal(["Invalid transport type. Should be udpu, udp or knet"], Errors(text));
    }

    [Fact]
    public void Duplicate_nodeids_are_refused_naming_both_lines()
    {
        var text = TwoNodes().Replace("nodeid: 2", "nodeid: 1", StringComparison.Ordinal);
        Assert.Equal(["Nodeid 1 appears twice in corosync.conf (test.conf:11 and test.conf:16)"], Errors(text));
    }

    [Fact]
    public void Knet_requires_a_nodeid_for_every_node()
    {
        var text = TwoNodes().Replace("transport: udpu", "transport: knet", StringComparison.Ordinal)
            .Replace("        nodeid: 2\n", "", StringComparison.Ordinal);
        Assert.Equal(["Knet requires an explicit nodeid for every node: nodelist.node.1 (test.conf:14) has none"], Errors(text));
    }

    [Fact]
    public void Udpu_on_IPv4_may_leave_nodeids_out_and_derives_them_from_the_address()
    {
        var text = TwoNodes().Replace("        nodeid: 1\n", "", StringComparison.Ordinal).Replace("        nodeid: 2\n", "", StringComparison.Ordinal);
        var result = Load(text);
        Assert.Empty(result.Errors);
        Assert.Equal(
            ["nodelist.node.0 has no nodeid: it is derived from 10.0.0.1 as 167772161; set nodeid to keep it stable",
             "nodelist.node.1 has no nodeid: it is derived from 10.0.0.2 as 167772162; set nodeid to keep it stable"],
            result.Warnings.Select(w => w.Message));
    }

    [Theory]
    [InlineData("192.168.1.101", false, 3232235877u)]
    [InlineData("192.168.1.101", true, 1084752229u)]
    [InlineData("10.0.0.1", true, 167772161u)]
    public void Derived_nodeids_read_the_IPv4_address_big_endian(string address, bool clearHighBit, uint expected)
    {
        Assert.Equal(expected, NodeConfig.DeriveNodeId(System.Net.IPAddress.Parse(address), clearHighBit));
    }

    [Fact]
    public void Ring_addresses_of_different_families_on_one_link_are_refused()
    {
        var text = TwoNodes().Replace("10.0.0.2", "::1", StringComparison.Ordinal);
        Assert.Equal(["parse error in config: Nodes for link 0 have different IP families (compared ::1 with 10.0.0.1)"], Errors(text));
    }

    [Fact]
    public void Two_node_with_three_nodes_is_refused()
    {
        var text = TwoNodes().Replace("    node {\n        ring0_addr: 10.0.0.2", "    node {\n        ring0_addr: 10.0.0.3\n        nodeid: 3\n    }\n    node {\n        ring0_addr: 10.0.0.2", StringComparison.Ordinal);
        Assert.Equal(["parse error in config: two_node is set but the nodelist has 3 nodes: two_node only applies to exactly 2 nodes"], Errors(text));
    }

    [Fact]
    public void No_nodelist_and_no_udp_interface_means_no_interfaces()
    {
        Assert.Equal(["parse error in config: No interfaces defined"], Errors("totem {\n version: 2\n}\n"));
    }

    [Fact]
    public void Crypto_on_udpu_is_accepted_with_a_compatibility_warning()
    {
        var root = Directory.CreateTempSubdirectory("ha-config-");
        try
        {
            var paths = new Common.Paths.HaPaths(root.FullName);
            AuthKeyFile.Write(paths.AuthKey, AuthKeyFile.Generate(AuthKeyFile.DefaultSize));
            var result = Load(TwoNodes("    crypto_cipher: aes256\n    crypto_hash: sha256"), paths: paths);
            Assert.True(result.Succeeded, string.Join("\n", result.Errors));
            Assert.Contains(result.Warnings, w => w.Message.StartsWith("crypto on the udpu transport: accepted", StringComparison.Ordinal));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Crypto_needs_an_authkey_of_at_least_128_bytes()
    {
        var root = Directory.CreateTempSubdirectory("ha-config-");
        try
        {
            var paths = new Common.Paths.HaPaths(root.FullName);
            var crypto = TwoNodes("    crypto_cipher: aes256\n    crypto_hash: sha256");
            Assert.Equal([$"Could not open {paths.AuthKey}: No such file or directory"], Load(crypto, paths: paths).Errors.Select(e => e.Message));
            Directory.CreateDirectory(paths.CorosyncConfDir);
            File.WriteAllBytes(paths.AuthKey, new byte[100]);
            Assert.Equal([$"Could only read 800 bits of minimum 1024 bits from {paths.AuthKey}."], Load(crypto, paths: paths).Errors.Select(e => e.Message));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_keyfile_and_logfile_named_in_the_config_live_under_HA_ROOT()
    {
        var result = Load(TwoNodes("    keyfile: /etc/corosync/other.key").Replace("to_syslog: no", "to_syslog: no\n    to_logfile: yes\n    logfile: /var/log/c.log", StringComparison.Ordinal),
            paths: new Common.Paths.HaPaths("/r"));
        Assert.Equal("/r/etc/corosync/other.key", result.Paths!.KeyFile);
        Assert.Equal("/r/var/log/c.log", result.Paths.LogFile);
        Assert.Equal("/r/var/lib/corosync", result.Paths.StateDir);
    }

    [Theory]
    [InlineData("to_syslog: maybe", "parse error in config: unknown value for to_syslog.")]
    [InlineData("timestamp: x", "parse error in config: unknown value for timestamp.")]
    [InlineData("debug: x", "parse error in config: unknown value for debug.")]
    [InlineData("logfile_priority: x", "parse error in config: unknown logfile priority specified.")]
    [InlineData("syslog_facility: x", "parse error in config: unknown syslog facility specified.")]
    public void Bad_logging_values_exit_with_status_7_as_corosync_does(string line, string expected)
    {
        var result = Load(TwoNodes().Replace("to_syslog: no", line, StringComparison.Ordinal));
        Assert.Equal([expected], result.Errors.Select(e => e.Message));
        Assert.Equal(7, result.ExitCode);
    }

    // ---- Issue 17 item 10: corosync -t passed what the daemon then refused.

    [Fact]
    public void An_empty_ring0_addr_is_refused_with_corosyncs_line_not_resolved_to_this_host()
    {
        var text = TwoNodes().Replace("ring0_addr: 10.0.0.1", "ring0_addr:", StringComparison.Ordinal);
        var result = Load(text, new FakeResolver(("", "127.0.0.1")));
        Assert.Equal(["failed to parse bindnet address ''"], result.Errors.Select(e => e.Message));
        Assert.Equal(8, result.ExitCode);
    }

    [Theory]
    [InlineData("udpu", "0", "parse error in config: mcastport 0 is out of range (1..65535)")]
    [InlineData("knet", "0", "parse error in config: mcastport 0 is out of range (1..65535)")]
    [InlineData("udp", "1", "parse error in config: mcastport 1 is out of range (2..65535)")]
    public void A_mcastport_the_daemon_cannot_bind_is_refused_at_its_line(string transport, string port, string expected)
    {
        var text = TwoNodes($"    interface {{\n        linknumber: 0\n        mcastaddr: 239.1.1.1\n        mcastport: {port}\n    }}")
            .Replace("transport: udpu", "transport: " + transport, StringComparison.Ordinal);
        var error = Assert.Single(Load(text).Errors);
        Assert.Equal(expected, error.Message);
        Assert.Equal(8, error.Line);
    }

    [Theory]
    [InlineData("udpu")]
    [InlineData("knet")]
    public void Mcastport_gives_no_ignored_warning_with_udpu_or_knet_which_listen_on_it(string transport)
    {
        var text = TwoNodes("    interface {\n        linknumber: 0\n        mcastport: 5500\n    }")
            .Replace("transport: udpu", "transport: " + transport, StringComparison.Ordinal);
        var result = Load(text);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Warnings, w => w.Message.Contains("mcastport", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("99")]
    [InlineData("2")]
    public void A_local_node_pos_outside_the_nodelist_is_refused_as_the_daemon_does(string pos)
    {
        var text = TwoNodes().Replace("nodelist {", $"nodelist {{\n    local_node_pos: {pos}", StringComparison.Ordinal);
        Assert.Equal([$"nodelist.local_node_pos \"{pos}\" is not the position of a node in the nodelist"], Errors(text));
    }

    [Fact]
    public void A_logfile_that_is_a_directory_exits_7_with_corosyncs_line()
    {
        var root = Directory.CreateTempSubdirectory("hz-logdir-");
        try
        {
            var text = TwoNodes().Replace("to_syslog: no", "to_syslog: no\n    to_logfile: yes\n    logfile: /", StringComparison.Ordinal);
            var result = Load(text, paths: new Common.Paths.HaPaths(root.FullName));
            Assert.Equal(["parse error in config: Can't open logfile '/' for reason: Is a directory (21)."], result.Errors.Select(e => e.Message));
            Assert.Equal(7, result.ExitCode);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_logfile_with_dot_dots_stays_under_HA_ROOT()
    {
        var result = Load(TwoNodes().Replace("to_syslog: no", "to_syslog: no\n    to_logfile: yes\n    logfile: /../../x.log", StringComparison.Ordinal),
            paths: new Common.Paths.HaPaths("/r"));
        Assert.Equal("/r/x.log", result.Paths!.LogFile);
    }

    [Fact]
    public void A_typo_in_a_known_section_is_a_warning_naming_the_key_and_line()
    {
        var result = Load(TwoNodes("    tokn: 3000"));
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("test.conf:5: unknown key 'totem.tokn': stored, but not used", warning.ToString());
    }

    [Fact]
    public void Rrp_mode_maps_to_link_mode()
    {
        var result = Load(TwoNodes("    rrp_mode: active"));
        Assert.Equal("active", result.Config!.Totem.LinkMode);
        Assert.Contains(result.Warnings, w => w.Message == "rrp_mode is a corosync 2.x setting: 'rrp_mode: active' is read as link_mode: active");
    }

    [Fact]
    public void A_missing_totem_version_is_refused_like_version_3()
    {
        var text = TwoNodes().Replace("    version: 2\n", "", StringComparison.Ordinal);
        Assert.Equal(["parse error in config: This totem parser can only parse version 2 configurations."], Errors(text));
    }

    [Fact]
    public void A_multi_link_nodelist_needs_a_name_on_every_node()
    {
        var text = TwoNodes().Replace("transport: udpu", "transport: knet", StringComparison.Ordinal)
            .Replace("ring0_addr: 10.0.0.1", "ring0_addr: 10.0.0.1\n        ring1_addr: 10.1.0.1", StringComparison.Ordinal)
            .Replace("        name: node2\n", "", StringComparison.Ordinal);
        Assert.Equal(["parse error in config: for a multi-link configuration, all nodes must have a 'name' attribute"], Errors(text));
    }

    [Fact]
    public void Local_node_pos_in_the_nodelist_is_a_u32_key_for_the_daemon()
    {
        var text = TwoNodes().Replace("nodelist {\n", "nodelist {\n    local_node_pos: 1\n", StringComparison.Ordinal);
        var result = Load(text);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Warnings);
        Assert.Equal(1u, result.Config!.Other.U32("nodelist.local_node_pos"));
    }

    [Fact]
    public void A_2x_member_section_is_ignored_with_corosyncs_warning()
    {
        var result = Load(TwoNodes("    interface {\n        member {\n            memberaddr: 10.0.0.1\n        }\n    }"));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(["member section is used together with nodelist. Members ignored."], result.Warnings.Select(w => w.Message));
    }

    [Fact]
    public void Logging_oddities_corosync_accepts_are_warnings_not_errors()
    {
        var result = Load(TwoNodes().Replace("to_syslog: no", "to_syslog: no\n    to_logfile: yes", StringComparison.Ordinal));
        Assert.True(result.Succeeded);
        Assert.Equal(["to_logfile is set but there is no logfile: nothing is logged to a file"], result.Warnings.Select(w => w.Message));

        result = Load(TwoNodes().Replace("to_syslog: no", "to_syslog: no\n    to_logfile: yes\n    logfile: c.log", StringComparison.Ordinal));
        Assert.True(result.Succeeded);
        Assert.Equal(["logfile 'c.log' is a relative path: it is opened in the daemon's working directory, not under HA_ROOT"], result.Warnings.Select(w => w.Message));
    }

    [Fact]
    public void Rrp_tuning_keys_of_2x_warn_that_they_have_no_effect()
    {
        var result = Load(TwoNodes("    rrp_problem_count_timeout: 2000"));
        Assert.True(result.Succeeded);
        Assert.Equal(["rrp_problem_count_timeout is a corosync 2.x redundant ring setting and has no effect (links are managed by knet)"], result.Warnings.Select(w => w.Message));
    }
}
