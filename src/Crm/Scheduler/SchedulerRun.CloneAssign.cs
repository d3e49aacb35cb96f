using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

// Clone placement, as Pacemaker 2.1.5 distributes instances: the clone's colocation primaries
// first, its dependents' preferences merged into its own table, instances sorted (active ones
// first), then pre-assigned to where they run (at most max/available per node), then the rest
// in order; clone-node-max and the clone's own scores limit every instance.
internal sealed partial class SchedulerRun
{
    /// <summary>Per clone, how many instances were placed on each node.</summary>
    private readonly Dictionary<WorkResource, int[]> _cloneCounts = [];
    /// <summary>The node a clone instance prefers while it is being pre-assigned.</summary>
    private WorkNode? _preferNode;

    /// <summary>Hook from Assign: a clone is assigned as a whole; an instance escalates to its clone.</summary>
    private bool AssignViaClone(WorkResource r)
    {
        if (r.IsClone) { AssignClone(r); return true; }
        if (r.Instance is { } ci && !ci.Clone.Assigning) { AssignClone(ci.Clone); return true; }
        return false;
    }

    /// <summary>Hook for promotable clones: choose promoted instances once instances are placed.</summary>
    partial void AssignCloneRoles(WorkResource clone);

    private void AssignClone(WorkResource clone)
    {
        if (!clone.Provisional || clone.Assigning) return;
        AddPromotionScoresBeforeAllocation(clone);
        clone.Assigning = true;
        var info = clone.Clone!;
        foreach (var c in clone.ColocationsAsDependent.OrderByDescending(c => c.Primary.Top.Priority))
            Assign(c.Primary);
        foreach (var c in clone.ColocationsAsPrimary.OrderByDescending(c => c.Dependent.Top.Priority))
        {
            if (!c.Influence || !c.Dependent.Provisional) continue;
            var work = (Score[])clone.Scores.Clone();
            MergeWeights(c.Dependent, work, c.NodeAttribute, (double)c.Score.Value / Score.InfinityValue, [clone], _allowedByRsc[clone]);
            // A clone takes only its dependents' positive preferences: a node it already likes keeps
            // a token 1, a neutral one stays neutral.
            for (int i = 0; i < work.Length; i++)
                if (work[i].Value < 0 && clone.Scores[i].Value >= 0)
                    work[i] = clone.Scores[i].Value > 0 ? new Score(1) : clone.Scores[i];
            clone.Scores = work;
        }
        if (_options.CollectScores)
            for (int i = 0; i < Nodes.Count; i++)
                if (IsAllowed(clone, Nodes[i]))
                    ScoreLines.Add($"pcmk__clone_assign: {clone.Id} allocation score on {Nodes[i].Uname}: {clone.Scores[i]}");

        var sorted = clone.Children.Select((c, i) => (c, i)).OrderBy(x => x, Comparer<(WorkResource c, int i)>.Create(CompareInstances)).Select(x => x.c).ToList();
        clone.Children.Clear();
        clone.Children.AddRange(sorted);
        DistributeInstances(clone, sorted, info.CloneMax, info.CloneNodeMax);
        AssignCloneRoles(clone);
        clone.Assigning = false;
        clone.Provisional = false;
    }

    private int CompareInstances((WorkResource c, int i) a, (WorkResource c, int i) b)
    {
        var la = InstanceLocations(a.c).ToList();
        var lb = InstanceLocations(b.c).ToList();
        if (la.Count > 0 && lb.Count > 0 && la.Count != lb.Count) return la.Count.CompareTo(lb.Count);
        bool canA = la.Count == 0 || CanStay(a.c, la[0]);
        bool canB = lb.Count == 0 || CanStay(b.c, lb[0]);
        if (canA != canB) return canA ? -1 : 1;
        if (a.c.Priority != b.c.Priority) return b.c.Priority.CompareTo(a.c.Priority);
        if ((la.Count > 0) != (lb.Count > 0)) return la.Count > 0 ? -1 : 1;
        if (la.Count == 0 && a.c.Primitive is not null && b.c.Primitive is not null
            && CompareNodeWeights(a.c, b.c) is var byWeights and not 0) return byWeights;
        return a.i.CompareTo(b.i);
    }

    /// <summary>
    /// Two inactive instances: the one whose node scores, best first, are higher sorts first
    /// (Pacemaker compares the sorted weight lists). A unique promotable clone's instances differ by
    /// their promotion scores: the instance with the best score is placed first (tier3 inc11).
    /// </summary>
    private int CompareNodeWeights(WorkResource a, WorkResource b)
    {
        List<int> Weights(WorkResource r) =>
            [.. Nodes.Where(n => IsAllowed(r, n)).Select(n => r.Scores[n.Index].Value).OrderDescending()];
        var wa = Weights(a);
        var wb = Weights(b);
        for (int k = 0; k < Math.Max(wa.Count, wb.Count); k++)
        {
            if (k >= wa.Count) return 1;
            if (k >= wb.Count) return -1;
            if (wa[k] != wb[k]) return wa[k] > wb[k] ? -1 : 1;
        }
        return 0;
    }

