using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Planning;
using Cluster.Tools.CrmResource;
using Cluster.Tools.Dispatch;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// pcs resource move, move-with-constraint and restart, as pcs 0.11.5 does them:
/// move-with-constraint is crm_resource --move (on a file too); move creates the same constraint
/// on the live cluster only after a simulation shows the resource moves and stays once the
/// constraint is gone, waits for the cluster to settle, removes the constraint and waits again;
/// restart is crm_resource --restart.
/// </summary>
public static class ResourceMoveCommands
{
    public static PcsCommand MoveWithConstraint { get; } = Pcs.Command("resource move-with-constraint",
        "resource move-with-constraint <resource id> [destination node] [lifetime=<lifetime>]", inv =>
    {
        if (inv.Args.Count is 0 or > 3) return inv.Usage("must specify a resource to move");
        var id = inv.Args[0];
        var node = inv.Args.Skip(1).FirstOrDefault(a => !a.StartsWith("lifetime=", StringComparison.Ordinal));
        var wait = WaitTimeout(inv);
        if (wait.Error is not null) return inv.Usage(wait.Error);
        if (wait.Timeout is not null && IsFile(inv)) return inv.Usage("Cannot use '-f' together with '--wait'");
        return Session(inv, (client, root) =>
        {
            var cib = new PcsCib(new XElement(root));
            if (Validate(inv, cib, id, node) is { } refused) return refused;
            var before = ClusterSimulation.StateOf(root, id, DateTimeOffset.UtcNow);
            var (code, output) = CrmMove(cib, id, node);
            if (code != 0)
            {
                if (output.Contains($"Resource '{id}' not moved: active in 0 locations", StringComparison.Ordinal))
                    return inv.Usage("You must specify a node when moving/banning a stopped resource");
                return inv.Usage(string.Join('\n', [$"cannot move resource '{id}'", .. Lines(output)]));
            }
            var saved = CibPatch.Save(client, client is not FileCibClient, root, cib.Root);
            if (!saved.Ok) return inv.Usage($"Unable to update cib\n{saved.Error}");
            if (node is not null && output.Length == 0)
                inv.Err.WriteLine($"Warning: A move constraint has been created and the resource '{id}' may or may not move depending on other configuration");
            foreach (var line in Lines(output)) inv.Err.WriteLine(PcsWording(line));
            if (wait.Timeout is not { } timeout) return 0;
            return WaitAndReport(inv, client, id, node, before, timeout);
        });
    });

    public static PcsCommand Move { get; } = Pcs.Command("resource move",
        "resource move <resource id> [destination node] [--promoted] [--strict] [--wait[=n]]", inv =>
    {
        if (inv.Args.Count == 0) return inv.Usage("must specify a resource to move");
        if (inv.Args.Count > 2) return inv.Usage("usage: pcs resource move <resource id> [destination node] [--promoted] [--strict] [--wait[=n]]");
        if (IsFile(inv)) return inv.Usage("Specified option '-f' is not supported in this command");
        var id = inv.Args[0];
        var node = inv.Args.Count > 1 ? inv.Args[1] : null;
        var wait = WaitTimeout(inv);
        if (wait.Error is not null) return inv.Usage(wait.Error);
        var timeout = wait.Timeout ?? TimeSpan.Zero;
        return Session(inv, (client, root) =>
        {
            var now = DateTimeOffset.UtcNow;
            var cib = new PcsCib(new XElement(root));
            if (Validate(inv, cib, id, node) is { } refused) return refused;
            var before = ClusterSimulation.StateOf(root, id, now);
            if (cib.FindResource(id) is { } r && NvSetEditor.Get(r, "meta_attributes", "is-managed") == "false")
                return inv.Usage($"'{id}' is unmanaged");
            if (!before.Running)
                return inv.Usage($"It is not possible to move resource '{id}' as it is not running at the moment");
            var (code, output) = CrmMove(cib, id, node);
            if (code != 0) return inv.Usage(string.Join('\n', [$"cannot move resource '{id}'", .. Lines(output)]));
            var moved = cib.Root;
            var cleared = WithoutMoveConstraints(moved, id, node);
            if (XNode.DeepEquals(root.Element("configuration"), moved.Element("configuration"))
                || XNode.DeepEquals(moved.Element("configuration"), cleared.Element("configuration")))
            {
                inv.Err.WriteLine("No action necessary, requested change would have no effect");
                return 0;
            }
            var strict = inv.Options.Has("--strict");
            if (strict)
            {
                var others = ClusterSimulation.ResourcesActedOn(moved, now).Where(x => x != id).Order(StringComparer.Ordinal).ToList();
                if (others.Count > 0)
                    return inv.Usage($"Moving resource '{id}' affects {(others.Count == 1 ? "resource" : "resources")}: {string.Join(", ", others.Select(o => $"'{o}'"))}");
            }
            if (MoveCheck(ClusterSimulation.AfterTransition(moved, now), cleared, id, node, before, strict) is { } unsafeMove)
                return inv.Usage(unsafeMove);
            var saved = CibPatch.Save(client, live: true, root, moved);
            if (!saved.Ok) return inv.Usage($"Unable to update cib\n{saved.Error}");
            inv.Err.WriteLine($"Location constraint to move resource '{id}' has been created");
            var settled = Settle(inv, client, timeout);
            if (settled.Cib is null) return 1;
            // The cluster's real outcome is checked as the simulation was, before the constraint goes.
            if (MoveCheck(settled.Cib, WithoutMoveConstraints(settled.Cib, id, node), id, node, before, strict) is { } notMoved)
                return inv.Usage(notMoved);
            saved = CibPatch.Save(client, live: true, settled.Cib, WithoutMoveConstraints(settled.Cib, id, node));
            if (!saved.Ok) return inv.Usage($"Unable to update cib\n{saved.Error}");
            inv.Err.WriteLine($"Location constraint created to move resource '{id}' has been removed");
            settled = Settle(inv, client, timeout);
            if (settled.Cib is null) return 1;
            var after = ClusterSimulation.StateOf(settled.Cib, id, DateTimeOffset.UtcNow);
            if (!WasMoved(node, before, after)) return inv.FailAll([after.Describe(id)]);
            inv.Err.WriteLine(after.Describe(id));
            return 0;
        });
    });

