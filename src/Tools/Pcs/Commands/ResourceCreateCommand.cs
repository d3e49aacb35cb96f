using System.Xml.Linq;
using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Agents.Metadata;
using Cluster.Crm.Cib;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// <c>pcs resource create</c> and <c>pcs stonith create</c>: the agent's metadata decides which
/// options are allowed and required (pcs's messages; --force turns them into warnings).
/// </summary>
public static class ResourceCreateCommand
{
    public static PcsCommand Resource { get; } = new(["resource", "create"],
        "resource create <id> [<standard>:[<provider>:]]<type> [options] [op ...] [meta ...] [clone|promotable] [--group G] [--disabled]",
        inv => CreateAsync(inv, stonith: false));

    public static PcsCommand Stonith { get; } = new(["stonith", "create"],
        "stonith create <id> <fence agent> [options] [op ...] [meta ...] [--disabled]",
        inv => CreateAsync(inv, stonith: true));

    private static async Task<int> CreateAsync(PcsInvocation inv, bool stonith)
    {
        if (inv.Args.Count < 2)
            return inv.Usage(stonith ? "usage: pcs stonith create <stonith id> <stonith device type> [options]"
                : "usage: pcs resource create <resource id> [<standard>:[<provider>:]]<type> [options]");
        var id = inv.Args[0];
        var agentName = inv.Args[1];
        var (spec, parseError) = ResourceSpec.Parse(inv.Args.Skip(2));
        if (spec is null)
            return inv.Usage(parseError!);
        var group = inv.Options.Value("--group");
        if (group is not null && spec.CloneKind is not null)
            return inv.Usage("you can specify only one of clone, promotable, bundle or --group");
        if (PcsCib.IdError(id, stonith ? "stonith id" : "resource id") is { } idError)
            return inv.FailAll([idError]);

        var invoker = AgentInvoker.FromEnvironment(inv.Context.GetEnv);
        AgentId? agent;
        if (stonith)
        {
            var type = agentName.StartsWith("stonith:", StringComparison.Ordinal) ? agentName["stonith:".Length..] : agentName;
            if (!AgentId.IsSafeName(type) || type.Contains(':'))
                return inv.FailAll([$"Invalid stonith agent name '{agentName}'. List of agents can be obtained by using command 'pcs stonith list'. Do not use the 'stonith:' prefix. Agent name cannot contain the ':' character."]);
            agent = new AgentId(AgentStandard.Stonith, null, type);
        }
        else
        {
            var (resolved, note, error) = AgentNameResolver.Resolve(agentName, invoker.Catalog);
            if (resolved is null)
            {
                if (agentName.Contains(':'))
                    error = $"Invalid resource agent name '{agentName}'. Use standard:provider:type when standard is 'ocf' or standard:type otherwise. "
                            + "List of standards and providers can be obtained by using commands 'pcs resource standards' and 'pcs resource providers'.";
                return inv.FailAll([error!]);
            }
            if (resolved.Standard == AgentStandard.Stonith)
                return inv.FailAll([$"Type of agent '{resolved}' is not 'resource', use 'pcs stonith create'"]);
            if (note is not null) inv.Err.WriteLine(note);
            agent = resolved;
        }

        var (metadata, why) = await invoker.GetMetadataAsync(agent).ConfigureAwait(false);
        var errors = new List<string>();
        var warnings = new List<string>();
        void Problem(string message, bool forceable = true)
        {
            if (!forceable) errors.Add(message);
            else if (inv.Options.Force) warnings.Add(message);
            else errors.Add(Pcs.Forceable(message));
        }
        // One CIB session for the checks and the write: the checks that need the CIB (the id, the
        // unique parameters) run in pcs's order among the others, and only a clean run writes.
        return PcsCibSession.Edit(inv, cib =>
        {
            if (metadata is null)
            {
                var detail = why == "not installed"
                    ? $"crm_resource: Metadata query for {agent} failed: No such device or address, Error performing operation: No such object"
                    : why;
                Problem($"Agent '{(stonith ? agent.Type : agent.ToString())}' is not installed or does not provide valid metadata: {detail}");
                if (errors.Count > 0) return inv.FailAll(errors);
                if (IdTaken(inv, cib, id, warnings) is { } taken) return taken;
            }
            else
            {
                // pcs 0.11.5 checks promotable first, then operation names, stopping at the first that fails.
                // Only an OCF 1.1 agent says whether it can be promoted (promote and demote actions).
                if (spec.CloneKind == "promotable" && metadata.Version == "1.1" && (metadata.Action("promote") is null || metadata.Action("demote") is null))
                {
                    Problem($"Clone option 'promotable' is not compatible with '{agent}' resource agent");
                    if (errors.Count > 0) return inv.FailAll(errors);
                }
                // Then the new id, alone, before the operations and options.
                if (IdTaken(inv, cib, id, warnings) is { } taken) return taken;
                if (!stonith)
                {
                    var known = metadata.Actions.Select(a => a.Name).Order(StringComparer.Ordinal).ToList();
                    foreach (var op in spec.Operations.Where(o => !known.Contains(o.Name)))
                        Problem($"'{op.Name}' is not a valid operation name value, use {string.Join(", ", known.Select(k => $"'{k}'"))}");
                    if (errors.Count > 0) return inv.FailAll(errors);
                }
                CheckOptions(metadata, spec.Instance, stonith, agent, Problem);
            }
            // Operation values are stored as given, as pcs 0.11.5 does (err-pcs-resource-create-bad-op.txt).
            var cloneId = spec.CloneKind is null ? null : spec.CloneId ?? $"{id}-clone";
            if (cloneId is not null && cib.IdExists(cloneId))
                errors.Insert(0, $"'{cloneId}' already exists");
            else if (metadata is not null) CheckUnique(cib, metadata, agent, spec.Instance, Problem);
            if (errors.Count > 0)
                return inv.FailAll(errors);
            foreach (var w in warnings) inv.Err.WriteLine($"Warning: {w}");
            // pcs 0.11.5 disables the resource it created at the top: a new clone, not its primitive.
            var disabled = inv.Options.Has("--disabled");
            var primitive = PrimitiveBuilder.Build(cib, id, agent, spec, metadata, stonith,
                inv.Options.Has("--no-default-ops"), disabled && cloneId is null);
            var resources = cib.Section("resources");
            if (group is not null)
                return GroupCommands.AddToGroup(inv, cib, group, [primitive], inv.Options.Value("--before"), inv.Options.Value("--after"));
            if (cloneId is not null)
            {
                var clone = CloneCommands.Wrap(cib, primitive, cloneId, spec.CloneKind == "promotable", spec.CloneMeta);
                resources.Add(clone);
                // Its first meta set, or a new one first in the clone (pcs's arrange_first_meta_attributes).
                if (disabled)
                    NvSetEditor.Set(cib, NvSetEditor.GetOrAdd(cib, clone, "meta_attributes", $"{cloneId}-meta_attributes", first: true), "target-role", "Stopped");
            }
            else
                resources.Add(primitive);
            return 0;
        });
    }

