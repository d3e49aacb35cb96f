using System.Globalization;
using System.Xml.Linq;
using Cluster.Agents;
using Cluster.Agents.Invocation;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Crm.Planning;
using Cluster.Tools.Pcs.Display;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// The pcs resource commands that change or show configured resources: config, delete, update,
/// meta, enable/disable, manage/unmanage, op add/delete, ban/clear. Messages as pcs 0.11.5 on a file.
/// </summary>
public static class ResourceCommands
{
    public static PcsCommand Config { get; } = Pcs.Command("resource config", "resource config [<resource id>]...", inv => ShowConfig(inv, stonith: false));

    public static PcsCommand StonithConfig { get; } = Pcs.Command("stonith config", "stonith config [<stonith id>]...", inv => ShowConfig(inv, stonith: true));

    private static int ShowConfig(PcsInvocation inv, bool stonith) => PcsCibSession.Read(inv, cib =>
    {
        var shown = InConfigOrder(cib, stonith, inv.Args.Count == 0 ? null : inv.Args).ToList();
        if (inv.Args.Count > 0)
        {
            var found = shown.Select(r => (string?)r.Attribute("id")).ToHashSet(StringComparer.Ordinal);
            var what = stonith ? "stonith device" : "resource";
            // pcs warns about each id it cannot show (in no particular order: we keep the given one).
            foreach (var id in inv.Args.Distinct(StringComparer.Ordinal).Where(id => !found.Contains(id)).Reverse())
                inv.Err.WriteLine($"Warning: Unable to find {what} '{id}'");
            if (shown.Count == 0) return inv.Usage($"No {what} found");
        }
        foreach (var r in shown) ResourceConfigFormatter.Write(inv.Out, r, "");
        return 0;
    });

    /// <summary>
    /// The resources pcs shows, in its order: primitives, then groups, clones and bundles, each in
    /// document order; without <paramref name="ids"/> only top-level ones, with them the ones named.
    /// </summary>
    internal static IEnumerable<XElement> InConfigOrder(PcsCib cib, bool stonith, IReadOnlyCollection<string>? ids)
    {
        if (cib.FindSection("resources") is not { } section) return [];
        var all = section.Descendants().Where(e => e.Name.LocalName is "primitive" or "group" or "clone" or "master" or "bundle").ToList();
        bool Wanted(XElement e) => ids is null ? e.Parent == section : ids.Contains((string?)e.Attribute("id") ?? "");
        // A stonith listing holds fence devices only; the resource listing everything else.
        bool Kind(XElement e) => e.Name.LocalName == "primitive" ? IsStonith(e) == stonith : !stonith;
        static int Rank(XElement e) => e.Name.LocalName switch { "primitive" => 0, "group" => 1, "clone" or "master" => 2, _ => 3 };
        return all.Where(e => Wanted(e) && Kind(e)).OrderBy(Rank);
    }

    internal static bool IsStonith(XElement r) => r.Name.LocalName == "primitive" && (string?)r.Attribute("class") == "stonith";

    public static PcsCommand Delete { get; } = Pcs.Command("resource delete", "resource delete <resource id>", inv => DeleteRun(inv, stonith: false));

    public static PcsCommand Remove { get; } = Pcs.Command("resource remove", "resource remove <resource id>", inv => DeleteRun(inv, stonith: false));

    public static PcsCommand StonithDelete { get; } = Pcs.Command("stonith delete", "stonith delete <stonith id>", inv => DeleteRun(inv, stonith: true));

    public static PcsCommand StonithRemove { get; } = Pcs.Command("stonith remove", "stonith remove <stonith id>", inv => DeleteRun(inv, stonith: true));

    private static int DeleteRun(PcsInvocation inv, bool stonith)
    {
        if (inv.Args.Count != 1)
            return inv.Usage($"usage: pcs {(stonith ? "stonith" : "resource")} delete <{(stonith ? "stonith" : "resource")} id>");
        var id = inv.Args[0];
        var stop = LiveStop.None;
        if (!inv.Options.Force && !inv.OnFile)
        {
            var (code, done) = StopBeforeDelete(inv, id, stonith);
            if (code != 0) return code;
            stop = done;
        }
        return PcsCibSession.Edit(inv, cib =>
        {
            var r = cib.FindResource(id);
            if (r is null || (stonith && !IsStonith(r)))
                return inv.Usage(stonith ? $"Resource '{id}' does not exist." : $"Resource '{id}' does not exist.");
            var group = GroupOf(r);
            if (group is null)
            {
                DeletePrimitive(inv, cib, r.Name.LocalName is "clone" or "master" ? r.Elements("primitive").First() : r, quiet: stop == LiveStop.Primitive);
                return 0;
            }
            // A group goes member by member, as pcs 0.11.5 does: the last one takes the group (and its clone).
            if (stop != LiveStop.Group)
                GroupDeleteHeader(inv, group);
            foreach (var member in group.Elements("primitive").ToList()) DeletePrimitive(inv, cib, member, quiet: false);
            return 0;
        });
    }

