using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Attributes;
using Cluster.Crm.CibClient;
using Cluster.Crm.Simulation;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Dispatch;
using Cluster.Tools.Pcs.Commands;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.CrmResource;

/// <summary>
/// crm_resource's commands on the CIB (through the CIB client: CIB_file or the live manager):
/// --list, --locate, --move/--ban/--clear, --set/--get/--delete-parameter [--meta], --why,
/// --cleanup/--refresh. Messages and exit codes of Pacemaker 2.1.5.
/// </summary>
public static class CrmResourceCibCommands
{
    private const int ExitNoSuchObject = 105;
    private const int ExitExists = 108;

    public static int Run(ToolContext ctx, CrmResourceArgs args)
    {
        var (client, error) = CibConnection.Open(ctx);
        if (client is null)
        {
            ctx.Err.WriteLine($"crm_resource: Error: {error}");
            return 102;
        }
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null)
            {
                ctx.Err.WriteLine($"crm_resource: Error: {reply.Error}");
                return (int)reply.Code;
            }
            var cib = new PcsCib(new XElement(root));
            bool needsResource = args.Command is not ("list" or "cleanup" or "refresh" or "wait");
            if (needsResource && args.Resource is null)
            {
                ctx.Err.WriteLine("crm_resource: Must supply a resource id with -r");
                return 64;
            }
            var rsc = args.Resource is null ? null : cib.FindResource(args.Resource);
            if (args.Resource is not null && rsc is null)
            {
                ctx.Err.WriteLine($"crm_resource: Resource '{args.Resource}' not found");
                ctx.Err.WriteLine("Error performing operation: No such object");
                return ExitNoSuchObject;
            }
            if (args.Command is "restart" or "wait")
                return RestartOrWait(ctx, client, root, args);
            var code = args.Command switch
            {
                "list" => List(ctx, cib),
                "locate" => Locate(ctx, cib, args.Resource!),
                "why" => Why(ctx, cib, args.Resource!),
                "move" => Move(ctx, cib, args),
                "ban" => Ban(ctx, cib, args.Resource!, args.Node),
                "clear" => Clear(ctx, cib, args.Resource!, args.Node),
                "get-parameter" => GetParameter(ctx, rsc!, args),
                "set-parameter" => SetParameter(ctx, cib, rsc!, args),
                "delete-parameter" => DeleteParameter(ctx, rsc!, args),
                _ => Cleanup(ctx, cib, args, client),
            };
            if (code != 0 || args.Command is "list" or "locate" or "why" or "get-parameter" or "cleanup" or "refresh")
                return code < 0 ? 0 : code;
            var saved = CibPatch.Save(client, client is not FileCibClient, root, cib.Root);
            if (!saved.Ok)
            {
                ctx.Err.WriteLine($"crm_resource: Error performing operation: {saved.Error}");
                return (int)saved.Code;
            }
            return 0;
        }
    }

    /// <summary>--restart and --wait need the cluster to act, so a CIB file is refused (nothing would ever change in it).</summary>
    private static int RestartOrWait(ToolContext ctx, ICibClient client, XElement root, CrmResourceArgs args)
    {
        if (client is FileCibClient)
        {
            ctx.Err.WriteLine($"crm_resource: --{args.Command} needs the running cluster: the CIB here is a file (CIB_file), which no cluster acts on");
            return 64;
        }
        TimeSpan? timeout = null;
        if (args.Timeout is { } t)
        {
            if (!Cluster.Agents.Metadata.PacemakerDuration.TryParse(t, out var parsed))
            {
                ctx.Err.WriteLine($"crm_resource: invalid --timeout '{t}'");
                return 64;
            }
            timeout = parsed;
        }
        return args.Command == "wait"
            ? ResourceRestart.Wait(ctx, client, timeout ?? TimeSpan.Zero)
            : ResourceRestart.Run(ctx, client, root, args.Resource!, args.Node, timeout);
    }

    private static int List(ToolContext ctx, PcsCib cib)
    {
        var (_, result) = ClusterState.Evaluate(cib.Root, DateTimeOffset.UtcNow);
        var o = new StringBuilder("Full List of Resources:\n");
        if (StatusFormatter.FormatResources(result, o, "  ", inactive: true, showNodes: false) == 0)
        {
            ctx.Out.WriteLine("NO resources configured");
            return 0;
        }
        ctx.Out.Write(o.ToString());
        return 0;
    }

    private static int Locate(ToolContext ctx, PcsCib cib, string id)
    {
        var nodes = ClusterState.RunningOn(cib.Root, id);
        ctx.Out.WriteLine(nodes.Count == 0 ? $"resource {id} is NOT running" : $"resource {id} is running on: {string.Join(' ', nodes)}");
        return 0;
    }

    /// <summary>More than the real --why: where R runs, and each constraint, stickiness and fail count that bears on it.</summary>
    private static int Why(ToolContext ctx, PcsCib cib, string id)
    {
        var (doc, result) = ClusterState.Evaluate(cib.Root, DateTimeOffset.UtcNow);
        var nodes = ClusterState.RunningOn(cib.Root, id);
        ctx.Out.WriteLine(nodes.Count > 0 ? $"Resource {id} is running" : $"Resource {id} is not running");
        var prim = result.Primitives.FirstOrDefault(p => p.Id == id || p.Instance?.BaseId == id);
        if (prim is not null)
        {
            if (prim.TargetRole == Cluster.Crm.Scheduler.Role.Stopped) ctx.Out.WriteLine($"  target-role=Stopped: {id} is disabled");
            if (!prim.Managed) ctx.Out.WriteLine($"  is-managed=false: the cluster does not start or stop {id}");
            ctx.Out.WriteLine($"  resource-stickiness: {prim.Stickiness}");
            foreach (var n in prim.FailedOn) ctx.Out.WriteLine($"  failed on {n.Uname} (migration-threshold={prim.MigrationThreshold})");
        }
        foreach (var c in cib.Constraints.Where(c => ConstraintCommands.References(c, id)))
        {
            var line = c.Name.LocalName switch
            {
                "rsc_location" => $"location {(string?)c.Attribute("id")}: {(string?)c.Attribute("node")} score {(string?)c.Attribute("score")}",
                "rsc_colocation" => $"colocation {(string?)c.Attribute("id")}: {(string?)c.Attribute("rsc")} with {(string?)c.Attribute("with-rsc")} score {(string?)c.Attribute("score") ?? "INFINITY"}",
                "rsc_order" => $"order {(string?)c.Attribute("id")}: {(string?)c.Attribute("first-action") ?? "start"} {(string?)c.Attribute("first")} then {(string?)c.Attribute("then-action") ?? "start"} {(string?)c.Attribute("then")}",
                _ => $"{c.Name.LocalName} {(string?)c.Attribute("id")}",
            };
            ctx.Out.WriteLine($"  {line}");
        }
        return 0;
    }

    private static void Warn(ToolContext ctx, string cid, string rsc, string node)
    {
        ctx.Err.WriteLine($"WARNING: Creating rsc_location constraint '{cid}' with a score of -INFINITY for resource {rsc} on {node}.");
        ctx.Err.WriteLine($"\tThis will prevent {rsc} from running on {node} until the constraint is removed using the clear option or by editing the CIB with an appropriate tool");
        ctx.Err.WriteLine($"\tThis will be the case even if {node} is the last node in the cluster");
    }

    private static void PutLocation(PcsCib cib, string cid, string rsc, string node, string score)
    {
        var constraints = cib.Section("constraints");
        constraints.Elements("rsc_location").Where(c => (string?)c.Attribute("id") == cid).Remove();
        constraints.Add(new XElement("rsc_location", new XAttribute("id", cid), new XAttribute("rsc", rsc), new XAttribute("role", "Started"),
            new XAttribute("node", node), new XAttribute("score", score)));
    }

    internal static int Move(ToolContext ctx, PcsCib cib, CrmResourceArgs args)
    {
        var id = args.Resource!;
        if (args.Node is null)
        {
            // Without a node, move means "away from where it runs now".
            var running = ClusterState.RunningOn(cib.Root, id);
            if (running.Count != 1)
            {
                ctx.Err.WriteLine($"crm_resource: Resource '{id}' not moved: active in {running.Count} locations.");
                return 64;
            }
            return Ban(ctx, cib, id, running[0]);
        }
        if (!cib.NodeNames.Contains(args.Node))
        {
            ctx.Err.WriteLine($"crm_resource: Node '{args.Node}' not found");
            ctx.Err.WriteLine("Error performing operation: No such object");
            return ExitNoSuchObject;
        }
        // Moving to where it already runs alone changes nothing: refused unless forced, as Pacemaker does.
        if (!args.Force && ClusterState.RunningOn(cib.Root, id) is [var only] && only == args.Node)
        {
            ctx.Err.WriteLine("crm_resource: Error performing operation: Requested item already exists");
            return ExitExists;
        }
        PutLocation(cib, $"cli-prefer-{id}", id, args.Node, "INFINITY");
        return 0;
    }

    internal static int Ban(ToolContext ctx, PcsCib cib, string id, string? node)
    {
        if (node is null)
        {
            var running = ClusterState.RunningOn(cib.Root, id);
            if (running.Count != 1)
            {
                ctx.Err.WriteLine($"crm_resource: Resource '{id}' not moved: active in {running.Count} locations.");
                ctx.Err.WriteLine($"To prevent '{id}' from running on a specific location, specify a node.");
                return 64;
            }
            node = running[0];
        }
        var cid = $"cli-ban-{id}-on-{node}";
        Warn(ctx, cid, id, node);
        PutLocation(cib, cid, id, node, "-INFINITY");
        return 0;
    }

    internal static int Clear(ToolContext ctx, PcsCib cib, string id, string? node)
    {
        foreach (var c in cib.Constraints.Where(c => c.Name.LocalName == "rsc_location" && (string?)c.Attribute("rsc") == id
                     && ((string?)c.Attribute("id") ?? "").StartsWith("cli-", StringComparison.Ordinal)
                     && (node is null || (string?)c.Attribute("node") == node))
                     .OrderBy(c => (string?)c.Attribute("id"), StringComparer.Ordinal).ToList())
        {
            ctx.Out.WriteLine($"Removing constraint: {(string?)c.Attribute("id")}");
            c.Remove();
        }
        return 0;
    }

    private static string SetElement(CrmResourceArgs args) => args.Meta ? "meta_attributes" : "instance_attributes";

    private static int GetParameter(ToolContext ctx, XElement rsc, CrmResourceArgs args)
    {
        var value = NvSetEditor.Get(rsc, SetElement(args), args.ParameterName!);
        ctx.Out.WriteLine(value ?? $"Attribute '{args.ParameterName}' not found for '{(string?)rsc.Attribute("id")}'");
        return 0;
    }

    private static int SetParameter(ToolContext ctx, PcsCib cib, XElement rsc, CrmResourceArgs args)
    {
        if (args.ParameterValue is null)
        {
            ctx.Err.WriteLine("crm_resource: You need to supply a value with the -v option");
            return 64;
        }
        var id = (string?)rsc.Attribute("id");
        bool created = NvSetEditor.Get(rsc, SetElement(args), args.ParameterName!) is null;
        var set = NvSetEditor.GetOrAdd(cib, rsc, SetElement(args), $"{id}-{SetElement(args)}", first: args.Meta);
        NvSetEditor.Set(cib, set, args.ParameterName!, args.ParameterValue);
        var pair = set.Elements("nvpair").First(p => (string?)p.Attribute("name") == args.ParameterName);
        ctx.Out.WriteLine($"Set '{id}' option: id={(string?)pair.Attribute("id")}{(created ? $" set={(string?)set.Attribute("id")}" : "")} name={args.ParameterName} value={args.ParameterValue}");
        return 0;
    }

    private static int DeleteParameter(ToolContext ctx, XElement rsc, CrmResourceArgs args)
    {
        var pair = rsc.Elements(SetElement(args)).SelectMany(s => s.Elements("nvpair"))
            .FirstOrDefault(p => (string?)p.Attribute("name") == args.ParameterName);
        if (pair is null) return 0;
        ctx.Out.WriteLine($"Deleted '{(string?)rsc.Attribute("id")}' option: id={(string?)pair.Attribute("id")} name={args.ParameterName}");
        pair.Remove();
        return 0;
    }

    /// <summary>
    /// attrd holds the fail counts the CIB shows: it forgets them too (as 2.1.5's clear-failure
    /// request does), or its next value++ would count on from them and a new writer would write
    /// them back. Best effort: without attrd the CIB deletions still clear what is shown.
    /// </summary>
    private static void ForgetFailuresInAttrd(ToolContext ctx, XElement cib, string? resource, IReadOnlyList<string> nodes)
    {
        var socket = AttributeClientWire.SocketPath(ctx.Paths);
        long call = 0;
        foreach (var state in cib.Element("status")?.Elements("node_state") ?? [])
        {
            var uname = (string?)state.Attribute("uname");
            if (uname is null || !nodes.Contains(uname))
                continue;
            var names = state.Elements("transient_attributes").Elements("instance_attributes").Elements("nvpair")
                .Select(nv => (string?)nv.Attribute("name") ?? "")
                .Where(n => IsFailureName(n, resource));
            foreach (var name in names.ToList())
            {
                try
                {
                    AttributeSocketClient.CallAsync(socket,
                        new AttributeWireRequest(++call, AttributeClientCommand.Delete, name, uname),
                        TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                }
                catch (AttributeConnectionException)
                {
                    return;
                }
            }
        }
    }

    // fail-count-WebIP#monitor_10000 (or fail-count-WebIP:0#... for a clone instance) is WebIP's; WebIP2's is not.
    private static bool IsFailureName(string name, string? resource)
    {
        foreach (var prefix in new[] { "fail-count-", "last-failure-" })
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (resource is null) return true;
            var rest = name[prefix.Length..];
            if (rest.StartsWith(resource + "#", StringComparison.Ordinal) || rest.StartsWith(resource + ":", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>On a file there is no controller to ask for a re-probe: say so (the real 2.1.5 crashes here).</summary>
    private static int Cleanup(ToolContext ctx, PcsCib cib, CrmResourceArgs args, ICibClient client)
    {
        if (ctx.GetEnv("CIB_file") is not { Length: > 0 })
        {
            var (touched, requests) = HistoryCleanup.Plan(cib.Root, args.Resource, args.Node, refresh: args.Command == "refresh");
            ForgetFailuresInAttrd(ctx, cib.Root, args.Resource, touched);
            foreach (var request in requests)
            {
                var reply = client.Execute(request);
                if (!reply.Ok)
                {
                    ctx.Err.WriteLine($"crm_resource: Error performing operation: {reply.Error}");
                    return (int)reply.Code;
                }
            }
            foreach (var n in touched)
                ctx.Out.WriteLine(args.Resource is null ? $"Cleaned up all resources on {n}" : $"Cleaned up {args.Resource} on {n}");
            return 0;
        }
        if (args.Resource is null)
        {
            ctx.Out.WriteLine($"Dry run: skipping clean-up of {(args.Node is null ? "all nodes" : args.Node)} due to CIB_file");
            return 0;
        }
        var nodes = args.Node is not null ? [args.Node]
            : cib.Root.Element("status")?.Elements("node_state").Select(n => (string?)n.Attribute("uname") ?? "").ToList() ?? [];
        foreach (var n in nodes)
            ctx.Out.WriteLine($"Dry run: skipping clean-up of {args.Resource} on {n} due to CIB_file");
        return 0;
    }
}
