using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.CommandLine;

/// <summary>
/// The command line of a Pacemaker tool, with the semantics of GLib's option parser as
/// Pacemaker uses it: <c>--name value</c>, <c>--name=value</c>, <c>-n value</c>, <c>-nvalue</c>,
/// bundled flags (<c>-VVV</c>, <c>-sSQ</c>; a letter that takes a value takes the rest of the word
/// or the next word), repeatable options, optional values, <c>--</c> ending options; every tool
/// gets <c>-h</c>/<c>-?</c>/<c>--help</c>, <c>--help-all</c>, <c>--help-GROUP</c>,
/// <c>-$</c>/<c>--version</c> and <c>-V</c>/<c>--verbose</c>. Errors use GLib's wording
/// ("Unknown option --bogus", "Missing argument for -x") and exit code 64 (CRM_EX_USAGE).
/// </summary>
public sealed class GlibOptions
{
    /// <summary>CRM_EX_USAGE: the exit code for a bad command line.</summary>
    public const int ExitUsage = 64;

    /// <summary>The Pacemaker release whose command lines and output these tools follow.</summary>
    public const string PacemakerVersion = "2.1.5";

    private static readonly GlibOption HelpOption = new("help", 'h', GlibValue.None, "Show help options");
    private static readonly GlibOption VersionOption = new("version", '$', GlibValue.None, "Display software version and exit");
    private static readonly GlibOption VerboseOption = new("verbose", 'V', GlibValue.None, "Increase debug output (may be specified multiple times)");

    private readonly List<GlibOption> _options;
    private readonly Dictionary<string, GlibOption> _byLong = new(StringComparer.Ordinal);
    private readonly Dictionary<char, GlibOption> _byShort = [];
    private readonly IReadOnlyList<GlibGroup> _groups;

    /// <param name="program">The tool's name, as errors and the usage line print it.</param>
    /// <param name="summary">The one line under "Usage:".</param>
    /// <param name="options">The tool's own options (help, version and verbose are added).</param>
    /// <param name="groups">Titles of the named groups the options use.</param>
    /// <param name="description">Paragraphs printed after the summary.</param>
    /// <param name="epilogue">Text printed after the options (examples), as given: with the blank lines
    /// the real tool ends on (two newlines after "Report bugs to ...", three after examples).</param>
    public GlibOptions(string program, string summary, IEnumerable<GlibOption> options,
        IReadOnlyList<GlibGroup>? groups = null, string? description = null, string? epilogue = null)
    {
        Program = program;
        Summary = summary;
        Description = description;
        Epilogue = epilogue;
        _groups = groups ?? [];
        _options = [VersionOption, VerboseOption, .. options];
        // A tool may use -h for its own option (GLib then leaves help to -? and --help).
        var declared = _options.Any(o => o.Short == 'h') ? _options : _options.Append(HelpOption);
        foreach (var option in declared)
        {
            // A hidden option may repeat a long name: it is a second letter for the same option (-Q and -q).
            if (!_byLong.TryAdd(option.Long, option) && !option.Hidden)
                throw new ArgumentException($"option --{option.Long} declared twice", nameof(options));
            if (option.Short is { } s && !_byShort.TryAdd(s, option))
                throw new ArgumentException($"option -{s} declared twice", nameof(options));
            if (option.Group is { Length: > 0 } g && !_groups.Any(x => x.Name == g))
                throw new ArgumentException($"option --{option.Long} names unknown group '{g}'", nameof(options));
        }
    }

    public string Program { get; }

    public string Summary { get; }

    public string? Description { get; }

    public string? Epilogue { get; }

