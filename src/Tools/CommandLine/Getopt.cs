namespace Cluster.Tools.CommandLine;

/// <summary>
/// A small getopt(3): short options from a spec like <c>"c:ftv"</c> (a colon marks an option
/// with an argument, given as <c>-cFILE</c> or <c>-c FILE</c>; two colons an optional one, given
/// only as <c>-cFILE</c> or <c>--name=FILE</c>; flags may be bundled, <c>-tv</c>), long options
/// mapped to short ones, <c>--</c> ending options. Errors carry getopt's wording. getopt_long
/// also takes an unambiguous prefix of a long name (<c>--vers</c>) and names the candidates of
/// an ambiguous one, in the order the tool declares them.
/// A tool that calls plain getopt (most corosync tools) reads an unknown <c>--name</c> as the
/// letters '-', 'n', ... and so reports "invalid option -- '-'"; one that calls getopt_long
/// (corosync-cfgtool, corosync-keygen) reports "unrecognized option '--name'". Shared by every
/// corosync tool.
/// </summary>
public sealed class Getopt
{
    private readonly string _spec;
    private readonly List<KeyValuePair<string, char>> _long;
    private readonly bool _getoptLong;

    /// <param name="spec">Short options, a colon after each that takes an argument.</param>
    /// <param name="longOptions">Long names and the letter each stands for, in the tool's order (ambiguity messages list them so).</param>
    /// <param name="getoptLong">Whether the real tool calls getopt_long (changes the wording for an unknown --name, allows prefixes).</param>
    public Getopt(string spec, IEnumerable<KeyValuePair<string, char>>? longOptions = null, bool getoptLong = false)
    {
        _spec = spec;
        _long = [.. longOptions ?? []];
        _getoptLong = getoptLong;
    }

    /// <summary>One parsed option: its letter and argument (null for a flag).</summary>
    public sealed record Option(char Name, string? Argument)
    {
        /// <summary>getopt's optind once this option is read: the index of the next word not yet consumed.</summary>
        public int NextWord { get; init; }
    }

    public sealed record Result(IReadOnlyList<Option> Options, IReadOnlyList<string> Operands, string? Error);

    private bool TakesArgument(char name) =>
        _spec.IndexOf(name, StringComparison.Ordinal) is var at and >= 0 && at + 1 < _spec.Length && _spec[at + 1] == ':';

    private bool ArgumentIsOptional(char name) =>
        _spec.IndexOf(name, StringComparison.Ordinal) is var at and >= 0 && at + 2 < _spec.Length && _spec[at + 1] == ':' && _spec[at + 2] == ':';

    /// <summary>
    /// The long option <paramref name="name"/> stands for: an exact name, else (getopt_long) the one
    /// option every name it begins matches; null with the error otherwise.
    /// </summary>
    private (string? Name, char Letter, string? Error) FindLong(string name, string arg, string program)
    {
        foreach (var (longName, letter) in _long)
        {
            if (longName == name)
                return (longName, letter, null);
        }
        var candidates = _getoptLong ? _long.Where(l => l.Key.StartsWith(name, StringComparison.Ordinal)).ToList() : [];
        if (candidates.Count == 0)
            return (null, '\0', _getoptLong ? $"{program}: unrecognized option '{arg}'" : $"{program}: invalid option -- '-'");
        if (candidates.Select(c => c.Value).Distinct().Count() > 1)
        {
            var possibilities = string.Join(' ', candidates.Select(c => $"'--{c.Key}'"));
            return (null, '\0', $"{program}: option '--{name}' is ambiguous; possibilities: {possibilities}");
        }
        return (candidates[0].Key, candidates[0].Value, null);
    }

    private bool Knows(char name) => name != ':' && _spec.Contains(name, StringComparison.Ordinal);

    public Result Parse(IReadOnlyList<string> args, string program)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new List<Option>();
        var operands = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                operands.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? arg[2..] : arg[2..eq];
                var (found, letter, error) = FindLong(name, arg, program);
                if (found is null)
                    return new Result(options, operands, error);
                // getopt names the option as declared, even when a prefix was given.
                name = found;
                if (TakesArgument(letter))
                {
                    if (eq >= 0)
                        Add(letter, arg[(eq + 1)..], i + 1);
                    else if (ArgumentIsOptional(letter))
                        Add(letter, null, i + 1);
                    else if (i + 1 < args.Count)
                        Add(letter, args[++i], i + 1);
                    else
                        return new Result(options, operands, $"{program}: option '--{name}' requires an argument");
                }
                else
                {
                    if (eq >= 0)
                        return new Result(options, operands, $"{program}: option '--{name}' doesn't allow an argument");
                    Add(letter, null, i + 1);
                }
                continue;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                operands.Add(arg);
                continue;
            }
            for (var j = 1; j < arg.Length; j++)
            {
                var letter = arg[j];
                if (!Knows(letter))
                    return new Result(options, operands, $"{program}: invalid option -- '{letter}'");
                if (!TakesArgument(letter))
                {
                    // Inside a bundle (-aQ) getopt has not moved past the word yet.
                    Add(letter, null, j + 1 < arg.Length ? i : i + 1);
                    continue;
                }
                if (j + 1 < arg.Length)
                    Add(letter, arg[(j + 1)..], i + 1);
                else if (ArgumentIsOptional(letter))
                    Add(letter, null, i + 1);
                else if (i + 1 < args.Count)
                    Add(letter, args[++i], i + 1);
                else
                    return new Result(options, operands, $"{program}: option requires an argument -- '{letter}'");
                break;
            }
        }
        return new Result(options, operands, null);

        void Add(char letter, string? argument, int next) => options.Add(new Option(letter, argument) { NextWord = next });
    }
}
