using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

// Promotable clones: which instances are promoted (Pacemaker 2.1.5's promotion priorities).
//
// Before allocation, positive promotion scores (node attributes master-<rsc>) are added to each
// instance's node scores, so instances go where they can be promoted. After the clone's instances
// are allocated, each allocated instance gets a priority: its promotion score on its node (-1 when
// none is recorded; -INFINITY when it must stay unpromoted), plus role=Promoted location scores for
// that node, plus the effect of the clone's role-specific colocations. The priorities are summed
// per node into a copy of the clone's node scores (with dependents' and primaries' preferences for
// the promoted role merged in), each instance then takes its node's sum as its sort index, and the
// first promoted-max instances by (sort index, current role, instance order) are promoted, at most
// promoted-node-max per node.
internal sealed partial class SchedulerRun
{
    /// <summary>Location scores that apply only to the promoted role, per constrained resource.</summary>
    private readonly List<(WorkResource Target, WorkNode Node, Score Score)> _promotedLocations = [];
    /// <summary>Colocations with a role on either side.</summary>
    private readonly List<WorkColocation> _roleColocations = [];
    /// <summary>Promotion priority of an allocated instance (Pacemaker's repurposed rsc->priority).</summary>
    private readonly Dictionary<WorkResource, int> _promotionPriority = [];
    /// <summary>Promotion sort index (the value printed as "promotion score").</summary>
    private readonly Dictionary<WorkResource, int> _promotionSortIndex = [];

    internal static bool IsPromotable(WorkResource r) => r.Clone?.Promotable == true;

    /// <summary>The promotable clone a resource (instance or member of a group instance) belongs to.</summary>
    internal static WorkResource? PromotableOf(WorkResource r) =>
        r.Instance?.Clone is { Clone.Promotable: true } c ? c : null;

    private void AddPromotedLocation(WorkResource target, WorkNode node, Score score) =>
        _promotedLocations.Add((target, node, score));

    /// <summary>A colocation with a role on either side. Only promotable clones have roles, so on
    /// other resources it is ignored. A dependent colocated with a role of a promotable clone is
    /// placed after the clone (and follows its promoted or unpromoted instances); the clone is
    /// influenced by the dependent's preferences. A promotable clone colocated in a role with a
    /// primary adjusts its promotion priorities only.</summary>
    private void AddRoleColocation(WorkColocation col)
    {
        bool depPromotable = IsPromotable(col.Dependent);
        bool priPromotable = IsPromotable(col.Primary);
        if (!depPromotable && !priPromotable) return;
        _roleColocations.Add(col);
        if (priPromotable && col.PrimaryRole is Role.Promoted or Role.Unpromoted && !depPromotable)
            col.Dependent.ColocationsAsDependent.Add(col);
        col.Primary.ColocationsAsPrimary.Add(col);
    }

    /// <summary>Placing a dependent colocated with a role of an (already allocated) promotable clone:
    /// finite scores count on the nodes of the instances in that role; INFINITY keeps the dependent
    /// to those nodes.</summary>
    private void ApplyColocationWithPromotable(WorkResource d, WorkColocation c)
    {
        var clone = c.Primary;
        if (clone.Provisional && !clone.Assigning) return;
        var affected = new List<WorkNode>();
        foreach (var inst in clone.Clone!.Instances)
        {
            if (InstanceNode(inst) is not { } node) continue;
            if (StateOf(inst, false) != c.PrimaryRole) continue;
            affected.Add(node);
            if (c.Score.Value >= Score.InfinityValue) continue;
            var value = NodeAttr(node, c.NodeAttribute);
            for (int i = 0; i < Nodes.Count; i++)
                if (IsAllowed(d, Nodes[i]) && string.Equals(NodeAttr(Nodes[i], c.NodeAttribute), value, StringComparison.OrdinalIgnoreCase))
                    d.Scores[i] = d.Scores[i] + c.Score;
        }
        if (c.Score.Value >= Score.InfinityValue && !(c.DependentRole == Role.Promoted && c.PrimaryRole == Role.Promoted))
            for (int i = 0; i < Nodes.Count; i++)
                if (IsAllowed(d, Nodes[i]) && !affected.Contains(Nodes[i])) d.Scores[i] = Score.MinusInfinity;
    }

