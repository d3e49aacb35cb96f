using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests;

public class ToolDispatchTests
{
    private static (int Code, string Out, string Err) Run(string invokedAs, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new ToolContext(TextReader.Null, stdout, stderr, _ => null);
        var code = Program.Dispatch(invokedAs, args, context).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Unknown_tool_under_the_main_name_is_an_error_naming_it()
    {
        var (code, _, err) = Run("hacluster", "no-such-tool");
        Assert.Equal(2, code);
        Assert.Contains("unknown tool 'no-such-tool'", err, StringComparison.Ordinal);
    }

    [Fact]
    public void List_tools_prints_every_registered_name()
    {
        var (code, output, _) = Run("hacluster", "--list-tools");
        Assert.Equal(0, code);
        var names = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ToolRegistry.All.Keys.Order(StringComparer.Ordinal), names);
    }
}