    public static PcsCommand Restart { get; } = new(["resource", "restart"], "resource restart <resource id> [node] [--wait=n]", RestartAsync);

    private static Task<int> RestartAsync(PcsInvocation inv)
    {
        if (IsFile(inv)) return Task.FromResult(inv.Usage("Specified option '-f' is not supported in this command"));
        if (inv.Args.Count == 0) return Task.FromResult(inv.Usage("You must specify a resource to restart"));
        var id = inv.Args[0];
        string? node = inv.Args.Count > 1 ? inv.Args[1] : null;
        var peek = PcsCibSession.Read(inv, cib =>
        {
            var r = cib.FindResource(id);
            if (r is null) return inv.Usage($"bundle/clone/group/resource '{id}' does not exist");
            if (ResourceCommands.IsStonith(r)) return inv.Usage("This command cannot be used on stonith resources, use 'pcs stonith' commands instead");
            // Like pcs, an instance inside a clone restarts as its clone.
            if (r.Parent?.Name.LocalName is "clone" or "master" or "bundle")
            {
                var parent = (string?)r.Parent.Attribute("id") ?? id;
                inv.Err.WriteLine($"Warning: using {parent}... (if a resource is a clone or bundle you must use the clone or bundle name)");
                id = parent;
                r = r.Parent;
            }
            if (node is not null && r.Name.LocalName is not ("clone" or "master" or "bundle"))
                return inv.Usage("can only restart on a specific node for a clone or bundle resource");
            return 0;
        });
        if (peek != 0) return Task.FromResult(peek);
        var args = new List<string> { "--restart", "--resource", id };
        if (node is not null) args.AddRange(["--node", node]);
        if (inv.Options.Has("--wait"))
        {
            if (inv.Options.Value("--wait") is not { Length: > 0 } seconds) return Task.FromResult(inv.Usage("You must specify the number of seconds to wait"));
            args.AddRange(["--timeout", seconds]);
        }
        return RunRestartAsync(inv, id, args);
    }

    private static async Task<int> RunRestartAsync(PcsInvocation inv, string id, List<string> args)
    {
        // pcs shows crm_resource's output only when it failed.
        var output = new StringWriter { NewLine = "\n" };
        var context = inv.Context with { Out = output, Err = output };
        var code = await Dispatch.ToolRegistry.All["crm_resource"].Run(context, [.. args]).ConfigureAwait(false);
        if (code != 0) return inv.Usage(output.ToString().TrimEnd('\n'));
        inv.Err.WriteLine($"{id} successfully restarted");
        return 0;
    }

    /// <summary>pcs's reason why moving is unsafe, or null: the resource must move, and stay once the constraint is removed.</summary>
    public static string? MoveCheck(XElement afterMove, XElement cleared, string id, string? node, ResourceState before, bool strict)
    {
        ArgumentNullException.ThrowIfNull(afterMove);
        ArgumentNullException.ThrowIfNull(cleared);
        ArgumentNullException.ThrowIfNull(before);
        var now = DateTimeOffset.UtcNow;
        if (!WasMoved(node, before, ClusterSimulation.StateOf(afterMove, id, now)))
            return $"Unable to move resource '{id}' using a location constraint. Current location of the resource may be affected by some other constraint.";
        var withoutConstraint = new XElement(afterMove);
        withoutConstraint.Element("configuration")?.ReplaceWith(new XElement(cleared.Element("configuration")!));
        var acted = ClusterSimulation.ResourcesActedOn(withoutConstraint, now);
        if (strict ? acted.Count > 0 : acted.Contains(id))
            return $"Unable to ensure that moved resource '{id}'{(strict ? " or other resources" : "")} will stay on the same node after a constraint used for moving it is removed.";
        return null;
    }

