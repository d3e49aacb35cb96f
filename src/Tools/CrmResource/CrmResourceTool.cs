using System.Globalization;
using Cluster.Agents;
using Cluster.Agents.Discovery;
using Cluster.Agents.Invocation;
using Cluster.Agents.Metadata;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.CrmResource;

/// <summary>
/// crm_resource, the agent-running part: --force-start/stop/check/promote/demote and --validate
/// run one action of an agent given by --class/--provider/--agent and --option NAME=VALUE
/// (no CIB needed), print its result and output, and exit with its OCF code.
/// </summary>
public static class CrmResourceTool
{
    public static ToolEntry Entry { get; } = new("crm_resource", "run resource agent actions locally (--force-*, --validate)", RunAsync);

    /// <summary>crm_exit_t values used here.</summary>
    private const int ExitUsage = 64;
    private const int ExitNoSuchObject = 105;
    private const int ExitTimeout = 124;

    public static async Task<int> RunAsync(ToolContext context, string[] argv)
    {
        if (!CrmResourceArgs.Parser.TryParse(context, argv, out var parsed, out var usageExit))
            return usageExit;
        var (args, error) = CrmResourceArgs.From(parsed);
        if (args is null || args.Command is null)
        {
            context.Err.WriteLine($"crm_resource: {error ?? "no command given (try --force-start, --force-stop, --force-check, --validate)"}");
            return ExitUsage;
        }
        var invoker = AgentInvoker.FromEnvironment(context.GetEnv);
        switch (args.Command)
        {
            case "list-standards":
                foreach (var standard in new[] { "ocf", "lsb", "service", "stonith" })
                    context.Out.WriteLine(standard);
                return 0;
            case "list-ocf-providers":
                foreach (var provider in invoker.Catalog.OcfProviders())
                    context.Out.WriteLine(provider);
                return 0;
            case "list-agents":
                return ListAgents(context, invoker.Catalog, args.ListArgument);
            case "show-metadata":
                return await ShowMetadataAsync(context, invoker, args.MetadataAgent!).ConfigureAwait(false);
            case "list" or "locate" or "move" or "ban" or "clear" or "cleanup" or "refresh" or "why" or "restart" or "wait"
                or "set-parameter" or "get-parameter" or "delete-parameter":
                return CrmResourceCibCommands.Run(context, args);
        }

        var (agent, agentError) = AgentFromArgs(args);
        if (agent is null)
        {
            context.Err.WriteLine($"crm_resource: {agentError}");
            return ExitUsage;
        }
        var action = args.Command switch
        {
            "force-start" => "start",
            "force-stop" => "stop",
            "force-check" => "monitor",
            "force-promote" => "promote",
            "force-demote" => "demote",
            _ => args.ValidateAction ?? "validate-all",
        };
        if (args.Resource is { } resourceName && !AgentRequest.IsSafeResourceId(resourceName))
        {
            // The id reaches the agent as OCF_RESOURCE_INSTANCE, which agents put in file names.
            context.Err.WriteLine($"crm_resource: invalid resource name '{resourceName}': a resource id may not contain '/' or control characters, nor be '.' or '..'");
            return ExitUsage;
        }
        var timeout = TimeSpan.FromSeconds(20);
        if (args.Timeout is { } t && !PacemakerDuration.TryParse(t, out timeout))
        {
            context.Err.WriteLine($"crm_resource: invalid --timeout '{t}'");
            return ExitUsage;
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in args.Options)
            parameters[name] = value;
        var request = new AgentRequest(agent, action, args.Resource ?? agent.Type)
        {
            Parameters = parameters,
            Timeout = timeout,
        };
        var result = await invoker.InvokeAsync(request).ConfigureAwait(false);
        var exit = result.Status switch
        {
            ExecutionStatus.Done => result.Rc,
            ExecutionStatus.TimedOut => ExitTimeout,
            ExecutionStatus.NotInstalled => (int)OcfExitCode.ErrInstalled,
            _ => (int)OcfExitCode.ErrGeneric,
        };
        PrintResult(context, args, agent, result, exit);
        return exit;
    }

