namespace Cluster.Tools.CrmResource;

/// <summary>The crm_resource options this tool understands (the agent-running subset).</summary>
public sealed record CrmResourceArgs
{
    public string? Command { get; init; }
    public string? ValidateAction { get; init; }
    public string? ResourceClass { get; init; }
    public string? Provider { get; init; }
    public string? Agent { get; init; }
    public string? Resource { get; init; }
    public string? Timeout { get; init; }
    public string? MetadataAgent { get; init; }
    public string? ListArgument { get; init; }
    public List<KeyValuePair<string, string>> Options { get; } = [];
    public int Verbosity { get; init; }
    public string? Node { get; init; }
    public string? ParameterName { get; init; }
    public string? ParameterValue { get; init; }
    public bool Meta { get; init; }
    public string? Lifetime { get; init; }

    private static readonly Dictionary<string, string> Commands = new(StringComparer.Ordinal)
    {
        ["--force-start"] = "force-start",
        ["--force-stop"] = "force-stop",
        ["--force-check"] = "force-check",
        ["--force-promote"] = "force-promote",
        ["--force-demote"] = "force-demote",
        ["--list-standards"] = "list-standards",
        ["--list-ocf-providers"] = "list-ocf-providers",
        ["--list-agents"] = "list-agents",
        ["--show-metadata"] = "show-metadata",
        ["--validate"] = "validate",
        ["--list"] = "list",
        ["-L"] = "list",
        ["--locate"] = "locate",
        ["-W"] = "locate",
        ["--move"] = "move",
        ["-M"] = "move",
        ["--ban"] = "ban",
        ["-B"] = "ban",
        ["--clear"] = "clear",
        ["-U"] = "clear",
        ["--cleanup"] = "cleanup",
        ["-C"] = "cleanup",
        ["--refresh"] = "refresh",
        ["-R"] = "refresh",
        ["--why"] = "why",
        ["-Y"] = "why",
        ["--set-parameter"] = "set-parameter",
        ["-p"] = "set-parameter",
        ["--get-parameter"] = "get-parameter",
        ["-g"] = "get-parameter",
        ["--delete-parameter"] = "delete-parameter",
        ["-d"] = "delete-parameter",
    };

    /// <summary>Parses GLib-style options: "--name value", "--name=value", "-r value".</summary>
    public static (CrmResourceArgs? Args, string? Error) Parse(IReadOnlyList<string> argv)
    {
        var result = new CrmResourceArgs();
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string? Value()
            {
                if (inline is not null)
                    return inline;
                return i + 1 < argv.Count ? argv[++i] : null;
            }
            if (arg is "-V" or "--verbose")
            {
                result = result with { Verbosity = result.Verbosity + 1 };
                continue;
            }
            if (Commands.TryGetValue(arg, out var command))
            {
                if (result.Command is not null && result.Command != command)
                    return (null, $"only one command at a time: {result.Command} and {command}");
                result = result with { Command = command };
                if (command == "validate" && inline is not null)
                    result = result with { ValidateAction = inline };
                if (command is "set-parameter" or "get-parameter" or "delete-parameter")
                {
                    result = result with { ParameterName = Value() ?? Missing(arg) };
                    continue;
                }
                if (command is "show-metadata" or "list-agents" or "list-ocf-providers")
                {
                    var optional = command != "show-metadata";
                    if (inline is null && (optional ? i + 1 < argv.Count && !argv[i + 1].StartsWith('-') : true))
                        inline = Value();
                    if (inline is null && !optional)
                        return (null, $"{arg} requires an argument");
                    result = command == "show-metadata" ? result with { MetadataAgent = inline } : result with { ListArgument = inline };
                }
                continue;
            }
            switch (arg)
            {
                case "--class":
                    result = result with { ResourceClass = Value() ?? Missing(arg) };
                    break;
                case "--provider":
                    result = result with { Provider = Value() ?? Missing(arg) };
                    break;
                case "--agent":
                    result = result with { Agent = Value() ?? Missing(arg) };
                    break;
                case "-r" or "--resource":
                    result = result with { Resource = Value() ?? Missing(arg) };
                    break;
                case "-N" or "--node":
                    result = result with { Node = Value() ?? Missing(arg) };
                    break;
                case "-v" or "--parameter-value":
                    result = result with { ParameterValue = Value() ?? Missing(arg) };
                    break;
                case "-m" or "--meta":
                    result = result with { Meta = true };
                    break;
                case "-u" or "--lifetime":
                    result = result with { Lifetime = Value() ?? Missing(arg) };
                    break;
                case "-Q" or "--quiet" or "--force":
                    break;
                case "--timeout":
                    result = result with { Timeout = Value() ?? Missing(arg) };
                    break;
                case "--option":
                    var option = Value() ?? Missing(arg);
                    var at = option.IndexOf('=');
                    if (at <= 0)
                        return (null, $"--option must be NAME=VALUE, not '{option}'");
                    result.Options.Add(new(option[..at], option[(at + 1)..]));
                    break;
                default:
                    return (null, $"unknown option '{argv[i]}'");
            }
        }
        return (result, null);

        static string Missing(string name) => throw new ArgumentException($"{name} requires an argument");
    }
}
