using System.Globalization;
using Cluster.TestSupport.Cib;

namespace Cluster.Bench;

/// <summary>Command-line entry: <c>gen</c>, <c>diff</c>, <c>sched</c>.</summary>
internal static class BenchMain
{
    private const string Usage = """
        usage: Bench <command> [options]
          gen  --seed N [--out FILE]                     write one random CIB (differential generator)
          gen  --large NODESxRESOURCES --history none|died [--out FILE]
          diff --seeds A..B [--ours PATH | --in-process yes] [--real PATH] [--jobs N] [--show N]
               [--write-agreeing FILE]
                                                         real vs our crm_simulate -S on generated CIBs
          sched [--sizes 16x200,32x1000,64x5000] [--histories none,died] [--timeout CPU-S]
                [--wall-timeout S] [--ours PATH] [--real PATH|none]
                                                         scheduler benchmark, ours vs real
          prof --file CIB [--repeat N]                   our crm_simulate -R -Q in process, timed by phase
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        var options = Options.Parse(args.AsSpan(1));
        try
        {
            return args[0] switch
            {
                "gen" => Generate(options),
                "diff" => await DiffCommand.RunAsync(options),
                "sched" => await SchedulerBenchmark.RunAsync(options),
                "prof" => ProfileCommand.Run(options),
                _ => Fail($"unknown command '{args[0]}'\n{Usage}"),
            };
        }
        catch (OptionException e)
        {
            return Fail(e.Message);
        }
    }

    private static int Generate(Options o)
    {
        string xml;
        if (o.Get("large") is { } large)
        {
            var (nodes, resources) = Options.ParseSize(large);
            var history = o.Get("history") switch
            {
                null or "none" => CibGenerator.LargeHistory.None,
                "died" => CibGenerator.LargeHistory.AllRunningOneNodeDied,
                var h => throw new OptionException($"--history: expected none or died, got '{h}'"),
            };
            xml = CibGenerator.Large(nodes, resources, history);
        }
        else
        {
            xml = CibGenerator.Random(o.GetInt("seed", 1));
        }
        if (o.Get("out") is { } path) File.WriteAllText(path, xml);
        else Console.Out.Write(xml);
        return 0;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("Bench: " + message);
        return 2;
    }
}

/// <summary>A bad command-line option; reported without a stack trace.</summary>
internal sealed class OptionException(string message) : Exception(message);

/// <summary><c>--name value</c> options.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new OptionException($"expected '--name value', got '{args[i]}'");
            o._values[args[i][2..]] = args[++i];
        }
        return o;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int fallback) =>
        Get(name) is { } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new OptionException($"--{name}: not an integer: '{v}'")
            : fallback;

    public (int From, int To) GetRange(string name, (int, int) fallback)
    {
        if (Get(name) is not { } v) return fallback;
        var parts = v.Split("..");
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var a)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var b) && a <= b)
            return (a, b);
        throw new OptionException($"--{name}: expected A..B, got '{v}'");
    }

    public static (int Nodes, int Resources) ParseSize(string text)
    {
        var parts = text.Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var n)
            && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var r) && n > 0 && r > 0)
            return (n, r);
        throw new OptionException($"expected NODESxRESOURCES (e.g. 16x200), got '{text}'");
    }
}