    private static (AgentId? Agent, string? Error) AgentFromArgs(CrmResourceArgs args)
    {
        if (args.Agent is null || args.ResourceClass is null)
        {
            return args.Resource is not null
                ? (null, "running an action of a configured resource (-r without --class/--agent) needs the CIB, which this build does not read yet; give --class, --provider and --agent")
                : (null, "--class and --agent are required (and --provider for ocf)");
        }
        if (!AgentStandardNames.TryParse(args.ResourceClass, out var standard))
            return (null, $"unknown resource class '{args.ResourceClass}' (ocf, lsb, service, stonith)");
        if (standard == AgentStandard.Ocf && args.Provider is null)
            return (null, "--provider is required for ocf agents");
        if (!AgentId.IsSafeName(args.Agent) || (args.Provider is not null && !AgentId.IsSafeName(args.Provider)))
            return (null, $"invalid agent name '{args.Agent}'");
        return (new AgentId(standard, standard == AgentStandard.Ocf ? args.Provider : null, args.Agent), null);
    }

    /// <summary>
    /// The real tool's layout: "Operation ACTION (AGENT) returned RC (DESC[: REASON])", then the
    /// agent's stdout and stderr as they came; on failure a closing line on stderr.
    /// </summary>
    private static void PrintResult(ToolContext context, CrmResourceArgs args, AgentId agent, AgentResult result, int exit)
    {
        var op = args.Command == "validate" ? "validate" : args.Command;
        var desc = result.Status switch
        {
            ExecutionStatus.Done => ResultClassifier.Describe(result.Rc),
            ExecutionStatus.TimedOut => "Timed Out",
            ExecutionStatus.NotInstalled => "not installed",
            _ => result.Status.ToString(),
        };
        var reason = result.ExitReason is { Length: > 0 } r ? $": {r}" : "";
        context.Out.WriteLine($"Operation {op} ({agent}) returned {result.Rc.ToString(CultureInfo.InvariantCulture)} ({desc}{reason})");
        if (result.StandardOutput.Length > 0)
            context.Out.WriteLine(result.StandardOutput);
        if (result.StandardError.Length > 0)
            context.Out.WriteLine(result.StandardError);
        if (exit != 0)
            context.Err.WriteLine($"crm_resource: Error performing operation: {ExitText(exit)}");
    }

    /// <summary>Pacemaker's crm_exit_str for the codes an agent action can end with.</summary>
    private static string ExitText(int exit) => exit switch
    {
        1 => "Error occurred",
        2 => "Invalid parameter",
        3 => "Unimplemented",
        4 => "Insufficient privileges",
        5 => "Not installed",
        6 => "Not configured",
        7 => "Not running",
        8 => "Promoted",
        9 => "Failed in promoted role",
        124 => "Timeout occurred",
        _ => "Error occurred",
    };

    /// <summary>As Pacemaker: provider by provider, types in byte order; a provider filter is "ocf:PROVIDER".</summary>
    private static int ListAgents(ToolContext context, AgentCatalog catalog, string? which)
    {
        IEnumerable<AgentId> agents = which switch
        {
            null or "ocf" => catalog.OcfAgents(),
            "lsb" or "service" => catalog.LsbAgents(),
            "stonith" => catalog.FenceAgents(),
            _ when which.StartsWith("ocf:", StringComparison.Ordinal) => catalog.OcfAgents(which[4..]),
            _ => [],
        };
        var types = agents.OrderBy(a => a.Provider ?? "", StringComparer.Ordinal)
            .ThenBy(a => a.Type, StringComparer.Ordinal)
            .Select(a => a.Type)
            .ToList();
        if (types.Count == 0)
        {
            var what = which is not null && which.StartsWith("ocf:", StringComparison.Ordinal)
                ? $"standard 'ocf' and provider '{which[4..]}'"
                : $"standard '{which}'";
            context.Err.WriteLine($"crm_resource: No agents found for {what}");
            context.Err.WriteLine("Error performing operation: Error occurred");
            return 1;
        }
        foreach (var type in types)
            context.Out.WriteLine(type);
        return 0;
    }

    private static async Task<int> ShowMetadataAsync(ToolContext context, AgentInvoker invoker, string name)
    {
        if (!AgentId.TryParse(name, out var agent, out var error))
        {
            context.Err.WriteLine($"crm_resource: {error}");
            return ExitUsage;
        }
        var action = agent!.Standard == AgentStandard.Stonith ? "metadata" : "meta-data";
        var result = await invoker.InvokeAsync(new AgentRequest(agent, action, agent.Type) { Timeout = TimeSpan.FromSeconds(30) })
            .ConfigureAwait(false);
        if (result.Status != ExecutionStatus.Done || result.Rc != 0)
        {
            context.Err.WriteLine($"crm_resource: Metadata query for {agent} failed: No such device or address");
            context.Err.WriteLine("Error performing operation: No such object");
            return ExitNoSuchObject;
        }
        context.Out.Write(result.StandardOutput);
        return 0;
    }
}
