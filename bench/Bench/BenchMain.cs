using System.CommandLine;
using System.Globalization;
using Cluster.TestSupport.Cib;

namespace Cluster.Bench;

/// <summary>Command-line entry: <c>gen</c>, <c>diff</c>, <c>sched</c>.</summary>
internal static class BenchMain
{
    /// <summary>Each subcommand's options, all "--name value" strings read back through <see cref="Options"/>.</summary>
    private static readonly (string Name, string Description, (string Option, string Help)[] Options)[] Commands =
    [
        ("gen", "Write one random CIB (the differential generator) or a benchmark-sized one",
        [
            ("--seed", "generator seed (default 1)"), ("--large", "NODESxRESOURCES, e.g. 16x200"),
            ("--history", "with --large: none or died"), ("--out", "file to write (default stdout)"),
        ]),
        ("diff", "Real vs our crm_simulate -S on generated CIBs",
        [
            ("--seeds", "A..B"), ("--ours", "our crm_simulate"), ("--in-process", "yes: run ours in this process"),
            ("--real", "the real crm_simulate"), ("--jobs", "parallel runs"), ("--show", "mismatches to print"),
            ("--write-agreeing", "file listing the agreeing seeds"),
        ]),
        ("sched", "Scheduler benchmark, ours vs real",
        [
            ("--sizes", "e.g. 16x200,32x1000,64x5000"), ("--histories", "none,died"), ("--timeout", "CPU seconds per run"),
            ("--wall-timeout", "wall seconds per run"), ("--ours", "our crm_simulate"), ("--real", "the real crm_simulate, or none"),
        ]),
        ("prof", "Our crm_simulate -R -Q in process, timed by phase", [("--file", "CIB file"), ("--repeat", "runs")]),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Scheduler differential testing and benchmark (developer program)");
        foreach (var (name, description, optionSpecs) in Commands)
        {
            var options = optionSpecs.Select(o => new Option<string>(o.Option) { Description = o.Help }).ToList();
            var command = new Command(name, description);
            foreach (var option in options)
                command.Options.Add(option);
            command.SetAction(async (parsed, _) =>
            {
                var values = new Options();
                foreach (var option in options)
                {
                    if (parsed.GetValue(option) is { } value)
                        values.Set(option.Name[2..], value);
                }
                try
                {
                    return name switch
                    {
                        "gen" => Generate(values),
                        "diff" => await DiffCommand.RunAsync(values),
                        "sched" => await SchedulerBenchmark.RunAsync(values),
                        _ => ProfileCommand.Run(values),
                    };
                }
                catch (OptionException e)
                {
                    return Fail(e.Message);
                }
            });
            root.Subcommands.Add(command);
        }
        return await root.Parse(args).InvokeAsync();
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

/// <summary>A subcommand's <c>--name value</c> options, by name.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public void Set(string name, string value) => _values[name] = value;

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