    /// <summary>Whether an active instance's current node is still allowed for it.</summary>
    private bool CanStay(WorkResource inst, WorkNode node)
    {
        foreach (var leaf in InstanceLeaves(inst))
            if (!IsAllowed(leaf, node) || leaf.Scores[node.Index].Value < 0) return false;
        return true;
    }

    private void DistributeInstances(WorkResource clone, List<WorkResource> instances, int max, int perNodeMax)
    {
        var counts = new int[Nodes.Count];
        _cloneCounts[clone] = counts;
        int available = Nodes.Count(n => n.Available);
        bool allColoc = max < available;
        int loopMax = available > 0 ? Math.Max(1, max / available) : 1;
        int allocated = 0;
        // Pre-assign active instances to where they run.
        foreach (var inst in instances)
        {
            if (allocated >= max) break;
            var leaves = InstanceLeaves(inst).ToList();
            var current = InstanceCurrentNode(inst);
            if (current is null || !leaves[0].Provisional || leaves.Any(l => l.Failed)) continue;
            if (!current.Available) continue;
            if (counts[current.Index] >= loopMax) continue;
            if (AssignInstance(clone, inst, current, allColoc, perNodeMax)) allocated++;
        }
        foreach (var inst in instances)
        {
            var leaves = InstanceLeaves(inst).ToList();
            if (!leaves[0].Provisional) continue;
            if (allocated >= max)
            {
                foreach (var l in leaves) StopInstanceLeaf(l);
                continue;
            }
            if (AssignInstance(clone, inst, null, allColoc, perNodeMax)) allocated++;
        }
    }

    private static WorkNode? InstanceCurrentNode(WorkResource inst)
    {
        var leaves = InstanceLeaves(inst).ToList();
        foreach (var l in leaves)
            if (l.CurrentNode is { } n) return n;
        return null;
    }

    /// <summary>Limit reached: the instance stays stopped (an unmanaged one stays where it is).</summary>
    private void StopInstanceLeaf(WorkResource leaf)
    {
        for (int i = 0; i < Nodes.Count; i++)
            if (IsAllowed(leaf, Nodes[i])) leaf.Scores[i] = Score.MinusInfinity;
        if (!leaf.Managed) { ChooseNode(leaf); }
        else { leaf.AssignedNode = null; leaf.NextRole = Role.Stopped; }
        leaf.Provisional = false;
    }

    private bool AssignInstance(WorkResource clone, WorkResource inst, WorkNode? prefer, bool allColoc, int limit)
    {
        var leaves = InstanceLeaves(inst).ToList();
        var first = leaves[0];
        if (!first.Provisional) return first.AssignedNode is not null;
        if (first.Assigning) return false;
        if (prefer is not null && (!IsAllowed(first, prefer) || first.Scores[prefer.Index].Value < 0)) return false;

        var backup = leaves.Select(l => (Score[])l.Scores.Clone()).ToList();
        var counts = _cloneCounts[clone];
        // The clone's own scores and the per-node limit bound every instance.
        foreach (var leaf in leaves)
            for (int i = 0; i < Nodes.Count; i++)
            {
                if (!IsAllowed(leaf, Nodes[i])) continue;
                var n = Nodes[i];
                if (!n.Available || leaf.Orphan) leaf.Scores[i] = Score.MinusInfinity + leaf.Scores[i];
                else if (!IsAllowed(clone, n)) leaf.Scores[i] = Score.MinusInfinity + leaf.Scores[i];
                else if (clone.Scores[i].Value < 0) leaf.Scores[i] = clone.Scores[i] + leaf.Scores[i];
                else if (counts[i] >= limit) leaf.Scores[i] = Score.MinusInfinity + leaf.Scores[i];
            }
        // The clone's colocations act on each instance (its dependents' positive preferences only
        // when not every node gets an instance).
        foreach (var c in clone.ColocationsAsDependent)
        {
            if (!(allColoc || c.Score.Value < 0 || c.Score.Value >= Score.InfinityValue)) continue;
            ApplyColocation(first, c);
        }
        foreach (var c in clone.ColocationsAsPrimary)
        {
            if (!c.Influence || !c.Dependent.Provisional) continue;
            if (!(allColoc || c.Score.Value < 0)) continue;
            var work = (Score[])first.Scores.Clone();
            MergeWeights(c.Dependent, work, c.NodeAttribute, (double)c.Score.Value / Score.InfinityValue, [first], _allowedByRsc[first]);
            first.Scores = work;
        }
        var saved = _preferNode;
        _preferNode = prefer;
        foreach (var leaf in leaves)
        {
            Assign(leaf);
            _preferNode = null;
        }
        _preferNode = saved;
        var chosen = first.AssignedNode;
        if (chosen is not null && prefer is not null && chosen != prefer)
        {
            for (int k = 0; k < leaves.Count; k++)
            {
                var l = leaves[k];
                l.Scores = backup[k];
                if (l.AssignedNode is { } an) an.AssignedCount--;
                l.AssignedNode = null;
                l.Provisional = true;
                l.NextRole = Role.Unknown;
            }
            return false;
        }
        if (chosen is not null) counts[chosen.Index]++;
        return chosen is not null;
    }