    /// <summary>Parses <paramref name="args"/>; never throws on bad input (the outcome says what happened).</summary>
    public GlibArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var result = new GlibArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Operands.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!ParseLong(args, ref i, result))
                    return result;
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                if (!ParseShortGroup(args, ref i, result))
                    return result;
            }
            else
            {
                result.Operands.Add(arg);
            }
        }
        if (result.Has(VersionOption.Long))
            result.Outcome = GlibOutcome.Version;
        return result;
    }

    private bool ParseLong(IReadOnlyList<string> args, ref int i, GlibArguments result)
    {
        var arg = args[i];
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? arg[2..] : arg[2..eq];
        if (name == "help" || name == "help-all" || (name.StartsWith("help-", StringComparison.Ordinal) && _groups.Any(g => g.Name == name[5..])))
        {
            result.Outcome = GlibOutcome.Help;
            result.HelpGroup = name == "help" ? null : name[5..];
            return false;
        }
        if (!_byLong.TryGetValue(name, out var option))
            return Fail(result, $"Unknown option {arg}");
        string? value = eq < 0 ? null : arg[(eq + 1)..];
        // A flag given "=value" is taken as the flag (the value is dropped), as Pacemaker's tools do.
        if (option.Value != GlibValue.None && value is null)
        {
            if (!TakeNextWord(args, ref i, option, out value))
                return Fail(result, $"Missing argument for --{name}");
        }
        result.Add(option, option.Value == GlibValue.None ? null : value);
        return true;
    }

    private bool ParseShortGroup(IReadOnlyList<string> args, ref int i, GlibArguments result)
    {
        var arg = args[i];
        for (var j = 1; j < arg.Length; j++)
        {
            var letter = arg[j];
            if (letter == '?' || (letter == 'h' && _byShort.GetValueOrDefault('h') == HelpOption))
            {
                result.Outcome = GlibOutcome.Help;
                return false;
            }
            if (!_byShort.TryGetValue(letter, out var option))
                return Fail(result, $"Unknown option -{letter}");
            if (option.Value == GlibValue.None)
            {
                result.Add(option, null);
                continue;
            }
            // A letter that takes a value ends the group: the rest of the word is its value.
            if (j + 1 < arg.Length)
            {
                result.Add(option, arg[(j + 1)..]);
                return true;
            }
            if (!TakeNextWord(args, ref i, option, out var value))
                return Fail(result, $"Missing argument for -{letter}");
            result.Add(option, value);
            return true;
        }
        return true;
    }

    /// <summary>The value from the next word; false when a required value is missing.</summary>
    private static bool TakeNextWord(IReadOnlyList<string> args, ref int i, GlibOption option, out string? value)
    {
        value = null;
        var hasNext = i + 1 < args.Count;
        if (option.Value == GlibValue.Optional)
        {
            if (hasNext && !args[i + 1].StartsWith('-'))
                value = args[++i];
            return true;
        }
        if (!hasNext)
            return false;
        value = args[++i];
        return true;
    }

    private static bool Fail(GlibArguments result, string error)
    {
        result.Outcome = GlibOutcome.Error;
        result.Error = error;
        return false;
    }

    /// <summary>
    /// Parses and handles what every tool handles alike: prints help or the version (exit 0) or
    /// "PROGRAM: error" (exit 64). Returns true with the arguments when the tool should run.
    /// </summary>
    public bool TryParse(ToolContext context, IReadOnlyList<string> args, [NotNullWhen(true)] out GlibArguments? parsed, out int exitCode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = Parse(args);
        parsed = null;
        exitCode = 0;
        switch (result.Outcome)
        {
            case GlibOutcome.Help:
                context.Out.Write(HelpText(result.HelpGroup));
                return false;
            case GlibOutcome.Version:
                context.Out.Write(VersionText);
                return false;
            case GlibOutcome.Error:
                context.Err.WriteLine($"{Program}: {result.Error}");
                exitCode = ExitUsage;
                return false;
            default:
                parsed = result;
                return true;
        }
    }

    /// <summary>
    /// The help a tool prints on stderr when no command was given: GLib's text as the tool writes
    /// it without converting to the locale, so the usage line keeps its Unicode ellipsis.
    /// </summary>
    public string UsageOnError() => HelpText(null).Replace("[OPTION?]", "[OPTION\u2026]", StringComparison.Ordinal);

    /// <summary>What <c>--version</c> prints.</summary>
    public static string VersionText => $"Pacemaker {PacemakerVersion} (hacluster)\nWritten by the hacluster project contributors\n";

    /// <summary>
    /// GLib's help layout: usage, summary, description, "Help Options", then the application
    /// options (<paramref name="group"/> null), one group, or all groups and then the
    /// application options ("all"), then the epilogue.
    /// </summary>
    public string HelpText(string? group)
    {
        // GLib pads every synopsis to the longest shown one plus five.
        var width = _options.Append(HelpOption).Where(o => !o.Hidden).Select(o => o.Synopsis.Length)
            .Concat(_groups.Where(g => !g.Hidden).Select(g => $"--help-{g.Name}".Length)).Max() + 5;
        var text = new StringBuilder();
        text.Append($"Usage:\n  {Program} [OPTION?]\n\n{Summary}\n\n");
        if (Description is not null)
            text.Append(Description.TrimEnd('\n')).Append("\n\n");
        // One group's help (--help-NAME) shows that group alone, without the help options.
        if (group is null or "all")
        {
            text.Append("Help Options:\n");
            // A tool that uses -h itself (crm_mon's --as-html) leaves help to -?, and GLib lists that.
            Line(text, width, _byShort.GetValueOrDefault('h') == HelpOption ? "-h, --help" : "-?, --help", "Show help options");
            Line(text, width, "--help-all", "Show all help options");
            foreach (var g in _groups.Where(g => !g.Hidden))
                Line(text, width, $"--help-{g.Name}", g.HelpDescription);
            text.Append('\n');
        }
        foreach (var g in _groups.Where(g => group == "all" || group == g.Name))
            Section(text, width, g.Title, g.Name);
        if (group is null or "all")
            Section(text, width, "Application Options:", null);
        if (Epilogue is not null)
            text.Append(Epilogue);
        return text.ToString();
    }

    private void Section(StringBuilder text, int width, string title, string? group)
    {
        var shown = _options.Where(o => o.Group == group && !o.Hidden).ToList();
        // GLib leaves out a group with nothing to show (one of hidden aliases only).
        if (shown.Count == 0)
            return;
        text.Append(title).Append('\n');
        foreach (var option in shown)
            Line(text, width, option.Synopsis, option.Description);
        text.Append('\n');
    }

    private static void Line(StringBuilder text, int width, string synopsis, string description) =>
        text.Append("  ").Append(synopsis.PadRight(width))
            .Append(description.Replace("\n", "\n" + new string(' ', width + 2), StringComparison.Ordinal)).Append('\n');
}
