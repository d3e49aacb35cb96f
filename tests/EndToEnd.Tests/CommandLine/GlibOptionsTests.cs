using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.CommandLine;

public class GlibOptionsTests
{
    private static readonly GlibOptions Spec = new("prog", "Test a parser",
    [
        new("xml-file", 'x', GlibValue.Required, "CIB to use", "FILE"),
        new("quiet", 'Q', GlibValue.None, "Quiet"),
        new("show-scores", 's', GlibValue.None, "Scores"),
        new("node-up", 'u', GlibValue.Required, "Bring a node up", "NODE", Group: "synthetic"),
        new("list-agents", null, GlibValue.Optional, "List agents", "STD"),
    ],
    [new GlibGroup("synthetic", "Synthetic Cluster Events:", "Show synthetic cluster event options")]);

    /// <summary>The parse as one line: options in order as --name[=value], operands in brackets, or the outcome.</summary>
    private static string Render(GlibArguments a) => a.Outcome switch
    {
        GlibOutcome.Error => a.Error!,
        GlibOutcome.Help => $"help:{a.HelpGroup ?? "main"}",
        GlibOutcome.Version => "version",
        _ => string.Join(" ", a.Given.Select(g => g.Value is null ? $"--{g.Option.Long}" : $"--{g.Option.Long}={g.Value}")
            .Concat(a.Operands.Select(o => $"[{o}]"))),
    };

    [Theory]
    [InlineData(new[] { "-x", "a.xml" }, "--xml-file=a.xml")]
    [InlineData(new[] { "-xa.xml" }, "--xml-file=a.xml")]
    [InlineData(new[] { "-x=a.xml" }, "--xml-file==a.xml")]
    [InlineData(new[] { "--xml-file", "a.xml" }, "--xml-file=a.xml")]
    [InlineData(new[] { "--xml-file=a.xml" }, "--xml-file=a.xml")]
    [InlineData(new[] { "--xml-file", "-V" }, "--xml-file=-V")]
    [InlineData(new[] { "-sQx", "a.xml" }, "--show-scores --quiet --xml-file=a.xml")]
    [InlineData(new[] { "-xV", "a.xml" }, "--xml-file=V [a.xml]")]
    [InlineData(new[] { "-VVV", "--verbose" }, "--verbose --verbose --verbose --verbose")]
    [InlineData(new[] { "-u", "n1", "--node-up=n2" }, "--node-up=n1 --node-up=n2")]
    [InlineData(new[] { "--list-agents" }, "--list-agents")]
    [InlineData(new[] { "--list-agents", "ocf" }, "--list-agents=ocf")]
    [InlineData(new[] { "--list-agents", "-Q" }, "--list-agents --quiet")]
    [InlineData(new[] { "--list-agents=ocf:heartbeat" }, "--list-agents=ocf:heartbeat")]
    [InlineData(new[] { "--quiet=1" }, "--quiet")]
    [InlineData(new[] { "-Q", "--", "-x", "y" }, "--quiet [-x] [y]")]
    [InlineData(new[] { "-", "file" }, "[-] [file]")]
    public void Parses_values_and_flags_as_glib(string[] args, string expected) =>
        Assert.Equal(expected, Render(Spec.Parse(args)));

    [Theory]
    [InlineData(new[] { "--bogus" }, "Unknown option --bogus")]
    [InlineData(new[] { "--xml" }, "Unknown option --xml")]
    [InlineData(new[] { "-Z" }, "Unknown option -Z")]
    [InlineData(new[] { "-sZ" }, "Unknown option -Z")]
    [InlineData(new[] { "-x" }, "Missing argument for -x")]
    [InlineData(new[] { "-Q", "--xml-file" }, "Missing argument for --xml-file")]
    [InlineData(new[] { "--bogus", "-h" }, "Unknown option --bogus")]
    [InlineData(new[] { "--version", "--bogus" }, "Unknown option --bogus")]
    public void Reports_bad_command_lines_in_glib_wording(string[] args, string expected) =>
        Assert.Equal(expected, Render(Spec.Parse(args)));

    [Theory]
    [InlineData(new[] { "-h" }, "help:main")]
    [InlineData(new[] { "-?" }, "help:main")]
    [InlineData(new[] { "-Qh" }, "help:main")]
    [InlineData(new[] { "--help", "--bogus" }, "help:main")]
    [InlineData(new[] { "--help-all" }, "help:all")]
    [InlineData(new[] { "--help-synthetic" }, "help:synthetic")]
    [InlineData(new[] { "--version" }, "version")]
    [InlineData(new[] { "-$", "-Q" }, "version")]
    public void Recognises_help_and_version_anywhere(string[] args, string expected) =>
        Assert.Equal(expected, Render(Spec.Parse(args)));

