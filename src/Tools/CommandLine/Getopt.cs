namespace Cluster.Tools.CommandLine;

/// <summary>
/// A small getopt(3): short options from a spec like <c>"c:ftv"</c> (a colon marks an option
/// with an argument, given as <c>-cFILE</c> or <c>-c FILE</c>; flags may be bundled, <c>-tv</c>),
/// long options mapped to short ones, <c>--</c> ending options. Errors carry getopt's wording.
/// A tool that calls plain getopt (most corosync tools) reads an unknown <c>--name</c> as the
/// letters '-', 'n', ... and so reports "invalid option -- '-'"; one that calls getopt_long
/// (corosync-cfgtool, corosync-keygen) reports "unrecognized option '--name'". Shared by every
/// corosync tool.
/// </summary>
public sealed class Getopt
{
    private readonly string _spec;
    private readonly IReadOnlyDictionary<string, char> _long;
    private readonly bool _getoptLong;

    /// <param name="spec">Short options, a colon after each that takes an argument.</param>
    /// <param name="longOptions">Long names and the letter each stands for.</param>
    /// <param name="getoptLong">Whether the real tool calls getopt_long (changes the wording for an unknown --name).</param>
    public Getopt(string spec, IReadOnlyDictionary<string, char>? longOptions = null, bool getoptLong = false)
    {
        _spec = spec;
        _long = longOptions ?? new Dictionary<string, char>();
        _getoptLong = getoptLong;
    }

    /// <summary>One parsed option: its letter and argument (null for a flag).</summary>
    public sealed record Option(char Name, string? Argument);

    public sealed record Result(IReadOnlyList<Option> Options, IReadOnlyList<string> Operands, string? Error);

    private bool TakesArgument(char name) =>
        _spec.IndexOf(name, StringComparison.Ordinal) is var at and >= 0 && at + 1 < _spec.Length && _spec[at + 1] == ':';

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
                if (!_long.TryGetValue(name, out var letter))
                    return new Result(options, operands, _getoptLong ? $"{program}: unrecognized option '{arg}'" : $"{program}: invalid option -- '-'");
                if (TakesArgument(letter))
                {
                    if (eq >= 0)
                        options.Add(new Option(letter, arg[(eq + 1)..]));
                    else if (i + 1 < args.Count)
                        options.Add(new Option(letter, args[++i]));
                    else
                        return new Result(options, operands, $"{program}: option '--{name}' requires an argument");
                }
                else
                {
                    if (eq >= 0)
                        return new Result(options, operands, $"{program}: option '--{name}' doesn't allow an argument");
                    options.Add(new Option(letter, null));
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
                    options.Add(new Option(letter, null));
                    continue;
                }
                if (j + 1 < arg.Length)
                    options.Add(new Option(letter, arg[(j + 1)..]));
                else if (i + 1 < args.Count)
                    options.Add(new Option(letter, args[++i]));
                else
                    return new Result(options, operands, $"{program}: option requires an argument -- '{letter}'");
                break;
            }
        }
        return new Result(options, operands, null);
    }
}
