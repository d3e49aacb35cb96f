using System.Globalization;
using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

// Clones: unpacking the clone and its instances, and mapping lrm history entries to instances.
// The model is described on CloneInfo.
internal sealed partial class SchedulerRun
{
    /// <summary>Configured primitive id inside a clone (child or group member) -> the clone.</summary>
    private readonly Dictionary<string, WorkResource> _cloneByBaseId = new(StringComparer.Ordinal);
    internal readonly List<WorkResource> Clones = [];

    private WorkResource AddClone(CibClone c, ref int index)
    {
        var cw = new WorkResource(c.Id, null, index++) { Meta = MetaFor(c, null, null) };
        var info = new CloneInfo(c);
        cw.Clone = info;
        string? G(string n) => cw.Meta.TryGetValue(n, out var v) ? v : null;
        info.Promotable = c.LegacyMaster || Truth.IsTrue(G("promotable"));
        info.Unique = Truth.IsTrue(G("globally-unique"));
        // LSB services can run only once per node: their clones are always anonymous.
        if (info.Unique && c.Child.Children.Append(c.Child).OfType<CibPrimitive>().Any(p => p.Class == "lsb"))
            info.Unique = false;
        info.Interleave = Truth.IsTrue(G("interleave"));
        info.Ordered = Truth.IsTrue(G("ordered"));
        info.Notify = Truth.IsTrue(G("notify"));
        info.CloneMax = IntMeta(G("clone-max"), Nodes.Count);
        info.CloneNodeMax = IntMeta(G("clone-node-max"), 1);
        info.CloneMin = IntMeta(G("clone-min"), 0);
        info.PromotedMax = IntMeta(G("promoted-max") ?? G("master-max"), 1);
        info.PromotedNodeMax = IntMeta(G("promoted-node-max") ?? G("master-node-max"), 1);
        // Clones are sticky by default.
        cw.Meta.TryAdd("resource-stickiness", "1");
        ApplyMeta(cw);
        ById[c.Id] = cw;
        Clones.Add(cw);
        switch (c.Child)
        {
            case CibPrimitive p: _cloneByBaseId[p.Id] = cw; ById.TryAdd(p.Id, cw); break;
            case CibGroup g:
                ById.TryAdd(g.Id, cw);
                foreach (var m in g.Members) { _cloneByBaseId[m.Id] = cw; ById.TryAdd(m.Id, cw); }
                break;
        }
        // Even with clone-max=0 there is one (orphan) instance for history to map to.
        int count = Math.Max(info.CloneMax, 1);
        for (int i = 0; i < count; i++)
        {
            var inst = NewInstance(cw, ref index);
            if (info.CloneMax == 0) SetOrphan(inst);
        }
        return cw;
    }

    private static int IntMeta(string? s, int dflt) =>
        s is not null && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? Math.Max(v, 0) : dflt;

    /// <summary>Creates the next-numbered instance of a clone (primitive, or group with members).</summary>
    private WorkResource NewInstance(WorkResource clone, ref int index)
    {
        var info = clone.Clone!;
        int n = info.NextNumber++;
        WorkResource inst;
        switch (info.Config.Child)
        {
            case CibPrimitive p:
                inst = AddPrimitive(p with { }, clone, index++, $"{p.Id}:{n}");
                inst.Instance = new CloneInstance(clone, n, p.Id);
                break;
            case CibGroup g:
                inst = new WorkResource($"{g.Id}:{n}", null, index++) { Parent = clone, Meta = MetaFor(g, clone, null) };
                inst.Instance = new CloneInstance(clone, n, g.Id);
                ApplyMeta(inst);
                ById[inst.Id] = inst;
                foreach (var m in g.Members)
                {
                    var mw = AddPrimitive(m, inst, index++, $"{m.Id}:{n}");
                    mw.Instance = new CloneInstance(clone, n, m.Id);
                    inst.Children.Add(mw);
                }
                break;
            default:
                throw new InvalidOperationException($"clone {clone.Id}: unsupported child {info.Config.Child.Id}");
        }
        clone.Children.Add(inst);
        info.Instances.Add(inst);
        return inst;
    }

    private static void SetOrphan(WorkResource inst)
    {
        inst.Orphan = true;
        foreach (var m in inst.Children) m.Orphan = true;
    }

    /// <summary>The primitives of a clone instance (itself, or a group instance's members).</summary>
    internal static IEnumerable<WorkResource> InstanceLeaves(WorkResource inst) => inst.IsGroup ? inst.Children : [inst];

    /// <summary>Every primitive of every instance of a clone.</summary>
    internal static IEnumerable<WorkResource> CloneLeaves(WorkResource clone) => clone.Children.SelectMany(InstanceLeaves);

    /// <summary>Nodes where any part of an instance is active (a group instance can be partly active).</summary>
    internal static IEnumerable<WorkNode> InstanceLocations(WorkResource inst) =>
        InstanceLeaves(inst).SelectMany(l => l.RunningOn).Distinct();

    private static string StripInstance(string id)
    {
        int colon = id.LastIndexOf(':');
        if (colon <= 0 || colon == id.Length - 1) return id;
        for (int i = colon + 1; i < id.Length; i++)
            if (!char.IsAsciiDigit(id[i])) return id;
        return id[..colon];
    }

