using Cluster.Tools.Messaging;

namespace Cluster.EndToEnd.Tests.Config;

public class ShortOptionsTests
{
    private static readonly ShortOptions Spec = new("c:ftv", new Dictionary<string, char> { ["config"] = 'c', ["test"] = 't' });

    private static string Render(ShortOptions.Result result) =>
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
}