    /// <summary>pcs's "'ID' already exists", after the warnings it has printed so far.</summary>
    private static int? IdTaken(PcsInvocation inv, PcsCib cib, string id, List<string> warnings)
    {
        if (!cib.IdExists(id)) return null;
        foreach (var w in warnings) inv.Err.WriteLine($"Warning: {w}");
        return inv.Usage($"'{id}' already exists");
    }

    /// <summary>
    /// A parameter the agent declares unique may not repeat another resource's value of the same
    /// agent (pcs names those resources).
    /// </summary>
    private static void CheckUnique(PcsCib cib, AgentMetadata metadata, AgentId agent, List<(string Name, string Value)> given, Action<string, bool> problem)
    {
        foreach (var p in metadata.Parameters.Where(p => p.Unique))
        {
            if (given.LastOrDefault(g => g.Name == p.Name) is not { Name: not null } value) continue;
            var same = cib.Section("resources").Descendants("primitive")
                .Where(e => (string?)e.Attribute("class") == agent.Standard.Name() && (string?)e.Attribute("provider") == agent.Provider
                    && (string?)e.Attribute("type") == agent.Type
                    && e.Elements("instance_attributes").Elements("nvpair").Any(n => (string?)n.Attribute("name") == p.Name && (string?)n.Attribute("value") == value.Value))
                .Select(e => (string?)e.Attribute("id") ?? "").Order(StringComparer.Ordinal).ToList();
            if (same.Count > 0)
                problem($"Value '{value.Value}' of option '{p.Name}' is not unique across '{agent}' resources. Following resources are configured with the same value of the instance attribute: {string.Join(", ", same.Select(i => $"'{i}'"))}", true);
        }
    }

    private static void CheckOptions(AgentMetadata metadata, List<(string Name, string Value)> given, bool stonith, AgentId agent, Action<string, bool> problem)
    {
        var parameters = metadata.Parameters.ToList();
        if (stonith) parameters.AddRange(FencerParameters.Common.Where(f => parameters.All(p => p.Name != f.Name)));
        else if (agent.Standard == AgentStandard.Ocf) parameters.AddRange(FencerParameters.OcfTracing.Where(f => parameters.All(p => p.Name != f.Name)));
        var names = parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var kind = stonith ? "stonith" : "resource";
        var unknown = given.Select(g => g.Name).Where(n => !names.Contains(n)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            var allowed = string.Join(", ", names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
            problem(unknown.Count == 1
                ? $"invalid {kind} option '{unknown[0]}', allowed options are: {allowed}"
                : $"invalid {kind} options: {string.Join(", ", unknown.Order(StringComparer.Ordinal).Select(n => $"'{n}'"))}, allowed options are: {allowed}", true);
        }
        // Fence agents get port/plug from the fencer, so pcs does not require them.
        var missing = parameters.Where(p => p.Required && !p.Deprecated && !(stonith && p.Name is "port" or "plug" or "action"))
            .Select(p => p.Name).Where(n => given.All(g => g.Name != n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count == 1)
            problem($"required {kind} option '{missing[0]}' is missing", true);
        else if (missing.Count > 1)
            problem($"required {kind} options {string.Join(", ", missing.Select(n => $"'{n}'"))} are missing", true);
    }
}
