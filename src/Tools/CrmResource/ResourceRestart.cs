using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Planning;
using Cluster.Tools.Dispatch;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.CrmResource;

/// <summary>
/// crm_resource --restart and --wait on the live cluster (Pacemaker 2.1.5's behaviour and
/// messages). A restart stops the resource through the cluster (target-role=Stopped, or a ban on
/// the node for one clone instance), waits until what that stops is stopped, puts the original
/// setting back and waits until the same resources run again. The CIB edits are pure
/// functions here; only <see cref="Run"/> talks to the cluster.
/// </summary>
public static class ResourceRestart
{
    private const int ExitNoSuchObject = 105;
    private const int ExitTimeout = 124;
    private const int ExitUnsafe = 75;

    /// <summary>The CIB with the resource told to stop (on <paramref name="host"/> only, for a clone).</summary>
    public static XElement Stopped(XElement cib, string id, string? host)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var copy = new PcsCib(new XElement(cib));
        var rsc = copy.FindResource(id) ?? throw new ArgumentException($"no resource '{id}'", nameof(id));
        if (host is not null && IsClone(rsc))
        {
            copy.Section("constraints").Add(new XElement("rsc_location", new XAttribute("id", BanId(id, host)), new XAttribute("rsc", id),
                new XAttribute("role", "Started"), new XAttribute("node", host), new XAttribute("score", "-INFINITY")));
            return copy.Root;
        }
        NvSetEditor.Set(copy, NvSetEditor.GetOrAdd(copy, rsc, "meta_attributes", $"{id}-meta_attributes", first: true), "target-role", "stopped");
        return copy.Root;
    }

    /// <summary>
    /// <paramref name="live"/> with the resource's original setting back: the ban removed, or
    /// target-role as it was in <paramref name="original"/> (removed if it was not set).
    /// </summary>
    public static XElement Restored(XElement live, XElement original, string id, string? host)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(original);
        var copy = new PcsCib(new XElement(live));
        var rsc = copy.FindResource(id);
        if (rsc is null) return copy.Root;
        if (host is not null && IsClone(rsc))
        {
            copy.Constraints.Where(c => (string?)c.Attribute("id") == BanId(id, host)).ToList().ForEach(c => c.Remove());
            return copy.Root;
        }
        var before = NvSetEditor.Get(new PcsCib(original).FindResource(id), "meta_attributes", "target-role");
        var set = rsc.Elements("meta_attributes").FirstOrDefault(s => s.Elements("nvpair").Any(p => (string?)p.Attribute("name") == "target-role"));
        if (set is not null) NvSetEditor.Set(copy, set, "target-role", before ?? "");
        return copy.Root;
    }

    /// <summary>How long a phase may take when no --timeout is given: the longest start or stop timeout of the resources involved (at least 20 s, Pacemaker's default).</summary>
    public static TimeSpan PhaseEstimate(XElement cib, IEnumerable<string> resources)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var ids = resources.ToHashSet(StringComparer.Ordinal);
        long longest = 20_000;
        foreach (var p in cib.Descendants("primitive").Where(p => ids.Contains((string?)p.Attribute("id") ?? "")))
            foreach (var op in p.Elements("operations").Elements("op").Where(o => (string?)o.Attribute("name") is "start" or "stop"))
                if (Cluster.Crm.Cib.Duration.ParseMs((string?)op.Attribute("timeout")) is { } ms && ms > longest)
                    longest = ms;
        return TimeSpan.FromMilliseconds(longest);
    }

    /// <summary>What crm_resource prints when it sets or deletes the target-role (nothing for a ban).</summary>
    public static string? SetLine(XElement before, XElement after, string id)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        static XElement? Pair(XElement cib, string id) => new PcsCib(cib).FindResource(id)?.Elements("meta_attributes")
            .SelectMany(s => s.Elements("nvpair")).FirstOrDefault(p => (string?)p.Attribute("name") == "target-role");
        XElement? old = Pair(before, id), now = Pair(after, id);
        if (now is not null && (old is null || (string?)old.Attribute("value") != (string?)now.Attribute("value")))
            return $"Set '{id}' option: id={(string?)now.Attribute("id")}"
                + (new PcsCib(before).FindResource(id)?.Element("meta_attributes") is null ? $" set={(string?)now.Parent!.Attribute("id")}" : "")
                + $" name=target-role value={(string?)now.Attribute("value")}";
        if (now is null && old is not null)
            return $"Deleted '{id}' option: id={(string?)old.Attribute("id")} name=target-role";
        return null;
    }

    private static bool IsClone(XElement rsc) => rsc.Name.LocalName is "clone" or "master" or "bundle";

    private static string BanId(string id, string host) => $"cli-ban-{id}-on-{host}";

    /// <summary>crm_resource --wait: until the cluster is idle, or --timeout (default an hour).</summary>
    public static int Wait(ToolContext ctx, ICibClient client, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var result = ClusterWait.Idle(client, timeout);
        if (result.Error is not null)
        {
            ctx.Err.WriteLine($"crm_resource: Error performing operation: {result.Error}");
            return 1;
        }
        if (result.Reached) return 0;
        ctx.Err.WriteLine("Pending actions:");
        foreach (var a in result.Cib is null ? [] : ClusterSimulation.PendingActions(result.Cib, DateTimeOffset.UtcNow))
            ctx.Err.WriteLine($"\tAction {a}");
        ctx.Err.WriteLine("crm_resource: Error performing operation: Timeout occurred");
        return ExitTimeout;
    }

    /// <summary>crm_resource --restart -r ID [-N HOST] [--timeout T].</summary>
    public static int Run(ToolContext ctx, ICibClient client, XElement original, string id, string? host, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(client);
        var now = DateTimeOffset.UtcNow;
        var state = ClusterSimulation.StateOf(original, id, now);
        if (!state.Running || (host is not null && !state.Nodes.Contains(host)))
        {
            ctx.Err.WriteLine(host is null ? $"crm_resource: {id} is not running anywhere and so cannot be restarted"
                : $"crm_resource: {id} is not running on {host} and so cannot be restarted");
            return ExitNoSuchObject;
        }
        if (new PcsCib(original).FindResource(id) is { } r && NvSetEditor.Get(r, "meta_attributes", "is-managed") == "false")
        {
            ctx.Err.WriteLine("crm_resource: Unmanaged resources cannot be restarted.");
            return ExitUnsafe;
        }
        var active = ClusterSimulation.ActiveResources(original, host, now);
        var stopped = Stopped(original, id, host);
        // What the stop takes down: the resource and whatever depends on it, as the scheduler says.
        var toStop = active.Except(ClusterSimulation.ActiveResources(ClusterSimulation.AfterTransition(stopped, now), host, now)).Order(StringComparer.Ordinal).ToList();
        var saved = CibPatch.Save(client, live: true, original, stopped);
        if (!saved.Ok)
        {
            ctx.Err.WriteLine($"crm_resource: Error performing operation: {saved.Error}");
            return 1;
        }
        if (SetLine(original, stopped, id) is { } line) ctx.Out.WriteLine(line);
        ctx.Out.WriteLine($"Waiting for {toStop.Count} resources to stop:");
        foreach (var s in toStop) ctx.Out.WriteLine($" * {s}");
        var down = ClusterWait.Until(client, cib => !ClusterSimulation.ActiveResources(cib, host, DateTimeOffset.UtcNow).Overlaps(toStop),
            timeout ?? PhaseEstimate(original, toStop));
        if (!down.Reached)
        {
            var left = down.Cib is null ? toStop : [.. ClusterSimulation.ActiveResources(down.Cib, host, DateTimeOffset.UtcNow).Intersect(toStop).Order(StringComparer.Ordinal)];
            ctx.Err.WriteLine($"crm_resource: Could not complete shutdown of {id}, {left.Count} resources remaining");
            foreach (var s in left) ctx.Err.WriteLine($" * {s}");
            Restore(ctx, client, original, id, host);
            return down.Error is null ? ExitTimeout : 1;
        }
        if (Restore(ctx, client, original, id, host) is { } failed) return failed;
        ctx.Out.WriteLine($"Waiting for {toStop.Count} resources to start again:");
        foreach (var s in toStop) ctx.Out.WriteLine($" * {s}");
        var up = ClusterWait.Until(client, cib => ClusterSimulation.ActiveResources(cib, host, DateTimeOffset.UtcNow).IsSupersetOf(toStop),
            timeout ?? PhaseEstimate(original, toStop));
        if (!up.Reached)
        {
            var left = up.Cib is null ? toStop : [.. toStop.Except(ClusterSimulation.ActiveResources(up.Cib, host, DateTimeOffset.UtcNow))];
            ctx.Err.WriteLine($"crm_resource: Could not complete restart of {id}, {left.Count} resources remaining");
            foreach (var s in left) ctx.Err.WriteLine($" * {s}");
            return up.Error is null ? ExitTimeout : 1;
        }
        return 0;
    }

    /// <summary>Puts the original setting back; null when that worked, else the exit code after saying why.</summary>
    private static int? Restore(ToolContext ctx, ICibClient client, XElement original, string id, string? host)
    {
        var (live, reply) = CibConnection.Query(client);
        if (live is null)
        {
            ctx.Err.WriteLine($"crm_resource: Error performing operation: {reply.Error}");
            return 1;
        }
        var restored = Restored(live, original, id, host);
        var saved = CibPatch.Save(client, live: true, live, restored);
        if (saved.Ok)
        {
            if (SetLine(live, restored, id) is { } line) ctx.Out.WriteLine(line);
            return null;
        }
        ctx.Err.WriteLine($"crm_resource: Error performing operation: {saved.Error}");
        return 1;
    }
}
