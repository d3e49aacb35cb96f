using Cluster.Tools.CommandLine;

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
    public bool Force { get; init; }

    /// <summary>The commands this tool runs, by option name (at most one per call).</summary>
    private static readonly string[] Commands =
    [
        "force-start", "force-stop", "force-check", "force-promote", "force-demote",
        "list-standards", "list-ocf-providers", "list-agents", "show-metadata", "validate",
        "list", "locate", "move", "ban", "clear", "cleanup", "refresh", "why",
        "set-parameter", "get-parameter", "delete-parameter", "restart", "wait",
    ];

    /// <summary>The command line, with crm_resource 2.1.5's names, values and help groups.</summary>
    public static GlibOptions Parser { get; } = new("crm_resource", "crm_resource - perform tasks related to Pacemaker cluster resources",
    [
        new("quiet", 'Q', GlibValue.None, "Be less descriptive in output."),
        new("resource", 'r', GlibValue.Required, "Resource ID", "ID"),
        new("list", 'L', GlibValue.None, "List all cluster resources with status", Group: "queries"),
        new("locate", 'W', GlibValue.None, "Show node(s) currently running resource", Group: "queries"),
        new("why", 'Y', GlibValue.None, "Show why resources are not running, optionally filtered by --resource and/or --node", Group: "queries"),
        new("get-parameter", 'g', GlibValue.Required, "Display named parameter for resource (use instance attribute unless --meta or --utilization is specified)", "PARAM", "queries"),
        new("list-standards", null, GlibValue.None, "List supported standards", Group: "queries"),
        new("list-ocf-providers", null, GlibValue.None, "List all available OCF providers", Group: "queries"),
        new("list-agents", null, GlibValue.Required, "List all agents available for the named standard and/or provider", "STD:PROV", "queries"),
        new("show-metadata", null, GlibValue.Required, "Show the metadata for the named class:provider:agent", "SPEC", "queries"),
        new("cleanup", 'C', GlibValue.None, "If resource has any past failures, clear its history and fail count", Group: "commands"),
        new("refresh", 'R', GlibValue.None, "Delete resource's history (including failures) so its current state is rechecked", Group: "commands"),
        new("set-parameter", 'p', GlibValue.Required, "Set named parameter for resource (requires -v)", "PARAM", "commands"),
        new("delete-parameter", 'd', GlibValue.Required, "Delete named parameter for resource", "PARAM", "commands"),
        new("move", 'M', GlibValue.None, "Create a constraint to move resource", Group: "locations"),
        new("ban", 'B', GlibValue.None, "Create a constraint to keep resource off a node", Group: "locations"),
        new("clear", 'U', GlibValue.None, "Remove all constraints created by the --ban and/or --move commands", Group: "locations"),
        new("validate", null, GlibValue.Optional, "Validate resource configuration by calling agent's validate-all action", "LEVEL", "commands"),
        new("restart", null, GlibValue.None, "(Advanced) Tell the cluster to restart this resource and\nanything that depends on it", Group: "advanced"),
        new("wait", null, GlibValue.None, "(Advanced) Wait until the cluster settles into a stable state", Group: "advanced"),
        new("force-demote", null, GlibValue.None, "(Advanced) Bypass the cluster and demote a resource on the local node", Group: "advanced"),
        new("force-stop", null, GlibValue.None, "(Advanced) Bypass the cluster and stop a resource on the local node", Group: "advanced"),
        new("force-start", null, GlibValue.None, "(Advanced) Bypass the cluster and start a resource on the local node", Group: "advanced"),
        new("force-promote", null, GlibValue.None, "(Advanced) Bypass the cluster and promote a resource on the local node", Group: "advanced"),
        new("force-check", null, GlibValue.Optional, "(Advanced) Bypass the cluster and check the state of a resource on the local node", "LEVEL", "advanced"),
        new("node", 'N', GlibValue.Required, "Node name", "NAME", "additional"),
        new("parameter-value", 'v', GlibValue.Required, "Value to use with -p", "PARAM", "additional"),
        new("meta", 'm', GlibValue.None, "Use resource meta-attribute instead of instance attribute", Group: "additional"),
        new("lifetime", 'u', GlibValue.Required, "Lifespan (as ISO 8601 duration) of created constraints (with -B, -M)", "TIMESPEC", "additional"),
        new("force", 'f', GlibValue.None, "Force the action to be performed", Group: "additional"),
        new("class", null, GlibValue.Required, "The standard the resource agent conforms to (for example, ocf)", "CLASS", "additional"),
        new("agent", null, GlibValue.Required, "The agent to use (for example, IPaddr)", "AGENT", "additional"),
        new("provider", null, GlibValue.Required, "The vendor that supplies the resource agent (for example, heartbeat)", "PROVIDER", "additional"),
        new("option", null, GlibValue.Required, "Specify a device configuration parameter as NAME=VALUE (may be specified multiple times)", "PARAM", "additional"),
        new("timeout", 'T', GlibValue.Required, "(Advanced) Abort if command does not finish in this time (with\n--restart, --wait, --force-*)", "N", "additional"),
    ],
    [
        new("queries", "Queries:", "Show query help"),
        new("commands", "Commands:", "Show command help"),
        new("advanced", "Advanced Commands:", "Show advanced option help"),
        new("locations", "Locations:", "Show location help"),
        new("additional", "Additional Options:", "Show additional options"),
    ]);

    /// <summary>
    /// The arguments from a parsed command line; Error says why they cannot run (two commands,
    /// an --option that is not NAME=VALUE).
    /// </summary>
    public static (CrmResourceArgs? Args, string? Error) From(GlibArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var given = parsed.Given.Select(g => g.Option.Long).Where(Commands.Contains).Distinct().ToList();
        if (given.Count > 1)
            return (null, $"only one command at a time: {given[0]} and {given[1]}");
        var command = given.SingleOrDefault();
        var result = new CrmResourceArgs
        {
            Command = command,
            ValidateAction = command == "validate" ? parsed.Value("validate") : null,
            ResourceClass = parsed.Value("class"),
            Provider = parsed.Value("provider"),
            Agent = parsed.Value("agent"),
            Resource = parsed.Value("resource"),
            Timeout = parsed.Value("timeout"),
            MetadataAgent = parsed.Value("show-metadata"),
            ListArgument = parsed.Value("list-agents"),
            Verbosity = parsed.Verbosity,
            Node = parsed.Value("node"),
            ParameterName = parsed.Value("set-parameter") ?? parsed.Value("get-parameter") ?? parsed.Value("delete-parameter"),
            ParameterValue = parsed.Value("parameter-value"),
            Meta = parsed.Has("meta"),
            Lifetime = parsed.Value("lifetime"),
            Force = parsed.Has("force"),
        };
        foreach (var option in parsed.Values("option"))
        {
            var at = option.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
                return (null, $"--option must be NAME=VALUE, not '{option}'");
            result.Options.Add(new(option[..at], option[(at + 1)..]));
        }
        return (result, null);
    }
}
