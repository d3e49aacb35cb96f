using Cluster.Tools.CommandLine;

namespace Cluster.EndToEnd.Tests.CommandLine;

public class GetoptTests
{
    private static readonly Getopt Spec = new("c:ftv", new Dictionary<string, char> { ["config"] = 'c', ["test"] = 't' }, getoptLong: true);

    private static readonly Getopt Plain = new("c:ftv", new Dictionary<string, char> { ["config"] = 'c' });

    private static string Render(Getopt.Result result) =>
        result.Error ?? string.Join(" ", result.Options.Select(o => o.Argument is null ? $"-{o.Name}" : $"-{o.Name}={o.Argument}").Concat(result.Operands.Select(o => $"[{o}]")));

    [Theory]
    [InlineData(new[] { "-t", "-c", "a.conf" }, "-t -c=a.conf")]
    [InlineData(new[] { "-tc", "a.conf" }, "-t -c=a.conf")]
    [InlineData(new[] { "-ca.conf", "-v" }, "-c=a.conf -v")]
    [InlineData(new[] { "--config=a.conf", "--test" }, "-c=a.conf -t")]
    [InlineData(new[] { "--config", "a.conf" }, "-c=a.conf")]
    [InlineData(new[] { "x", "--", "-t" }, "[x] [-t]")]
    [InlineData(new[] { "-x" }, "prog: invalid option -- 'x'")]
    [InlineData(new[] { "-c" }, "prog: option requires an argument -- 'c'")]
    [InlineData(new[] { "--nope" }, "prog: unrecognized option '--nope'")]
    [InlineData(new[] { "--test=1" }, "prog: option '--test' doesn't allow an argument")]
    public void Parses_like_getopt_long(string[] args, string expected)
    {
        Assert.Equal(expected, Render(Spec.Parse(args, "prog")));
    }

    [Theory]
    [InlineData(new[] { "--help" }, "prog: invalid option -- '-'")]
    [InlineData(new[] { "-tfh" }, "prog: invalid option -- 'h'")]
    [InlineData(new[] { "--config", "a.conf", "-t" }, "-c=a.conf -t")]
    public void Plain_getopt_reads_an_unknown_long_name_as_letters(string[] args, string expected)
    {
        Assert.Equal(expected, Render(Plain.Parse(args, "prog")));
    }

    /// <summary>cibadmin-like: long names sharing prefixes, in declaration order, and an optional value.</summary>
    private static readonly Getopt Prefixed = new("x:X:A:56S::a", new KeyValuePair<string, char>[]
    {
        new("md5-sum", '5'), new("md5-sum-versioned", '6'), new("show-access", 'S'), new("empty", 'a'),
        new("xml-text", 'X'), new("xml-file", 'x'), new("xpath", 'A'),
    }, getoptLong: true);

    [Theory]
    [InlineData(new[] { "--xml-t", "<cib/>" }, "-X=<cib/>")]
    [InlineData(new[] { "--xp=//nvpair" }, "-A=//nvpair")]
    [InlineData(new[] { "--md5-sum" }, "-5")]
    [InlineData(new[] { "--md5-sum-v" }, "-6")]
    [InlineData(new[] { "--x" }, "prog: option '--x' is ambiguous; possibilities: '--xml-text' '--xml-file' '--xpath'")]
    [InlineData(new[] { "--md5" }, "prog: option '--md5' is ambiguous; possibilities: '--md5-sum' '--md5-sum-versioned'")]
    [InlineData(new[] { "--xml-f" }, "prog: option '--xml-file' requires an argument")]
    [InlineData(new[] { "--emp=1" }, "prog: option '--empty' doesn't allow an argument")]
    public void Getopt_long_takes_an_unambiguous_prefix_and_lists_the_candidates_of_an_ambiguous_one(string[] args, string expected)
    {
        Assert.Equal(expected, Render(Prefixed.Parse(args, "prog")));
    }

    [Theory]
    [InlineData(new[] { "-S" }, "-S")]
    [InlineData(new[] { "-Scolor" }, "-S=color")]
    [InlineData(new[] { "-S", "color" }, "-S [color]")]
    [InlineData(new[] { "--show-access=text" }, "-S=text")]
    [InlineData(new[] { "--show-access", "text" }, "-S [text]")]
    public void An_optional_value_is_only_taken_from_the_same_word(string[] args, string expected)
    {
        Assert.Equal(expected, Render(Prefixed.Parse(args, "prog")));
    }

    [Fact]
    public void Each_option_records_the_next_word_getopt_would_read()
    {
        var result = Prefixed.Parse(["-X", "<cib/>", "-a", "pacemaker-3.0", "-5a"], "prog");
        Assert.Equal([2, 3, 4, 5], result.Options.Select(o => o.NextWord));
    }
}