    private static Role StateOf(WorkResource inst, bool current)
    {
        if (!inst.IsGroup) return current ? inst.CurrentRole : inst.NextRole;
        var role = Role.Unknown;
        foreach (var m in inst.Children)
        {
            var r = current ? m.CurrentRole : m.NextRole;
            if (r > role) role = r;
        }
        return role;
    }

    /// <summary>Where an instance is (to be) placed: its own node, or its first member's for a cloned group.</summary>
    private static WorkNode? InstanceNode(WorkResource inst) =>
        inst.IsGroup ? (inst.Children.Count > 0 ? inst.Children[0].AssignedNode : null) : inst.AssignedNode;

    /// <summary>The promotion score of an instance on a node, and whether none was recorded.</summary>
    private (int Score, bool IsDefault) InstancePromotionScore(WorkResource inst, WorkNode node)
    {
        if (inst.IsGroup)
        {
            int sum = 0;
            bool dflt = true;
            foreach (var m in inst.Children)
            {
                var (s, d) = InstancePromotionScore(m, node);
                if (!d) dflt = false;
                sum = (new Score(sum) + new Score(s)).Value;
            }
            return (sum, dflt);
        }
        if (!PromotionScoreApplies(inst, node)) return (0, true);
        var clone = inst.Instance!.Clone;
        string name = inst.Instance.HistoryIds.GetValueOrDefault(node)
            ?? inst.Instance.HistoryIds.Values.FirstOrDefault() ?? inst.Id;
        var score = PromotionScore.Lookup(node.Attributes, name, clone.Clone!.Unique);
        if (score is null && name != inst.Id) score = PromotionScore.Lookup(node.Attributes, inst.Id, clone.Clone!.Unique);
        return score is { } s2 ? (s2.Value, false) : (0, true);
    }

    /// <summary>Whether an instance's recorded promotion score on a node counts (Pacemaker only trusts
    /// scores on nodes where the instance is active or its status is known).</summary>
    private bool PromotionScoreApplies(WorkResource inst, WorkNode node)
    {
        var clone = inst.Instance!.Clone;
        bool check = false;
        if (!clone.Clone!.Unique)
        {
            var baseId = inst.Instance.BaseId;
            var leaves = CloneLeaves(clone).Where(l => l.Instance?.BaseId == baseId).ToList();
            var active = leaves.FirstOrDefault(l => l.RunningOn.Contains(node));
            if (active == inst) check = true;
            else if (active is null && leaves.Any(l => l.KnownOn.Contains(node))) check = true;
        }
        if (!check)
        {
            if (inst.RunningOn.Count == 0 && inst.KnownOn.Count == 0) check = true;
            else if (inst.KnownOn.Contains(node) || inst.RunningOn.Contains(node)) check = true;
            else return false;
        }
        return IsAllowed(inst, node) && inst.Scores[node.Index].Value >= 0;
    }

    /// <summary>Adds positive promotion scores to the instances' node scores before they are allocated,
    /// so that instances land where they can be promoted.</summary>
    internal void AddPromotionScoresBeforeAllocation(WorkResource clone)
    {
        if (!IsPromotable(clone)) return;
        foreach (var inst in clone.Clone!.Instances)
        {
            foreach (var leaf in InstanceLeaves(inst))
            {
                for (int i = 0; i < Nodes.Count; i++)
                {
                    var n = Nodes[i];
                    if (!IsAllowed(leaf, n) || !n.Available) continue;
                    var (score, _) = InstancePromotionScore(inst, n);
                    if (score > 0) leaf.Scores[i] = leaf.Scores[i] + new Score(score);
                }
            }
        }
    }

