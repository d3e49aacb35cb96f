namespace Cluster.Tools.Pcs;

/// <summary>pcs global options (accepted anywhere on the command line, as pcs does).</summary>
public sealed record PcsOptions(bool Full, bool Force, bool Debug, string? CibFile, bool NoDescription)
{
    /// <summary>Options without a value that were given (--all, --disabled, -h, ...).</summary>
    public IReadOnlySet<string> Flags { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Options with a value (--group G, --corosync_conf F, --wait=N, ...), by name with its dashes.</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Negative numbers read as words without a <c>--</c> before them (pcs warns that this is deprecated).</summary>
    public IReadOnlyList<string> BareNegativeNumbers { get; init; } = [];

    public bool Has(string flag) => Flags.Contains(flag);

    public string? Value(string name) => Values.GetValueOrDefault(name);

    /// <summary>-h and -f FILE, and pcs's -p/-u for host auth (accepted, unused here).</summary>
    private const string ShortOptions = "hf:p:u:";

    /// <summary>pcs 0.11.5's long options in its order; a trailing '=' marks one with a value.</summary>
    private static readonly string[] LongOptions =
    [
        "debug", "version", "help", "fullhelp", "force", "skip-offline", "autodelete", "simulate", "all", "full", "local",
        "wait", "config", "start", "enable", "disabled", "off", "request-timeout=", "brief", "safe", "no-strict", "strict",
        "pacemaker", "corosync", "no-default-ops", "defaults", "nodesc", "master", "promoted", "name=", "group=", "node=",
        "from=", "to=", "after=", "before=", "corosync_conf=", "booth-conf=", "booth-key=", "no-watchdog-validation",
        "no-cluster-uuid", "no-keys-sync", "hide-inactive", "monitor", "groups", "expired", "no-expire-check", "overwrite",
        "output-format=", "token=", "agent-validation",
        // Not in pcs 0.11.5: the declarative cluster file's (cluster config export --yaml / apply --dry-run).
        "yaml", "dry-run",
    ];

    /// <summary>
    /// Splits global options from the positional words as pcs 0.11.5 does (Python's gnu_getopt):
    /// options anywhere, <c>--</c> ending them, unambiguous prefixes of long names, and, unless
    /// <c>--</c> is given, negative numbers ("-100", "-INFINITY") kept as words. Errors carry
    /// getopt's wording ("option --bogus not recognized").
    /// </summary>
    public static (PcsOptions Options, List<string> Words, string? Error) Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var words = new List<string>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? cib = null;
        // pcs sets bare negative numbers aside before getopt sees the line (and warns even when the
        // line then fails): a word like "-100" or "-INFINITY", unless it is an option's value.
        var negativeAt = args.Contains("--") ? [] : Enumerable.Range(0, args.Length)
            .Where(i => IsNegativeNumber(args[i]) && (i == 0 || !ExpectsValue(args[i - 1]))).ToHashSet();
        var negatives = negativeAt.Order().Select(i => args[i]).ToList();
        var failed = Empty with { BareNegativeNumbers = negatives };
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                words.AddRange(args[(i + 1)..]);
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                // pcs reads --wait=N itself before getopt sees it.
                if (arg.StartsWith("--wait=", StringComparison.Ordinal) && arg.Length > 7)
                {
                    flags.Add("--wait");
                    values["--wait"] = arg[7..];
                    continue;
                }
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var given = eq < 0 ? arg[2..] : arg[2..eq];
                var (name, takesValue, error) = FindLong(given);
                if (error is not null)
                    return (failed, words, error);
                if (takesValue)
                {
                    if (eq >= 0)
                        values["--" + name] = arg[(eq + 1)..];
                    else if (i + 1 < args.Length)
                        values["--" + name] = args[++i];
                    else
                        return (failed, words, $"option --{name} requires argument");
                }
                else
                {
                    if (eq >= 0)
                        return (failed, words, $"option --{name} must not have an argument");
                    flags.Add("--" + name);
                }
                continue;
            }
            if (negativeAt.Contains(i))
            {
                words.Add(arg);
                continue;
            }
            if (arg.Length < 2 || arg[0] != '-')
            {
                words.Add(arg);
                continue;
            }
            for (var j = 1; j < arg.Length; j++)
            {
                var letter = arg[j];
                var at = ShortOptions.IndexOf(letter, StringComparison.Ordinal);
                if (at < 0 || letter == ':')
                    return (failed, words, $"option -{letter} not recognized");
                if (at + 1 < ShortOptions.Length && ShortOptions[at + 1] == ':')
                {
                    string value;
                    if (j + 1 < arg.Length)
                        value = arg[(j + 1)..];
                    else if (i + 1 < args.Length)
                        value = args[++i];
                    else
                        return (failed, words, $"option -{letter} requires argument");
                    if (letter == 'f')
                        cib = value;
                    else
                        values["-" + letter] = value;
                    break;
                }
                flags.Add("-" + letter);
            }
        }
        var options = new PcsOptions(flags.Contains("--full"), flags.Contains("--force"), flags.Contains("--debug"), cib, flags.Contains("--nodesc"))
        {
            Flags = flags,
            Values = values,
            BareNegativeNumbers = negatives,
        };
        return (options, words, null);
    }

    /// <summary>Python getopt's long-name lookup: exact, else the one name it is a prefix of.</summary>
    private static (string Name, bool TakesValue, string? Error) FindLong(string given)
    {
        var candidates = LongOptions.Where(o => o.StartsWith(given, StringComparison.Ordinal)).ToList();
        if (candidates.Count == 0)
            return (given, false, $"option --{given} not recognized");
        if (candidates.Contains(given))
            return (given, false, null);
        if (candidates.Contains(given + "="))
            return (given, true, null);
        if (candidates.Count > 1)
            return (given, false, $"option --{given} not a unique prefix");
        var only = candidates[0];
        return only.EndsWith('=') ? (only[..^1], true, null) : (only, false, null);
    }

    /// <summary>An exact option name that takes a value ("-f", "--group"): the next word is its value.</summary>
    private static bool ExpectsValue(string arg) =>
        (arg.Length == 2 && arg[0] == '-' && ShortOptions.Contains(arg[1] + ":", StringComparison.Ordinal))
        || (arg.Length > 2 && arg.StartsWith("--", StringComparison.Ordinal) && LongOptions.Contains(arg[2..] + "="));

    /// <summary>pcs's "negative number": '-' then digits, "infinity" (any case), or anything float() reads.</summary>
    private static bool IsNegativeNumber(string arg) =>
        arg.StartsWith('-') && (arg[1..].All(char.IsAsciiDigit) && arg.Length > 1 || arg[1..].Equals("infinity", StringComparison.OrdinalIgnoreCase)
            || double.TryParse(arg, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _));

    public static PcsOptions Empty { get; } = new(false, false, false, null, false);
}
