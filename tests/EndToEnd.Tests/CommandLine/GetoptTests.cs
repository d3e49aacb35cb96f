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
}
