namespace Cluster.Tools.CommandLine;

/// <summary>What a GLib-style parse ended in.</summary>
public enum GlibOutcome
{
    /// <summary>Options parsed; the tool runs.</summary>
    Run,

    /// <summary><c>-h</c>, <c>-?</c>, <c>--help</c>, <c>--help-all</c> or <c>--help-GROUP</c>: print help, exit 0.</summary>
    Help,

    /// <summary><c>-$</c> / <c>--version</c>: print the version, exit 0.</summary>
    Version,

    /// <summary>Unknown option or missing value: print the error, exit 64.</summary>
    Error,
}

/// <summary>
/// The options a Pacemaker tool was given, in command-line order, read back by long name.
/// </summary>
public sealed class GlibArguments
{
    private readonly List<(GlibOption Option, string? Value)> _given = [];

    public GlibOutcome Outcome { get; internal set; } = GlibOutcome.Run;

    /// <summary>For <see cref="GlibOutcome.Error"/>: GLib's wording without the program name ("Unknown option -Z").</summary>
    public string? Error { get; internal set; }

    /// <summary>For <see cref="GlibOutcome.Help"/>: null for <c>--help</c>, "all", or a group's name.</summary>
    public string? HelpGroup { get; internal set; }

    /// <summary>Words that are not options (and everything after <c>--</c>).</summary>
    public List<string> Operands { get; } = [];

    /// <summary>Every option given, in order, with its value (null for flags and absent optional values).</summary>
    public IReadOnlyList<(GlibOption Option, string? Value)> Given => _given;

    internal void Add(GlibOption option, string? value) => _given.Add((option, value));

    public bool Has(string longName) => _given.Exists(g => g.Option.Long == longName);

    /// <summary>How many times the option was given (<c>-VVV</c> is 3).</summary>
    public int Count(string longName) => _given.Count(g => g.Option.Long == longName);

    /// <summary>The last value given for the option (GLib keeps the last of a repeated string option).</summary>
    public string? Value(string longName) => _given.FindLast(g => g.Option.Long == longName).Value;

    /// <summary>Every value given for a repeatable option, in order.</summary>
    public IReadOnlyList<string> Values(string longName) =>
        [.. _given.Where(g => g.Option.Long == longName && g.Value is not null).Select(g => g.Value!)];

    /// <summary><c>-V</c> repeats: the Pacemaker tools' verbosity.</summary>
    public int Verbosity => Count("verbose");
}