    /// <summary>Chooses the promoted instances of an allocated promotable clone (sets NextRole).</summary>
    partial void AssignCloneRoles(WorkResource clone)
    {
        if (!IsPromotable(clone)) return;
        var info = clone.Clone!;
        var promotedOn = new int[Nodes.Count];
        // The resources the promoted role is colocated with are placed first.
        foreach (var c in _roleColocations)
            if (c.Dependent == clone && c.Primary != clone) Assign(c.Primary);
        // Without quorum, no-quorum-policy=demote keeps every instance unpromoted.
        bool demoteAll = !HaveQuorum && Config.NoQuorumPolicy == "demote";

        foreach (var inst in info.Instances) SetInstancePriority(clone, inst);

        // Sum the instances' priorities per node into the clone's scores.
        var weights = CloneNodeWeights(clone);
        foreach (var inst in info.Instances)
        {
            if (_promotionSortIndex.GetValueOrDefault(inst) < 0) continue;
            if (InstanceNode(inst) is not { } n) continue;
            weights[n.Index] = new Score(_promotionSortIndex.GetValueOrDefault(inst)) + weights[n.Index];
        }
        ApplyPromotedColocationsToWeights(clone, weights);
        foreach (var inst in info.Instances)
        {
            var chosen = InstanceNode(inst);
            if (!inst.Managed && StateOf(inst, false) == Role.Promoted) _promotionSortIndex[inst] = Score.InfinityValue;
            else if (chosen is null || _promotionSortIndex.GetValueOrDefault(inst) < 0) { }
            else _promotionSortIndex[inst] = weights[chosen.Index].Value;
        }

        var order = info.Instances.Select((inst, i) => (inst, i)).ToList();
        order.Sort((a, b) =>
        {
            int c = _promotionSortIndex.GetValueOrDefault(b.inst).CompareTo(_promotionSortIndex.GetValueOrDefault(a.inst));
            if (c != 0) return c;
            c = StateOf(b.inst, true).CompareTo(StateOf(a.inst, true));
            if (c != 0) return c;
            c = CompareInstancesForPromotion(a.inst, b.inst);
            return c != 0 ? c : a.i.CompareTo(b.i);
        });

        int promoted = 0;
        foreach (var (inst, _) in order)
        {
            var chosen = InstanceNode(inst);
            int sortIndex = _promotionSortIndex.GetValueOrDefault(inst);
            if (_options.CollectScores)
                ScoreLines.Add($"{inst.Id} promotion score on {chosen?.Uname ?? "none"}: {new Score(sortIndex)}");
            WorkNode? target = null;
            if (sortIndex >= 0 && !demoteAll && (promoted < info.PromotedMax || !clone.Managed))
                target = NodeToBePromotedOn(clone, inst, promotedOn);
            if (target is null
                || (StateOf(inst, true) < Role.Promoted && !HaveQuorum && Config.NoQuorumPolicy == "freeze"))
            {
                SetNextRole(inst, Role.Unpromoted);
                continue;
            }
            promotedOn[target.Index]++;
            SetNextRole(inst, Role.Promoted);
            promoted++;
        }
    }

    private static void SetNextRole(WorkResource inst, Role role)
    {
        foreach (var leaf in InstanceLeaves(inst))
            leaf.NextRole = role == Role.Promoted ? Role.Promoted : leaf.AssignedNode is null ? Role.Stopped : Role.Unpromoted;
    }

    private void SetInstancePriority(WorkResource clone, WorkResource inst)
    {
        foreach (var leaf in InstanceLeaves(inst))
            if (leaf.CurrentRole == Role.Started) leaf.CurrentRole = Role.Unpromoted;
        var chosen = InstanceNode(inst);
        if (chosen is null) return;
        var next = StateOf(inst, false);
        // target-role=Unpromoted caps the instance.
        if (next == Role.Started && InstanceLeaves(inst).Any(l => l.TargetRole == Role.Unpromoted)) next = Role.Unpromoted;
        int priority = _promotionPriority.TryGetValue(inst, out var p0) ? p0 : inst.Priority;
        switch (next)
        {
            case Role.Started or Role.Unknown:
                var (score, isDefault) = InstancePromotionScore(inst, chosen);
                priority = isDefault ? -1 : score;
                break;
            case Role.Unpromoted or Role.Stopped:
                priority = -Score.InfinityValue;
                break;
        }
        foreach (var (target, node, s) in _promotedLocations)
            if ((target == clone || target == inst) && node == chosen)
                priority = (new Score(priority) + s).Value;
        foreach (var c in _roleColocations)
            if (c.Dependent == clone) priority = ApplyColocationToPriority(inst, chosen, c, priority);
        _promotionPriority[inst] = priority;
        _promotionSortIndex[inst] = next == Role.Promoted ? Score.InfinityValue : priority;
    }