    private static XElement? GroupOf(XElement r) => r.Name.LocalName == "group" ? r
        : r.Name.LocalName is "clone" or "master" ? r.Element("group") : null;

    private static void GroupDeleteHeader(PcsInvocation inv, XElement group)
    {
        var groupId = (string?)group.Attribute("id") ?? "";
        inv.Err.WriteLine($"Removing group: {groupId} (and all resources within group)");
        inv.Err.WriteLine($"Stopping all resources in group: {groupId}...");
    }

    /// <summary>What the live delete stopped first (and so printed already).</summary>
    private enum LiveStop
    {
        None,
        Primitive,
        Group,
    }

    /// <summary>
    /// On the running cluster pcs stops what it deletes first (unless --force): a running primitive
    /// is disabled and the cluster waited on ("Attempting to stop: R... Stopped"); a group is always
    /// disabled and waited on. Deleting a running resource instead would leave it orphaned, stopped
    /// by the cluster afterwards. pcs 0.11.5 then deletes a stopped primitive without listing what it
    /// removes (its output flag is overwritten by crm_resource --wait's empty output); we print the same.
    /// </summary>
    private static (int Code, LiveStop Done) StopBeforeDelete(PcsInvocation inv, string id, bool stonith)
    {
        var (client, error) = CibConnection.Open(inv.Context, null);
        if (client is null) return (inv.Usage($"unable to get cib: {error}"), LiveStop.None);
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null) return (inv.Usage($"unable to get cib: {reply.Error}"), LiveStop.None);
            var cib = new PcsCib(new XElement(root));
            var r = cib.FindResource(id);
            if (r is null || (stonith && !IsStonith(r))) return (0, LiveStop.None); // the edit reports it
            var group = GroupOf(r);
            var members = (group ?? r).DescendantsAndSelf("primitive").Select(p => (string?)p.Attribute("id") ?? "").ToList();
            bool Running(XElement state) => members.Any(m => ClusterSimulation.StateOf(state, m, DateTimeOffset.UtcNow).Running);
            if (group is null && !Running(root)) return (0, LiveStop.None);
            if (group is null) inv.Err.Write($"Attempting to stop: {id}... ");
            else GroupDeleteHeader(inv, group);
            var target = group ?? r;
            NvSetEditor.Set(cib, NvSetEditor.GetOrAdd(cib, target, "meta_attributes", $"{(string?)target.Attribute("id")}-meta_attributes", first: true), "target-role", "Stopped");
            var saved = CibPatch.Save(client, live: true, root, cib.Root);
            if (!saved.Ok) return (inv.Usage($"Unable to update cib\n{saved.Error}"), LiveStop.None);
            var settled = ClusterWait.Idle(client, ClusterWait.DefaultTimeout);
            if (settled.Cib is null || Running(settled.Cib))
            {
                if (group is null) inv.Err.WriteLine();
                return (inv.Usage(group is null
                    ? $"Unable to stop: {id} before deleting (re-run with --force to force deletion)"
                    : $"Unable to stop group: {(string?)group.Attribute("id")} before deleting (re-run with --force to force deletion)"), LiveStop.None);
            }
            if (group is null) inv.Err.WriteLine("Stopped");
            return (0, group is null ? LiveStop.Primitive : LiveStop.Group);
        }
    }

    /// <summary>
    /// Deletes one primitive and the constraints that name it; when it is the last of its group,
    /// the group and its constraints too, and likewise its clone. pcs lists the removed constraints
    /// per resource, colocations, then locations, then orders.
    /// </summary>
    private static void DeletePrimitive(PcsInvocation inv, PcsCib cib, XElement primitive, bool quiet)
    {
        var id = (string?)primitive.Attribute("id") ?? "";
        var targets = new List<XElement> { primitive };
        var group = primitive.Parent?.Name.LocalName == "group" ? primitive.Parent : null;
        bool lastInGroup = group is not null && group.Elements("primitive").Count() == 1;
        if (lastInGroup) targets.Add(group!);
        var holder = group is null ? primitive : lastInGroup ? group! : null;
        var clone = holder?.Parent?.Name.LocalName is "clone" or "master" ? holder.Parent : null;
        if (clone is not null) targets.Add(clone);
        foreach (var t in targets)
        {
            var tid = (string?)t.Attribute("id") ?? "";
            var removed = cib.Constraints.Where(c => ConstraintCommands.References(c, tid))
                .OrderBy(c => c.Name.LocalName, StringComparer.Ordinal).Select(c => (string?)c.Attribute("id") ?? "").ToList();
            ConstraintCommands.RemoveReferences(cib, tid, _ => { });
            if (!quiet)
                foreach (var cid in removed) inv.Err.WriteLine($"Removing Constraint - {cid}");
        }
        var what = lastInGroup ? clone is not null ? " (and group and clone)" : " (and group)" : "";
        if (!quiet) inv.Err.WriteLine($"Deleting Resource{what} - {id}");
        (clone ?? (lastInGroup ? group! : primitive)).Remove();
    }

    public static PcsCommand Enable { get; } = Pcs.Command("resource enable", "resource enable <resource id>...", inv => SetMeta(inv, "target-role", ""));

    public static PcsCommand Disable { get; } = Pcs.Command("resource disable", "resource disable <resource id>...", inv => SetMeta(inv, "target-role", "Stopped"));

    public static PcsCommand Manage { get; } = Pcs.Command("resource manage", "resource manage <resource id>...", inv => SetMeta(inv, "is-managed", ""));

    public static PcsCommand Unmanage { get; } = Pcs.Command("resource unmanage", "resource unmanage <resource id>...", inv => SetMeta(inv, "is-managed", "false"));

    private static int SetMeta(PcsInvocation inv, string name, string value)
    {
        if (inv.Args.Count == 0) return inv.Usage("You must specify resource(s)");
        return PcsCibSession.Edit(inv, cib =>
        {
            var missing = inv.Args.Where(id => cib.FindResource(id) is null).ToList();
            if (missing.Count > 0)
                return inv.FailAll(missing.Select(id => $"bundle/clone/group/resource/tag '{id}' does not exist"));
            // Enabling or disabling an unmanaged resource changes nothing until it is managed again.
            if (name == "target-role")
                foreach (var id in inv.Args.Distinct(StringComparer.Ordinal).Where(id => !Crm.Monitor.ClusterState.IsManaged(cib.Root, id)))
                    inv.Err.WriteLine($"Warning: '{id}' is unmanaged");
            foreach (var id in inv.Args)
            {
                var named = cib.FindResource(id)!;
                var targets = name == "is-managed" ? (value.Length == 0 ? ToManage(named) : ToUnmanage(named))
                    : value.Length == 0 ? ToEnable(named) : [named];
                foreach (var r in targets)
                {
                    if (value.Length == 0 && r.Element("meta_attributes") is null) continue;
                    NvSetEditor.Set(cib, NvSetEditor.GetOrAdd(cib, r, "meta_attributes", $"{(string?)r.Attribute("id")}-meta_attributes", first: true), name, value);
                }
            }
            return 0;
        });
    }

    /// <summary>
    /// What pcs enables for a resource: a clone or bundle and what it holds, or a resource and the
    /// clone or bundle holding it (a stopped clone would keep an enabled primitive stopped).
    /// </summary>
    private static List<XElement> ToEnable(XElement r)
    {
        if (r.Name.LocalName is "clone" or "master" or "bundle")
            return r.Elements().FirstOrDefault(c => c.Name.LocalName is "primitive" or "group") is { } inner ? [r, inner] : [r];
        return r.Parent is { Name.LocalName: "clone" or "master" or "bundle" } parent ? [r, parent] : [r];
    }

    /// <summary>
    /// What pcs unmanages for a resource: a clone's inner resource, a group's primitives (not the
    /// group, so managing one member later does not manage the others), a primitive itself.
    /// </summary>
    private static List<XElement> ToUnmanage(XElement r)
    {
        if (r.Name.LocalName is "clone" or "master")
            r = r.Elements().FirstOrDefault(c => c.Name.LocalName is "primitive" or "group") ?? r;
        return r.Name.LocalName switch
        {
            "group" => [.. r.Elements("primitive")],
            "primitive" => [r],
            "bundle" => [r, .. r.Elements("primitive")],
            _ => [],
        };
    }

    /// <summary>
    /// What pcs manages for a resource: itself, the clone, group or bundle holding it and what it
    /// holds, so no is-managed=false is left anywhere in its tree.
    /// </summary>
    private static List<XElement> ToManage(XElement r)
    {
        var parents = r.Ancestors().TakeWhile(a => a.Name.LocalName != "resources")
            .Where(a => a.Name.LocalName is "clone" or "master" or "group" or "bundle").ToList();
        // pcs takes a clone around this resource (or its group), and any group holding it.
        var children = r.Elements().Where(c => c.Name.LocalName is "group" or "primitive")
            .SelectMany(c => c.Name.LocalName == "group" ? [c, .. c.Elements("primitive")] : new[] { c });
        return [r, .. parents, .. children];
    }

    public static PcsCommand Meta { get; } = Pcs.Command("resource meta", "resource meta <resource id> <meta options>", inv =>
    {
        if (inv.Args.Count < 2) return inv.Usage("usage: pcs resource meta <resource id | group id | clone id> <meta options>");
        var (pairs, error) = NvSetEditor.ParsePairs(inv.Args.Skip(1));
        if (error is not null) return inv.Usage(error);
        return PcsCibSession.Edit(inv, cib =>
        {
            var r = cib.FindResource(inv.Args[0]);
            if (r is null) return inv.Usage($"unable to find a resource/clone/group: {inv.Args[0]}");
            // pcs 0.11.5 appends a new set here (crm_resource's enable/disable/manage put it first).
            var set = NvSetEditor.GetOrAdd(cib, r, "meta_attributes", $"{inv.Args[0]}-meta_attributes");
            foreach (var (n, v) in pairs) NvSetEditor.Set(cib, set, n, v);
            return 0;
        });
    });

    public static PcsCommand Update { get; } = new(["resource", "update"], "resource update <resource id> [options] [op ...] [meta ...]", inv => UpdateAsync(inv, stonith: false));

    public static PcsCommand StonithUpdate { get; } = new(["stonith", "update"], "stonith update <stonith id> [options] [op ...] [meta ...]", inv => UpdateAsync(inv, stonith: true));

    private static async Task<int> UpdateAsync(PcsInvocation inv, bool stonith)
    {
        if (inv.Args.Count < 1) return inv.Usage("usage: pcs resource update <resource id> [resource options] [op [<operation action> <operation options>]...] [meta <meta options>]");
        var (spec, error) = ResourceSpec.Parse(inv.Args.Skip(1));
        if (spec is null) return inv.Usage(error!);
        Agents.Metadata.AgentMetadata? metadata = null;
        // The metadata is read first (outside the CIB session) to check the new options.
        string? agentText = null;
        var current = new HashSet<string>(StringComparer.Ordinal);
        var peek = PcsCibSession.Read(inv, cib =>
        {
            var r = cib.FindResource(inv.Args[0]);
            if (r is null || r.Name.LocalName != "primitive")
                return inv.Usage($"Unable to find resource: {inv.Args[0]}");
            agentText = $"{(string?)r.Attribute("class")}:{((string?)r.Attribute("provider") is { } p ? p + ":" : "")}{(string?)r.Attribute("type")}";
            foreach (var pair in r.Elements("instance_attributes").Take(1).Elements("nvpair"))
                if ((string?)pair.Attribute("name") is { } name) current.Add(name);
            return 0;
        });
        if (peek != 0) return peek;
        if (spec.Instance.Count > 0 && AgentId.TryParse(agentText!, out var agent, out _) && agent is not null)
        {
            var invoker = AgentInvoker.FromEnvironment(inv.Context.GetEnv);
            (metadata, _) = await invoker.GetMetadataAsync(agent).ConfigureAwait(false);
            if (metadata is not null)
            {
                var names = metadata.Parameters.Select(p => p.Name).Concat(stonith ? Agents.Metadata.FencerParameters.Common.Select(p => p.Name)
                    : agent.Standard == AgentStandard.Ocf ? Agents.Metadata.FencerParameters.OcfTracing.Select(p => p.Name) : []).ToHashSet(StringComparer.Ordinal);
                // As pcs: options already in the CIB are not reported, even unknown ones; removing
                // an unknown option (name=) is.
                var unknown = spec.Instance.Where(i => !names.Contains(i.Name) && !current.Contains(i.Name)).Select(i => i.Name).Distinct().Order(StringComparer.Ordinal).ToList();
                if (unknown.Count > 0)
                {
                    var allowed = string.Join(", ", names.Order(StringComparer.Ordinal).Select(n => $"'{n}'"));
                    var message = unknown.Count == 1
                        ? $"invalid {(stonith ? "stonith" : "resource")} option '{unknown[0]}', allowed options are: {allowed}"
                        : $"invalid {(stonith ? "stonith" : "resource")} options: {string.Join(", ", unknown.Select(n => $"'{n}'"))}, allowed options are: {allowed}";
                    if (!inv.Options.Force) return inv.Usage(Pcs.Forceable(message));
                    inv.Err.WriteLine($"Warning: {message}");
                }
                // A required option named in the update may not end up removed.
                var final = new HashSet<string>(current, StringComparer.Ordinal);
                foreach (var (name, value) in spec.Instance)
                    if (value.Length == 0) final.Remove(name); else final.Add(name);
                var named = spec.Instance.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
                var removed = metadata.Parameters.Where(p => p.Required && !p.Deprecated && named.Contains(p.Name) && !final.Contains(p.Name)
                        && !(stonith && p.Name is "port" or "plug" or "action"))
                    .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                var kind = stonith ? "stonith" : "resource";
                if (removed.Count > 0)
                {
                    var message = removed.Count == 1
                        ? $"required {kind} option '{removed[0]}' is missing"
                        : $"required {kind} options {string.Join(", ", removed.Select(n => $"'{n}'"))} are missing";
                    if (!inv.Options.Force) return inv.Usage(Pcs.Forceable(message));
                    inv.Err.WriteLine($"Warning: {message}");
                }
            }
        }
        return PcsCibSession.Edit(inv, cib =>
        {
            var r = cib.FindResource(inv.Args[0])!;
            var id = inv.Args[0];
            // As pcs: no new set is made only to remove values from it.
            if (spec.Instance.Count > 0 && (r.Element("instance_attributes") is not null || spec.Instance.Any(i => i.Value.Length > 0)))
            {
                var set = r.Element("instance_attributes") ?? NvSetEditor.GetOrAdd(cib, r, "instance_attributes", $"{id}-instance_attributes");
                foreach (var (n, v) in spec.Instance) NvSetEditor.Set(cib, set, n, v);
            }
            if (spec.Meta.Count > 0 && (r.Element("meta_attributes") is not null || spec.Meta.Any(i => i.Value.Length > 0)))
            {
                var set = NvSetEditor.GetOrAdd(cib, r, "meta_attributes", $"{id}-meta_attributes", first: true);
                foreach (var (n, v) in spec.Meta) NvSetEditor.Set(cib, set, n, v);
            }
            foreach (var op in spec.Operations)
            {
                // "update ... op NAME k=v" replaces the operation(s) of that name.
                var ops = r.Element("operations") ?? AddOperations(r);
                ops.Elements("op").Where(o => (string?)o.Attribute("name") == op.Name).Remove();
                ops.Add(OpElement(cib, id, op));
            }
            return 0;
        });
    }

    private static XElement AddOperations(XElement primitive)
    {
        var ops = new XElement("operations");
        primitive.Add(ops);
        return ops;
    }

    private static XElement OpElement(PcsCib cib, string rscId, OperationSpec op)
    {
        var e = new XElement("op", new XAttribute("name", op.Name));
        foreach (var (k, v) in op.Options.Where(o => o.Name != "id")) e.Add(new XAttribute(k, v));
        var interval = op.Get("interval") ?? (op.Name == "monitor" ? "60s" : "0s");
        if (op.Get("interval") is null) e.Add(new XAttribute("interval", interval));
        e.Add(new XAttribute("id", op.Get("id") ?? cib.UniqueId($"{rscId}-{op.Name}-interval-{interval}")));
        return e;
    }

    public static PcsCommand OpAdd { get; } = Pcs.Command("resource op add", "resource op add <resource id> <operation action> [operation properties]", inv =>
    {
        if (inv.Args.Count < 2) return inv.Usage("usage: pcs resource op add <resource id> <operation action> [operation properties]");
        // Like pcs 0.11.5, values are stored as given (err-pcs-resource-create-bad-op.txt):
        // crm_verify and the scheduler read an unparsable interval as 0, as Pacemaker does.
        return PcsCibSession.Edit(inv, cib =>
        {
            var rscId = inv.Args[0];
            var r = cib.FindResource(rscId);
            if (r is null || r.Name.LocalName != "primitive") return inv.Usage($"Unable to find resource: {rscId}");
            var name = inv.Args[1];
            // Words without '=' are dropped, as pcs does.
            var options = inv.Args.Skip(2).Where(w => w.Contains('=')).Select(w => (Name: w[..w.IndexOf('=')], Value: w[(w.IndexOf('=') + 1)..])).ToList();
            if (name.Contains('=')) return inv.Usage($"{name} does not appear to be a valid operation action");
            if (!inv.Options.Force)
                foreach (var (key, value) in options)
                {
                    if (!OpAddOptions.Contains(key)) return inv.Usage($"{key} is not a valid op option (use --force to override)");
                    if (key == "role" && !OpRoles.Contains(value))
                        return inv.Usage("role must be: 'Master', 'Promoted', 'Slave', 'Started', 'Stopped' or 'Unpromoted' (use --force to override)");
                }
            var interval = options.FirstOrDefault(o => o.Name == "interval").Value;
            if (string.IsNullOrEmpty(interval))
            {
                interval = name == "monitor" ? "60s" : "0s";
                options.Add(("interval", interval));
            }
            // pcs sorts the properties by name; the element starts with id and name.
            options = [.. options.OrderBy(o => o.Name, StringComparer.Ordinal)];
            string? opId = null;
            foreach (var (key, value) in options.Where(o => o.Name == "id"))
            {
                opId = value;
                if ((PcsCib.IdError(value, "operation id") ?? (cib.IdExists(value) ? $"id '{value}' is already in use, please specify another one" : null)) is { } bad)
                    return inv.Usage(bad);
            }
            opId ??= cib.UniqueId($"{rscId}-{name}-interval-{interval}");
            var op = new XElement("op", new XAttribute("id", opId), new XAttribute("name", name));
            foreach (var (key, value) in options.Where(o => o.Name != "id"))
            {
                if (key == "OCF_CHECK_LEVEL")
                {
                    var set = new XElement("instance_attributes", new XAttribute("id", cib.UniqueId($"params-{opId}")));
                    op.Add(set);
                    set.Add(new XElement("nvpair", new XAttribute("name", key), new XAttribute("value", value),
                        new XAttribute("id", cib.UniqueId($"{opId}-{key}-{value}"))));
                }
                else if (key == "role" && !inv.Options.Force)
                    op.SetAttributeValue(key, cib.CibRole(value));
                else
                    op.SetAttributeValue(key, value);
            }
            var ops = r.Element("operations");
            if (ops is not null)
            {
                var seconds = PcsSeconds((string?)op.Attribute("interval") ?? "");
                var sameInterval = ops.Elements("op").Where(o => (string?)o.Attribute("name") == name
                    && PcsSeconds((string?)o.Attribute("interval") ?? "") == seconds).ToList();
                if (sameInterval.Count > 0)
                {
                    inv.Err.WriteLine($"Error: operation {name} with interval {seconds}s already specified for {rscId}:");
                    foreach (var o in sameInterval) inv.Err.WriteLine(OperationText(o));
                    return 1;
                }
                if (!inv.Options.Force)
                {
                    string Role(XElement o) => cib.CibRole((string?)o.Attribute("role") is { Length: > 0 } role ? role : "Started");
                    static string? CheckLevel(XElement o) => o.Elements("instance_attributes").Elements("nvpair")
                        .FirstOrDefault(n => (string?)n.Attribute("name") == "OCF_CHECK_LEVEL") is { } n ? (string?)n.Attribute("value") : null;
                    var sameName = ops.Elements("op").Where(o => (string?)o.Attribute("name") == name
                        && (name != "monitor" || (Role(o) == Role(op) && CheckLevel(o) == CheckLevel(op)))).ToList();
                    if (sameName.Count > 0)
                    {
                        inv.Err.WriteLine($"Error: operation {name} already specified for {rscId}, use --force to override:");
                        foreach (var o in sameName) inv.Err.WriteLine(OperationText(o));
                        return 1;
                    }
                }
            }
            else
                ops = AddOperations(r);
            ops.Add(op);
            return 0;
        });
    });

    private static readonly string[] OpAddOptions =
        ["id", "name", "interval", "description", "start-delay", "interval-origin", "timeout", "enabled", "record-pending", "role", "on-fail", "OCF_CHECK_LEVEL"];

    private static readonly string[] OpRoles = ["Stopped", "Started", "Promoted", "Unpromoted", "Master", "Slave"];

    /// <summary>pcs's reading of an interval in seconds (a whole number, or with s/sec/m/min/h/hr); anything else stays as written.</summary>
    private static string PcsSeconds(string text)
    {
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return n >= 0 ? n.ToString(CultureInfo.InvariantCulture) : text;
        foreach (var (suffix, factor) in new[] { ("s", 1), ("sec", 1), ("m", 60), ("min", 60), ("h", 3600), ("hr", 3600) })
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text[..^suffix.Length] is { Length: > 0 } digits && digits.All(char.IsAsciiDigit))
                return (long.Parse(digits, CultureInfo.InvariantCulture) * factor).ToString(CultureInfo.InvariantCulture);
        return text;
    }

    /// <summary>An operation as pcs lists a duplicate: name, the other attributes sorted, check level, id.</summary>
    private static string OperationText(XElement op) =>
        string.Join(' ', new[] { (string?)op.Attribute("name") ?? "" }
            .Concat(op.Attributes().Where(a => a.Name.LocalName is not ("id" or "name")).OrderBy(a => a.Name.LocalName, StringComparer.Ordinal).Select(a => $"{a.Name.LocalName}={a.Value}"))
            .Concat(op.Descendants("nvpair").Select(n => $"{(string?)n.Attribute("name")}={(string?)n.Attribute("value")}"))
            .Append($"({(string?)op.Attribute("id")})"));

    public static PcsCommand OpDelete { get; } = Pcs.Command("resource op delete", "resource op delete <resource id> <operation action> [properties] | <operation id>", OpDeleteRun);

    public static PcsCommand OpRemove { get; } = Pcs.Command("resource op remove", "resource op remove <resource id> <operation action> [properties] | <operation id>", OpDeleteRun);

    private static int OpDeleteRun(PcsInvocation inv)
    {
        if (inv.Args.Count < 1) return inv.Usage("usage: pcs resource op delete <resource id> <operation action> [<operation properties>...]");
        return PcsCibSession.Edit(inv, cib =>
        {
            if (inv.Args.Count == 1)
            {
                var byId = cib.Primitives.SelectMany(p => p.Elements("operations").Elements("op")).FirstOrDefault(o => (string?)o.Attribute("id") == inv.Args[0]);
                if (byId is null) return inv.Usage($"unable to find operation id: {inv.Args[0]}");
                byId.Remove();
                return 0;
            }
            var r = cib.FindResource(inv.Args[0]);
            if (r is null || r.Name.LocalName != "primitive") return inv.Usage($"Unable to find resource: {inv.Args[0]}");
            var (pairs, error) = NvSetEditor.ParsePairs(inv.Args.Skip(2));
            if (error is not null) return inv.Usage(error);
            var matches = r.Element("operations")?.Elements("op").Where(o => (string?)o.Attribute("name") == inv.Args[1]
                && pairs.All(p => (string?)o.Attribute(p.Name) == p.Value)).ToList() ?? [];
            if (matches.Count == 0)
                return inv.Usage($"Unable to find operation matching: {string.Join(' ', inv.Args.Skip(1))}");
            matches.Remove();
            return 0;
        });
    }

    public static PcsCommand Ban { get; } = Pcs.Command("resource ban", "resource ban <resource id> [node] [lifetime=<lifetime>]", inv =>
    {
        if (inv.Args.Count < 1) return inv.Usage("usage: pcs resource ban <resource id> [node] [lifetime=<lifetime>]");
        return PcsCibSession.Edit(inv, cib =>
        {
            var id = inv.Args[0];
            var node = inv.Args.Skip(1).FirstOrDefault(a => !a.Contains('='));
            // pcs 0.11.5 checks the resource and the node together and reports both.
            var errors = new List<string>();
            if (cib.FindResource(id) is null) errors.Add($"bundle/clone/group/resource '{id}' does not exist");
            if (node is not null && !cib.NodeNames.Contains(node)) errors.Add($"Node '{node}' does not appear to exist in configuration");
            if (errors.Count > 0) return inv.FailAll(errors);
            if (node is null)
            {
                var running = Crm.Monitor.ClusterState.RunningOn(cib.Root, id);
                if (running.Count == 0)
                    return inv.Usage("You must specify a node when moving/banning a stopped resource");
                if (running.Count != 1)
                    return inv.Usage($"Resource '{id}' not moved: active in {running.Count} locations.\nTo prevent '{id}' from running on a specific location, specify a node.");
                node = running[0];
            }
            var cid = $"cli-ban-{id}-on-{node}";
            var constraints = cib.Section("constraints");
            constraints.Elements("rsc_location").Where(c => (string?)c.Attribute("id") == cid).Remove();
            constraints.Add(new XElement("rsc_location", new XAttribute("id", cid), new XAttribute("rsc", id), new XAttribute("role", "Started"),
                new XAttribute("node", node), new XAttribute("score", "-INFINITY")));
            inv.Err.WriteLine($"Warning: Creating location constraint '{cid}' with a score of -INFINITY for resource {id} on {node}.");
            inv.Err.WriteLine($"\tThis will prevent {id} from running on {node} until the constraint is removed");
            inv.Err.WriteLine($"\tThis will be the case even if {node} is the last node in the cluster");
            return 0;
        });
    });

    public static PcsCommand Clear { get; } = Pcs.Command("resource clear", "resource clear <resource id> [node]", inv =>
    {
        if (inv.Args.Count < 1) return inv.Usage("usage: pcs resource clear <resource id> [node]");
        return PcsCibSession.Edit(inv, cib =>
        {
            var id = inv.Args[0];
            if (cib.FindResource(id) is null) return inv.FailAll([$"bundle/clone/group/resource '{id}' does not exist"]);
            var node = inv.Args.Count > 1 ? inv.Args[1] : null;
            // pcs hands this to crm_resource, which looks the node up first.
            if (node is not null && !cib.NodeNames.Contains(node))
            {
                inv.Err.WriteLine($"Error: cannot clear resource '{id}'");
                inv.Err.WriteLine($"crm_resource: Node '{node}' not found");
                inv.Err.WriteLine("Error performing operation: No such object");
                return 1;
            }
            foreach (var c in cib.Constraints.Where(c => c.Name.LocalName == "rsc_location" && (string?)c.Attribute("rsc") == id
                         && ((string?)c.Attribute("id") ?? "").StartsWith("cli-", StringComparison.Ordinal)
                         && (node is null || (string?)c.Attribute("node") == node))
                         .OrderBy(c => (string?)c.Attribute("id"), StringComparer.Ordinal).ToList())
            {
                inv.Err.WriteLine($"Removing constraint: {(string?)c.Attribute("id")}");
                c.Remove();
            }
            return 0;
        });
    });

    /// <summary>Commands that need the running cluster: pcs refuses them with -f.</summary>
    public static IEnumerable<PcsCommand> LiveOnly { get; } =
    [
        new PcsCommand(["resource", "cleanup"], "resource cleanup [<resource id>] [node=<node>]", inv => CleanupAsync(inv, "--cleanup")),
        new PcsCommand(["resource", "refresh"], "resource refresh [<resource id>] [node=<node>]", inv => CleanupAsync(inv, "--refresh")),
        StonithLiveCommands.Fence,
        StonithLiveCommands.History,
    ];

    /// <summary>pcs runs crm_resource for these, and prints what it prints.</summary>
    private static Task<int> CleanupAsync(PcsInvocation inv, string command)
    {
        if (inv.OnFile)
            return Task.FromResult(NotOnFile(inv));
        var args = new List<string> { command };
        foreach (var a in inv.Args)
        {
            if (a.StartsWith("node=", StringComparison.Ordinal)) args.AddRange(["--node", a["node=".Length..]]);
            else if (!a.StartsWith('-')) args.AddRange(["--resource", a]);
        }
        return Dispatch.ToolRegistry.All["crm_resource"].Run(inv.Context, [.. args]);
    }

    private static int NotOnFile(PcsInvocation inv) =>
        inv.OnFile
            ? inv.Usage("Specified option '-f' is not supported in this command")
            : inv.Usage("this command is not implemented on the live cluster yet (planned)");
}