    /// <summary>
    /// The instance primitive an lrm history entry on a node belongs to, or null when the entry is
    /// not a clone's (or is a globally-unique clone's orphan, which is handled like any orphan).
    /// </summary>
    private WorkResource? ResolveCloneHistory(WorkNode node, string lrmId, LrmResource? lrOps = null)
    {
        var baseId = StripInstance(lrmId);
        if (!_cloneByBaseId.TryGetValue(baseId, out var clone)) return null;
        var info = clone.Clone!;
        if (lrOps is not null) NoteFailedProbes(clone, node, lrOps);
        WorkResource? found;
        if (info.Unique)
        {
            found = ById.TryGetValue(lrmId, out var exact) && exact.Instance?.Clone == clone && exact.Primitive is not null ? exact : null;
            if (found is null) return null;
        }
        else found = FindAnonymousInstance(clone, node, baseId);
        found.Instance!.HistoryIds[node] = lrmId;
        if (lrmId != found.Id) found.Instance.CloneName = lrmId;
        return found;
    }

    /// <summary>
    /// Probes that failed with a real error, per (clone, node): shown as "Stopped (not installed)" and
    /// similar. Pacemaker finds them by the entry's on_node attribute, so one without it is not shown.
    /// </summary>
    private readonly Dictionary<(WorkResource, WorkNode), int> _failedProbes = [];

    private void NoteFailedProbes(WorkResource clone, WorkNode node, LrmResource lr)
    {
        foreach (var op in lr.Ops)
            if (op.Operation == "monitor" && op.IntervalMs == 0 && op.OpStatus is 0 or 4 && op.RcCode is not (0 or 7 or 8)
                && op.Attributes.TryGetValue("on_node", out var onNode) && string.Equals(onNode, node.Uname, StringComparison.OrdinalIgnoreCase))
                _failedProbes.TryAdd((clone, node), op.RcCode);
    }

    internal bool NotInstalledOn(WorkResource clone, WorkNode node) => _failedProbes.GetValueOrDefault((clone, node)) == 5;

    /// <summary>The nodes a clone's "Stopped" list is drawn from: its allowed nodes as unpacked
    /// (every node in a symmetric cluster), else the nodes where it has history.</summary>
    internal IEnumerable<WorkNode> CloneAllowedForDisplay(WorkResource clone)
    {
        if (Config.SymmetricCluster) return Nodes;
        var leaves = CloneLeaves(clone).ToHashSet();
        var banned = ExtraBans.Where(b => leaves.Contains(b.Rsc) || b.Rsc == clone).Select(b => b.Node).ToHashSet();
        if (banned.Count > 0) return Nodes.Where(banned.Contains);
        return Nodes.Where(n => leaves.Any(l => l.KnownOn.Contains(n)));
    }

    /// <summary>Pacemaker's choice of instance for an anonymous clone's history entry on a node.</summary>
    private WorkResource FindAnonymousInstance(WorkResource clone, WorkNode node, string baseId)
    {
        var info = clone.Clone!;
        WorkResource? found = null, inactive = null;
        bool skipInactive = false;
        foreach (var inst in info.Instances)
        {
            var locations = InstanceLocations(inst).ToList();
            if (locations.Count > 0)
            {
                if (locations[0] != node) continue;
                var member = MemberOf(inst, baseId);
                if (member is null) continue;
                // A second history entry for an instance already active here is an orphan.
                if (member.Active) { skipInactive = true; continue; }
                found = member;
                break;
            }
            if (!skipInactive && inactive is null && !inst.Blocked)
                inactive = MemberOf(inst, baseId);
        }
        if (found is null && !skipInactive) found = inactive;
        // Instances that need no fencing and seem active on a lost node must not consume a number.
        if (found is not null && found.Requires != "fencing" && (!node.Online || node.Unclean) && info.CloneMax < Nodes.Count)
            found = null;
        if (found is null)
        {
            int index = int.MaxValue / 2 + info.NextNumber;
            var orphan = NewInstance(clone, ref index);
            SetOrphan(orphan);
            found = MemberOf(orphan, baseId)!;
        }
        return found;
    }

    private static WorkResource? MemberOf(WorkResource inst, string baseId) =>
        inst.IsGroup ? inst.Children.FirstOrDefault(m => m.Instance?.BaseId == baseId) : inst.Instance?.BaseId == baseId ? inst : null;

    /// <summary>Fail counts name an anonymous clone by its configured id (any instance number is ignored):
    /// they count for every instance.</summary>
    private IEnumerable<WorkResource> FailCountTargets(string rid)
    {
        var baseId = StripInstance(rid);
        if (_cloneByBaseId.TryGetValue(baseId, out var clone) && !clone.Clone!.Unique)
            return CloneLeaves(clone).Where(l => l.Instance!.BaseId == baseId);
        if (ById.TryGetValue(rid, out var r) && r.Primitive is not null) return [r];
        return [];
    }
}

internal sealed partial class SchedulerRun
{
    /// <summary>A clone instance's parameters include its cloned group's and its clone's instance
    /// attributes (its own win).</summary>
    private static Dictionary<string, string> InheritCloneParameters(WorkResource r, Dictionary<string, string> own, RuleContext ctx)
    {
        if (r.Instance is not { } ci) return own;
        var config = ci.Clone.Clone!.Config;
        if (config.Child is CibGroup g && r.Parent != ci.Clone) NvSet.Flatten(g.InstanceAttributes, ctx, own);
        NvSet.Flatten(config.InstanceAttributes, ctx, own);
        return own;
    }
}