    /// <summary>With a preferred node (an instance's current one), ChooseNode keeps it when it scores as well as the best.</summary>
    private WorkNode? PreferredFor(WorkResource r, WorkNode? best, int bestScore)
    {
        if (_preferNode is not { } pf || best is null) return best;
        if (!IsAllowed(r, pf) || !pf.Available) return best;
        return r.Scores[pf.Index].Value >= bestScore ? pf : best;
    }
}

internal sealed partial class SchedulerRun
{
    /// <summary>The node an instance was assigned to (a group instance: its first member's).</summary>
    private static WorkNode? InstanceAssignedNode(WorkResource inst) => InstanceLeaves(inst).FirstOrDefault()?.AssignedNode;

    /// <summary>A primitive (or an instance of another clone) colocated with a clone.</summary>
    private void ApplyColocationWithClone(WorkResource d, WorkColocation c)
    {
        var p = c.Primary;
        if (p.Provisional) return;
        var s = c.Score;
        if (d.Instance is { } di && di.Clone == c.Dependent && di.Clone.Clone!.Interleave)
        {
            // Interleaved: pair with the primary's instance on one of the dependent's best nodes.
            var paired = CompatibleInstance(d, p);
            if (paired is null)
            {
                if (s.Value >= Score.InfinityValue)
                    for (int i = 0; i < Nodes.Count; i++)
                        if (IsAllowed(d, Nodes[i])) d.Scores[i] = Score.MinusInfinity;
                return;
            }
            ApplyColocationWithNode(d, InstanceAssignedNode(paired)!, c);
            return;
        }
        if (s.Value >= Score.InfinityValue)
        {
            var values = p.Children.Where(i => !i.Blocked).Select(InstanceAssignedNode).OfType<WorkNode>()
                .Select(n => NodeAttr(n, c.NodeAttribute)).ToHashSet(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < Nodes.Count; i++)
                if (IsAllowed(d, Nodes[i]) && !values.Contains(NodeAttr(Nodes[i], c.NodeAttribute)))
                    d.Scores[i] = Score.MinusInfinity;
            return;
        }
        foreach (var inst in p.Children)
            if (InstanceAssignedNode(inst) is { } n) ApplyColocationWithNode(d, n, c);
    }

    private void ApplyColocationWithNode(WorkResource d, WorkNode pn, WorkColocation c)
    {
        var s = c.Score;
        var work = (Score[])d.Scores.Clone();
        string value = NodeAttr(pn, c.NodeAttribute);
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!IsAllowed(d, Nodes[i])) continue;
            if (string.Equals(NodeAttr(Nodes[i], c.NodeAttribute), value, StringComparison.OrdinalIgnoreCase))
            {
                if (s.Value < Score.InfinityValue) work[i] = s + work[i];
            }
            else if (s.Value >= Score.InfinityValue) work[i] = Score.MinusInfinity;
        }
        if (s.IsInfinite || AnyAvailable(d, work)) d.Scores = work;
    }

    /// <summary>The primary clone's instance placed on the dependent's best-scoring node that has one.</summary>
    private WorkResource? CompatibleInstance(WorkResource d, WorkResource primaryClone)
    {
        var candidates = Nodes.Where(n => IsAllowed(d, n) && n.Available && d.Scores[n.Index].Value >= 0)
            .OrderByDescending(n => d.Scores[n.Index].Value).ThenBy(n => n.AssignedCount).ThenBy(n => n.Uname, StringComparer.Ordinal);
        foreach (var n in candidates)
            foreach (var inst in primaryClone.Children)
                if (InstanceAssignedNode(inst) == n) return inst;
        return null;
    }
}

internal sealed partial class SchedulerRun
{
    /// <summary>A globally-unique clone's primitive instance does not prefer its current node on a tie.</summary>
    private static bool IsUniqueCloneInstance(WorkResource r) => r.Parent is { IsClone: true } p && p.Clone!.Unique;
}