    /// <summary>A role colocation of the clone (as dependent) adjusts an allocated instance's priority.</summary>
    private int ApplyColocationToPriority(WorkResource inst, WorkNode chosen, WorkColocation c, int priority)
    {
        var primary = c.Primary;
        if (primary.Provisional) return priority;
        var score = c.Score;
        if (IsPromotable(primary) && c.PrimaryRole != Role.Unknown)
        {
            if (c.DependentRole == Role.Unknown) return priority;
            // Is an instance of the primary going to be in the wanted role on this node?
            var value = NodeAttr(chosen, c.NodeAttribute);
            bool found = primary.Clone!.Instances.Any(pi => InstanceNode(pi) is { } pn
                && string.Equals(NodeAttr(pn, c.NodeAttribute), value, StringComparison.OrdinalIgnoreCase)
                && StateOf(pi, false) == c.PrimaryRole);
            if (found) return (new Score(priority) + score).Value;
            return score.Value >= Score.InfinityValue ? -Score.InfinityValue : priority;
        }
        if (c.DependentRole < Role.Unpromoted) return priority;
        int mult = c.DependentRole == Role.Unpromoted ? -1 : 1;
        IEnumerable<WorkResource> primaries = primary.IsClone ? primary.Clone!.Instances : [primary];
        if (primary.IsClone && score.Value >= Score.InfinityValue) return priority;
        foreach (var pr in primaries)
        {
            var pn = pr.IsClone || pr.IsGroup ? InstanceNode(pr) : pr.AssignedNode;
            if (pn is null) continue;
            if (!string.Equals(NodeAttr(pn, c.NodeAttribute), NodeAttr(chosen, c.NodeAttribute), StringComparison.OrdinalIgnoreCase))
            {
                if (score.Value >= Score.InfinityValue && c.DependentRole == Role.Promoted) priority = -Score.InfinityValue;
                continue;
            }
            var primaryNext = pr.IsGroup ? StateOf(pr, false) : pr.NextRole;
            if (c.PrimaryRole != Role.Unknown && c.PrimaryRole != primaryNext) continue;
            priority = (new Score(mult * score.Value) + new Score(priority)).Value;
        }
        return priority;
    }

    /// <summary>The clone's node scores after allocation (the base the promotion sums start from).</summary>
    private Score[] CloneNodeWeights(WorkResource clone)
    {
        var w = new Score[Nodes.Count];
        if (clone.Scores.Length == Nodes.Count) Array.Copy(clone.Scores, w, w.Length);
        return w;
    }

    /// <summary>Merges into the promotion sums the preferences of resources colocated with the
    /// promoted role (dependents), and of the resources the promoted role is colocated with.</summary>
    private void ApplyPromotedColocationsToWeights(WorkResource clone, Score[] weights)
    {
        foreach (var c in _roleColocations)
        {
            if (c.Primary == clone && c.PrimaryRole == Role.Promoted && c.Influence)
                AddColocatedScores(c.Dependent, weights, c.NodeAttribute, (double)c.Score.Value / Score.InfinityValue, onlyNonNegative: true);
            else if (c.Dependent == clone && c.DependentRole == Role.Promoted)
                AddColocatedScores(c.Primary, weights, c.NodeAttribute, (double)c.Score.Value / Score.InfinityValue, onlyNonNegative: false);
        }
    }