    /// <summary>pcs's test: a running resource counts as moved when it still runs, changed place, and (given a node) runs there.</summary>
    public static bool WasMoved(string? node, ResourceState before, ResourceState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return !(before.Running && (!after.Running || (node is not null && !after.Nodes.Contains(node)) || before.SameAs(after)));
    }

    /// <summary>The CIB without the cli-prefer/cli-ban constraints crm_resource --clear would remove.</summary>
    public static XElement WithoutMoveConstraints(XElement cib, string id, string? node)
    {
        var copy = new PcsCib(new XElement(cib));
        CrmResourceCibCommands.Clear(Quiet(), copy, id, node);
        // crm_resource --clear with a node keeps a cli-ban elsewhere; the move's own ban is on the node it ran on.
        if (node is not null)
            copy.Constraints.Where(c => (string?)c.Attribute("id") == $"cli-prefer-{id}").ToList().ForEach(c => c.Remove());
        return copy.Root;
    }

    private static (int Code, string Output) CrmMove(PcsCib cib, string id, string? node)
    {
        var output = new StringWriter { NewLine = "\n" };
        var ctx = new ToolContext(TextReader.Null, output, output, _ => null);
        var code = CrmResourceCibCommands.Move(ctx, cib, new CrmResourceArgs { Resource = id, Node = node });
        return (code, output.ToString());
    }

    private static ToolContext Quiet() => new(TextReader.Null, TextWriter.Null, TextWriter.Null, _ => null);

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Where(l => l.Trim().Length > 0);

    /// <summary>pcs rewords crm_resource's warning (see pcs's _resource_move_ban_pcmk_success).</summary>
    private static string PcsWording(string line) => line
        .Replace("WARNING: Creating rsc_location constraint", "Warning: Creating location constraint", StringComparison.Ordinal)
        .Replace(" using the clear option or by editing the CIB with an appropriate tool", "", StringComparison.Ordinal);

    private static int? Validate(PcsInvocation inv, PcsCib cib, string id, string? node)
    {
        var errors = new List<string>();
        if (cib.FindResource(id) is null) errors.Add($"bundle/clone/group/resource '{id}' does not exist");
        if (node is not null && !cib.NodeNames.Contains(node)) errors.Add($"Node '{node}' does not appear to exist in configuration");
        return errors.Count > 0 ? inv.FailAll(errors) : null;
    }

    private static bool IsFile(PcsInvocation inv) => inv.OnFile;

    /// <summary>--wait[=n]: absent (null), without a value (an hour, pcs's "60 minutes"), or whole seconds.</summary>
    private static (TimeSpan? Timeout, string? Error) WaitTimeout(PcsInvocation inv)
    {
        if (!inv.Options.Has("--wait")) return (null, null);
        var value = inv.Options.Value("--wait");
        if (value is null) return (ClusterWait.DefaultTimeout, null);
        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? (TimeSpan.FromSeconds(s), null)
            : (null, $"'{value}' is not a valid number of seconds to wait");
    }

    private static ClusterWait.Result Settle(PcsInvocation inv, ICibClient client, TimeSpan timeout)
    {
        var seconds = (int)timeout.TotalSeconds;
        inv.Err.WriteLine(seconds > 0 && timeout != ClusterWait.DefaultTimeout
            ? $"Waiting for the cluster to apply configuration changes (timeout: {seconds} {(seconds == 1 ? "second" : "seconds")})..."
            : "Waiting for the cluster to apply configuration changes...");
        var result = ClusterWait.Idle(client, timeout);
        if (result.Error is not null)
        {
            inv.Usage($"Unable to get cluster status: {result.Error}");
            return result with { Cib = null };
        }
        if (!result.Reached)
        {
            var pending = result.Cib is null ? [] : ClusterSimulation.PendingActions(result.Cib, DateTimeOffset.UtcNow);
            inv.Usage($"waiting timeout\n\nPending actions:\n{string.Join('\n', pending.Select(a => $"\tAction {a}"))}");
            return result with { Cib = null };
        }
        return result;
    }

    private static int WaitAndReport(PcsInvocation inv, ICibClient client, string id, string? node, ResourceState before, TimeSpan timeout)
    {
        var settled = Settle(inv, client, timeout);
        if (settled.Cib is null) return 1;
        var after = ClusterSimulation.StateOf(settled.Cib, id, DateTimeOffset.UtcNow);
        if (!WasMoved(node, before, after)) return inv.FailAll([after.Describe(id)]);
        inv.Err.WriteLine(after.Describe(id));
        return 0;
    }

    /// <summary>Opens the CIB (file or live) and runs the body with the client and the CIB as read.</summary>
    private static int Session(PcsInvocation inv, Func<ICibClient, XElement, int> body)
    {
        var file = inv.Options.CibFile;
        var (client, error) = CibConnection.Open(inv.Context, file);
        if (client is null) return inv.Usage($"unable to get cib: {error}");
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null) return inv.Usage($"unable to get cib: {reply.Error}");
            return body(client, root);
        }
    }
}
