using System.Text;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var context = ToolContext.FromConsole();
        return await Dispatch(InvokedName(), args, context).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the tool named by how we were called (a symlink such as <c>corosync-keygen</c>), or
    /// <c>hacluster TOOL args...</c>.
    /// </summary>
    public static async Task<int> Dispatch(string invokedName, string[] args, ToolContext context)
    {
        if (ToolRegistry.All.TryGetValue(invokedName, out var direct))
            return await direct.Run(context, args).ConfigureAwait(false);

        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            PrintUsage(context.Out);
            return args.Length == 0 ? 1 : 0;
        }
        if (args[0] == "--list-tools")
        {
            foreach (var name in ToolRegistry.All.Keys.Order(StringComparer.Ordinal))
                context.Out.WriteLine(name);
            return 0;
        }
        if (ToolRegistry.All.TryGetValue(args[0], out var tool))
            return await tool.Run(context, args[1..]).ConfigureAwait(false);

        context.Err.WriteLine($"{ToolRegistry.MainName}: unknown tool '{args[0]}' (see '{ToolRegistry.MainName} --list-tools')");
        return 2;
    }

    private static void PrintUsage(TextWriter output)
    {
        output.WriteLine($"usage: {ToolRegistry.MainName} TOOL [ARGS...]   (or call through a link named after the tool)");
        output.WriteLine("tools:");
        foreach (var entry in ToolRegistry.All.Values.OrderBy(e => e.Name, StringComparer.Ordinal))
            output.WriteLine($"  {entry.Name,-22} {entry.Summary}");
    }

    /// <summary>
    /// The name we were invoked by. The apphost resolves symlinks before loading us, so
    /// argv[0] must be read from /proc/self/cmdline to see the link's name.
    /// </summary>
    private static string InvokedName()
    {
        try
        {
            var cmdline = File.ReadAllBytes("/proc/self/cmdline");
            var end = Array.IndexOf(cmdline, (byte)0);
            var argv0 = Encoding.UTF8.GetString(cmdline, 0, end < 0 ? cmdline.Length : end);
            return Path.GetFileName(argv0);
        }
        catch (IOException)
        {
            return ToolRegistry.MainName;
        }
        catch (UnauthorizedAccessException)
        {
            return ToolRegistry.MainName;
        }
    }
}
