using Cluster.Messaging.Cmap;
using Cluster.Messaging.Config;

namespace Cluster.Messaging.Tests.Config;

public class CorosyncConfParserTests
{
    private static ParsedConf Parsed(string text)
    {
        var result = CorosyncConfParser.Parse(text, "x.conf");
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result.Conf!;
    }

    private static string Key(ParsedConf conf, string path) =>
        Assert.Single(conf.Keys, k => k.Path == path).Value.Format();

    /// <summary>Malformed input -> the exact <c>file:line: message</c> real corosync 3.1.7 prints (observed with corosync -t).</summary>
    public static TheoryData<string, string> Malformed => new()
    {
        { "totem {\n version: 2\n", "x.conf:2: Missing closing brace" },
        { "totem {\n version: 2\n}\n}\n", "x.conf:4: Unexpected closing brace" },
        { "totem { version: 2\n}\n", "x.conf:1: Extra characters after opening bracket '{'" },
        { "nodelist {\n node { ring0_addr: 10.0.0.1 }\n}\n", "x.conf:2: Extra characters after opening bracket '{'" },
        { " {\n}\n", "x.conf:1: Missing section name before opening bracket '{'" },
        { "totem {\n}x\n", "x.conf:2: Extra characters before or after closing bracket '}'" },
        { "totem {\n foo\n}\n", "x.conf:2: Line is not opening or closing section or key value" },
        { "totem {\n token: abc\n}\n", "x.conf:2: Value of key \"totem.token\" is expected to be integer in range (0..4294967295), but \"abc\" was given" },
        { "totem {\n version: -1\n}\n", "x.conf:2: Value of key \"totem.version\" is expected to be integer in range (0..4294967295), but \"-1\" was given" },
        { "totem {\n version:\n}\n", "x.conf:2: Value of key \"totem.version\" is expected to be integer in range (0..4294967295), but \"\" was given" },
        { "totem {\n interface {\n  mcastport: 70000\n }\n}\n", "x.conf:3: Value of key \"totem.interface.mcastport\" is expected to be integer in range (0..65535), but \"70000\" was given" },
        { "totem {\n interface {\n  ttl: 300\n }\n}\n", "x.conf:3: Value of key \"totem.interface.ttl\" is expected to be integer in range (0..255), but \"300\" was given" },
        { "totem {\n knet_compression_level: x\n}\n", "x.conf:2: Value of key \"totem.knet_compression_level\" is expected to be integer in range (-2147483648..2147483647), but \"x\" was given" },
        { "nodelist {\n node {\n  ring0_addr: 10.0.0.1\n  nodeid: x\n }\n}\n", "x.conf:4: Value of key \"nodelist.node.0.nodeid\" is expected to be integer in range (0..4294967295), but \"x\" was given" },
        { "nodelist {\n node {\n  nodeid: 1\n }\n node {\n  quorum_votes: x\n }\n}\n", "x.conf:6: Value of key \"nodelist.node.1.quorum_votes\" is expected to be integer in range (0..4294967295), but \"x\" was given" },
        { "quorum {\n two_node: x\n}\n", "x.conf:2: Value of key \"quorum.two_node\" is expected to be integer in range (0..255), but \"x\" was given" },
        { "totem {\n crypto_model: foo\n}\n", "x.conf:2: Invalid crypto model. Should be nss or openssl" },
        { "totem {\n crypto_cipher: 3des\n}\n", "x.conf:2: Invalid cipher type. Should be none, aes256, aes192 or aes128" },
        { "totem {\n crypto_hash: sha2\n}\n", "x.conf:2: Invalid hash type. Should be none, md5, sha1, sha256, sha384 or sha512" },
        { "totem {\n ip_version: ipv5\n}\n", "x.conf:2: Invalid ip_version type" },
        { "totem {\n knet_compression_model: rar\n}\n", "x.conf:2: Invalid compression model. Should be zlib, lz4, lz4hc, lzo2, lzma, bzip2 or zstd" },
        { "system {\n sched_rr: x\n}\n", "x.conf:2: Invalid system.sched_rr value" },
        { "logging {\n logger_subsys {\n  debug: on\n }\n}\n", "x.conf:4: No subsys key in logger_subsys directive" },
        { "totem {\n : 2\n}\n", "x.conf:2: Missing key name before ':'" },
        // A trailing comment is tolerated, but the value before it is still checked.
        { "totem {\n token: 3000x # comment\n}\n", "x.conf:2: Value of key \"totem.token\" is expected to be integer in range (0..4294967295), but \"3000x\" was given" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_input_gives_the_real_file_line_error(string text, string expected)
    {
        var result = CorosyncConfParser.Parse(text, "x.conf");
        Assert.False(result.Succeeded);
        Assert.Equal(DiagnosticStage.Parser, result.Error!.Stage);
        Assert.Equal(expected, result.Error.ToString());
    }

    /// <summary>
    /// Issue 17 item 2: 100,000 nested sections drove corosync -t past 10 GB. The real parser
    /// stops where the dotted path reaches 255 characters (boundaries observed with corosync 3.1.7:
    /// a0 { a1 { ... stops at a66, line 67 here; a 252-character key in section "a" passes, 253 fails).
    /// </summary>
    [Fact]
    public void Deep_nesting_stops_where_the_cmap_path_reaches_255_characters()
    {
        // 1,000 levels: enough to pass the bound, small enough that an unbounded parser still
        // finishes (and so fails the assertion) instead of exhausting memory.
        const int depth = 1_000;
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < depth; i++) text.Append('a').Append(i).Append(" {\n");
        for (var i = 0; i < depth; i++) text.Append("}\n");
        var result = CorosyncConfParser.Parse(text.ToString(), "x.conf");
        Assert.Equal("x.conf:67: Start of section makes total cmap path too long", result.Error!.ToString());
    }

    [Theory]
    [InlineData(252, null)]
    [InlineData(253, "x.conf:2: New key makes total cmap path too long")]
    public void Key_path_length_is_bounded_like_the_real_parser(int keyLength, string? expected)
    {
        var result = CorosyncConfParser.Parse($"a {{\n{new string('k', keyLength)}: 1\n}}\n", "x.conf");
        Assert.Equal(expected, result.Error?.ToString());
    }

    [Theory]
    [InlineData(253, null)]
    [InlineData(254, "x.conf:1: Start of section makes total cmap path too long")]
    public void Top_level_section_name_length_is_bounded_like_the_real_parser(int nameLength, string? expected)
    {
        var result = CorosyncConfParser.Parse($"{new string('b', nameLength)} {{\n}}\n", "x.conf");
        Assert.Equal(expected, result.Error?.ToString());
    }

    [Fact]
    public void Missing_closing_brace_is_reported_at_the_last_line_of_the_file()
    {
        var result = CorosyncConfParser.Parse("totem {\n version: 2\n\n# end\n", "x.conf");
        Assert.Equal("x.conf:4: Missing closing brace", result.Error!.ToString());
    }

    [Fact]
    public void Trailing_comments_are_ignored_with_one_warning_naming_every_line()
    {
        var conf = Parsed("totem {    # the totem section\n    version: 2   # protocol\n    token: 5000\t#ms\n}\n");
        Assert.Equal("2", Key(conf, "totem.version"));
        Assert.Equal("5000", Key(conf, "totem.token"));
        var warning = Assert.Single(conf.Warnings);
        Assert.Contains("lines 1, 2, 3", warning.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
    }

    [Fact]
    public void A_hash_inside_a_word_is_part_of_the_value_and_gives_no_warning()
    {
        var conf = Parsed("totem {\n cluster_name: a#b\n}\n");
        Assert.Equal("a#b", Key(conf, "totem.cluster_name"));
        Assert.Empty(conf.Warnings);
    }

    [Fact]
    public void Non_breaking_spaces_read_as_blanks_with_a_warning()
    {
        var conf = Parsed("aisexec {\n\u00a0 \u00a0 user: root\u00a0\u00a0 #x\n}\n");
        Assert.Equal("root", Key(conf, "aisexec.user"));
        Assert.Contains(conf.Warnings, w => w.Message.Contains("U+00A0", StringComparison.Ordinal) && w.Message.Contains("line 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Values_keep_colons_and_quotes_and_CRLF_is_accepted()
    {
        var conf = Parsed("nodelist {\r\n node {\r\n  ring0_addr: fd00::1\r\n  name: \"n1\"\r\n }\r\n}\r\n");
        Assert.Equal("fd00::1", Key(conf, "nodelist.node.0.ring0_addr"));
        Assert.Equal("\"n1\"", Key(conf, "nodelist.node.0.name"));
    }

    [Fact]
    public void Repeated_sections_get_cmap_paths_and_typed_values()
    {
        var conf = Parsed("""
            totem {
                interface {
                    mcastport: 5405
                    linknumber: 1
                }
            }
            nodelist {
                node {
                    nodeid: 1
                }
                node {
                    nodeid: 2
                }
            }
            logging {
                logger_subsys {
                    subsys: QUORUM
                    debug: on
                }
            }
            uidgid {
                uid: hacluster
            }
            """);
        Assert.Equal(CmapType.UInt16, conf.Keys.Single(k => k.Path == "totem.interface.1.mcastport").Value.Type);
        Assert.DoesNotContain(conf.Keys, k => k.Path.EndsWith("linknumber", StringComparison.Ordinal));
        Assert.Equal("2", Key(conf, "nodelist.node.1.nodeid"));
        Assert.Equal(CmapType.UInt32, conf.Keys.Single(k => k.Path == "nodelist.node.1.nodeid").Value.Type);
        Assert.Equal("on", Key(conf, "logging.logger_subsys.QUORUM.debug"));
        Assert.Equal("QUORUM", Key(conf, "logging.logger_subsys.QUORUM.subsys"));
        Assert.Equal(CmapType.UInt8, conf.Keys.Single(k => k.Path == "uidgid.uid.hacluster").Value.Type);
    }

    [Fact]
    public void A_2x_ringnumber_chooses_the_link_so_two_rings_do_not_collide()
    {
        var conf = Parsed("totem {\n interface {\n  ringnumber: 0\n  bindnetaddr: 10.0.0.0\n }\n interface {\n  ringnumber: 1\n  bindnetaddr: 10.0.1.0\n }\n}\n");
        Assert.Equal("10.0.0.0", Key(conf, "totem.interface.0.bindnetaddr"));
        Assert.Equal("10.0.1.0", Key(conf, "totem.interface.1.bindnetaddr"));
    }

    [Fact]
    public void The_last_of_repeated_keys_wins_in_the_model()
    {
        var conf = Parsed("totem {\n token: 1000\n token: 2000\n}\n");
        Assert.Equal(2000u, CorosyncConfigBuilder.Build(conf.Keys).Totem.Token);
    }

    [Fact]
    public void Braces_inside_a_trailing_comment_do_not_open_or_close_sections()
    {
        var conf = Parsed("totem {  # see { and }\n    version: 2 # not } here\n}  # end\n");
        Assert.Equal("2", Key(conf, "totem.version"));
        Assert.Contains("lines 1, 2, 3", Assert.Single(conf.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_brace_inside_a_value_is_still_a_section_start_as_in_corosync()
    {
        Assert.Equal("x.conf:2: Extra characters after opening bracket '{'", CorosyncConfParser.Parse("totem {\n cluster_name: a{b\n}\n", "x.conf").Error!.ToString());
    }
}