    /// <summary>Adds a resource's (attenuated) node preferences into a score table.</summary>
    private void AddColocatedScores(WorkResource from, Score[] table, string attr, double factor, bool onlyNonNegative)
    {
        var leaves = from.IsClone ? [from] : from.IsGroup ? from.Children.Take(1).ToList() : [from];
        var src = leaves[0];
        if (src.Scores.Length != Nodes.Count) return;
        bool promotedPrimary = IsPromotable(from);
        for (int i = 0; i < Nodes.Count; i++)
        {
            var value = NodeAttr(Nodes[i], attr);
            int best = -Score.InfinityValue;
            bool found = false;
            for (int j = 0; j < Nodes.Count; j++)
            {
                if (!Nodes[j].Available) continue;
                if (!_allowedByRsc.TryGetValue(src, out var al) || !al[j]) continue;
                if (!string.Equals(NodeAttr(Nodes[j], attr), value, StringComparison.OrdinalIgnoreCase)) continue;
                if (!found || src.Scores[j].Value > best) { best = src.Scores[j].Value; found = true; }
            }
            if (!found) continue;
            if (factor < 0 && best < 0) continue;
            double wf = factor * best;
            int w = (int)(wf < 0 ? wf - 0.5 : wf + 0.5);
            if (w == 0 && best != 0) w = factor > 0 ? 1 : -1;
            var updated = new Score(w) + table[i];
            if (onlyNonNegative && updated.Value < 0 && table[i].Value >= 0)
            {
                if (table[i].Value > 0) table[i] = new Score(1);
                continue;
            }
            table[i] = updated;
        }
        _ = promotedPrimary;
    }

    /// <summary>Pacemaker's instance order for ties in promotion (the clone instance comparator).</summary>
    private int CompareInstancesForPromotion(WorkResource a, WorkResource b)
    {
        var an = InstanceLocations(a).ToList();
        var bn = InstanceLocations(b).ToList();
        if (an.Count > 0 && bn.Count > 0 && an.Count != bn.Count) return an.Count.CompareTo(bn.Count);
        WorkNode? ca = an.FirstOrDefault(), cb = bn.FirstOrDefault();
        bool canA = ca is null || LeafAllowed(a, ca), canB = cb is null || LeafAllowed(b, cb);
        if (canA != canB) return canA ? -1 : 1;
        if (!canA) ca = null;
        if (!canB) cb = null;
        int pa = _promotionPriority.TryGetValue(a, out var x) ? x : a.Priority;
        int pb = _promotionPriority.TryGetValue(b, out var y) ? y : b.Priority;
        if (pa != pb) return pb.CompareTo(pa);
        if (ca is null && cb is null) return 0;
        if (ca is null) return 1;
        if (cb is null) return -1;
        bool avA = ca.Available, avB = cb.Available;
        if (avA != avB) return avA ? -1 : 1;
        bool fa = InstanceLeaves(a).Any(l => l.Failed), fb = InstanceLeaves(b).Any(l => l.Failed);
        if (fa != fb) return fa ? 1 : -1;
        return 0;
    }

    private bool LeafAllowed(WorkResource inst, WorkNode n)
    {
        var leaf = InstanceLeaves(inst).FirstOrDefault();
        return leaf is not null && IsAllowed(leaf, n) && leaf.Scores[n.Index].Value >= 0;
    }

    private WorkNode? NodeToBePromotedOn(WorkResource clone, WorkResource inst, int[] promotedOn)
    {
        if (inst.IsGroup)
        {
            foreach (var m in inst.Children)
                if (LeafNodeToBePromotedOn(m) is null) return null;
        }
        var node = inst.IsGroup ? InstanceNode(inst) : LeafNodeToBePromotedOn(inst);
        if (node is null) return null;
        if (!inst.IsGroup && !inst.Managed && inst.CurrentRole == Role.Promoted) { }
        if (clone.Scores.Length == Nodes.Count && _allowedByRsc.TryGetValue(clone, out var al) && !al[node.Index]) return null;
        if (promotedOn[node.Index] >= clone.Clone!.PromotedNodeMax && inst.Managed) return null;
        return node;
    }

    private WorkNode? LeafNodeToBePromotedOn(WorkResource leaf)
    {
        var node = leaf.AssignedNode;
        if (node is null) return null;
        if (!leaf.Managed) return leaf.CurrentRole == Role.Promoted ? node : null;
        int priority = _promotionPriority.TryGetValue(leaf, out var p) ? p : leaf.Priority;
        if (priority < 0) return null;
        if (!node.Available) return null;
        return node;
    }
}