    [Fact]
    public void Help_lists_the_main_group_and_names_the_others()
    {
        var help = Spec.HelpText(null);
        Assert.StartsWith("Usage:\n  prog [OPTION?]\n\nTest a parser\n", help, StringComparison.Ordinal);
        Assert.Contains("  --help-synthetic", help, StringComparison.Ordinal);
        Assert.Contains("  -x, --xml-file=FILE", help, StringComparison.Ordinal);
        Assert.DoesNotContain("--node-up", help, StringComparison.Ordinal);
        Assert.Contains("  -u, --node-up=NODE", Spec.HelpText("all"), StringComparison.Ordinal);
    }

    [Fact]
    public void Try_parse_prints_the_error_with_the_program_name_and_exits_64()
    {
        var err = new StringWriter();
        var context = new ToolContext(TextReader.Null, TextWriter.Null, err, _ => null);
        Assert.False(Spec.TryParse(context, ["-Z"], out _, out var code));
        Assert.Equal(64, code);
        Assert.Equal("prog: Unknown option -Z\n", err.ToString());
    }

    /// <summary>crm_mon-like: -h taken by an option, a hidden alias, a multi-line description, a hidden group.</summary>
    private static readonly GlibOptions Monitor = new("mon", "Show things",
    [
        new("as-html", 'h', GlibValue.Required, "Write HTML.\nUse --output-as=html instead.", "FILE", "deprecated"),
        new("one-shot", '1', GlibValue.None, "Once"),
        new("a-very-long-hidden-alias-name", 'x', GlibValue.Required, "", "FILE", Hidden: true),
        new("old-quiet", 'q', GlibValue.None, "", Group: "legacy", Hidden: true),
    ],
    [
        new GlibGroup("deprecated", "Deprecated Options:", "Show deprecated options"),
        new GlibGroup("legacy", "Legacy:", "Show legacy options", Hidden: true),
    ]);

    [Fact]
    public void A_tool_that_uses_h_lists_help_under_the_question_mark()
    {
        Assert.Equal("Missing argument for -h", Render(Monitor.Parse(["-h"])));
        Assert.Equal("help:main", Render(Monitor.Parse(["-?"])));
        Assert.Contains("\n  -?, --help ", Monitor.HelpText(null), StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_options_parse_but_are_never_listed_nor_widen_the_columns()
    {
        Assert.Equal("--a-very-long-hidden-alias-name=f --old-quiet", Render(Monitor.Parse(["-x", "f", "-q"])));
        var all = Monitor.HelpText("all");
        Assert.DoesNotContain("hidden-alias", all, StringComparison.Ordinal);
        Assert.DoesNotContain("legacy", all, StringComparison.Ordinal);
        // The widest shown synopsis is "-h, --as-html=FILE" (18): descriptions start at 2 + 18 + 5.
        Assert.Contains("\n  -1, --one-shot" + new string(' ', 23 - "-1, --one-shot".Length) + "Once\n", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_lines_after_the_first_are_indented_under_it()
    {
        Assert.Contains("  -h, --as-html=FILE     Write HTML.\n" + new string(' ', 25) + "Use --output-as=html instead.\n",
            Monitor.HelpText("deprecated"), StringComparison.Ordinal);
    }

    [Fact]
    public void One_groups_help_shows_that_group_without_the_help_options()
    {
        var help = Monitor.HelpText("deprecated");
        Assert.DoesNotContain("Help Options:", help, StringComparison.Ordinal);
        Assert.DoesNotContain("Application Options:", help, StringComparison.Ordinal);
        Assert.Contains("Deprecated Options:\n", help, StringComparison.Ordinal);
        // A hidden group answers --help-NAME with the usage alone.
        Assert.Equal("help:legacy", Render(Monitor.Parse(["--help-legacy"])));
        Assert.Equal("Usage:\n  mon [OPTION?]\n\nShow things\n\n", Monitor.HelpText("legacy"));
    }

    [Fact]
    public void The_usage_printed_for_a_missing_command_keeps_the_unicode_ellipsis()
    {
        Assert.StartsWith("Usage:\n  prog [OPTION\u2026]\n", Spec.UsageOnError(), StringComparison.Ordinal);
        Assert.StartsWith("Usage:\n  prog [OPTION?]\n", Spec.HelpText(null), StringComparison.Ordinal);
    }
}
