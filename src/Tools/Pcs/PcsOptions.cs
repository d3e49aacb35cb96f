namespace Cluster.Tools.Pcs;

/// <summary>
/// pcs global flags (accepted anywhere on the command line, as pcs does). Parsing is one step
/// apart from running so the shared option parser can take it over.
/// </summary>
public sealed record PcsOptions(bool Full, bool Force, bool Debug, string? CibFile, bool NoDescription)
{
    /// <summary>Flags without a value that some command reads (--all, --disabled, --no-default-ops, ...).</summary>
    public IReadOnlySet<string> Flags { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Options with a value (--group G, --corosync_conf F, --wait=N, ...).</summary>
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool Has(string flag) => Flags.Contains(flag);

    public string? Value(string name) => Values.GetValueOrDefault(name);

    private static readonly HashSet<string> KnownFlags =
    [
        "--all", "--disabled", "--no-default-ops", "--config", "--yaml", "--dry-run", "--autodelete", "--defaults",
        "--off", "--wait", "--clone", "--promotable", "--master", "--safe", "--no-strict", "--quiet", "--local",
    ];

    private static readonly HashSet<string> ValuedOptions = ["--group", "--before", "--after", "--corosync_conf", "--name", "--output-format"];

    /// <summary>Splits global flags from the positional words.</summary>
    public static (PcsOptions Options, List<string> Words, string? Error) Parse(string[] args)
    {
        bool full = false, force = false, debug = false, nodesc = false;
        string? cib = null;
        var words = new List<string>();
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--full": full = true; break;
                case "--force": force = true; break;
                case "--debug": debug = true; break;
                case "--nodesc": nodesc = true; break;
                case "-f":
                    if (i + 1 >= args.Length)
                        return (Empty, words, "option -f requires an argument");
                    cib = args[++i];
                    break;
                case "--":
                    words.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        var eq = arg.IndexOf('=');
                        var name = eq > 0 ? arg[..eq] : arg;
                        if (ValuedOptions.Contains(name))
                        {
                            if (eq > 0) values[name] = arg[(eq + 1)..];
                            else if (i + 1 < args.Length) values[name] = args[++i];
                            else return (Empty, words, $"option {name} requires an argument");
                            break;
                        }
                        if (KnownFlags.Contains(name))
                        {
                            flags.Add(name);
                            if (eq > 0) values[name] = arg[(eq + 1)..];
                            break;
                        }
                        if (name is not "--help")
                            return (Empty, words, $"option '{name}' not recognized");
                    }
                    words.Add(arg);
                    break;
            }
        }
        return (new PcsOptions(full, force, debug, cib, nodesc) { Flags = flags, Values = values }, words, null);
    }

    public static PcsOptions Empty { get; } = new(false, false, false, null, false);
}
