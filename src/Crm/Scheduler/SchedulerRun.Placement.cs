using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    internal readonly List<string> ScoreLines = [];
    private bool[][] _allowed = [];

    /// <summary>The primitive that stands for a resource on one side of a constraint.</summary>
    private static WorkResource Representative(WorkResource r, bool last = false) =>
        r.IsGroup && r.Children.Count > 0 ? (last ? r.Children[^1] : r.Children[0]) : r;

    private IEnumerable<WorkResource> LeafMembers(WorkResource r) => r.IsGroup ? r.Children : r.IsClone ? [r, .. CloneLeaves(r)] : [r];

    private void InitScores()
    {
        foreach (var r in Primitives.Concat(Clones))
        {
            r.Scores = new Score[Nodes.Count];
            var allowed = new bool[Nodes.Count];
            if (Config.SymmetricCluster) Array.Fill(allowed, true);
            _allowedByRsc[r] = allowed;
        }
    }

    private readonly Dictionary<WorkResource, bool[]> _allowedByRsc = [];

    internal bool IsAllowed(WorkResource r, WorkNode n) => AllowedOf(r)[n.Index];

    private void AddScore(WorkResource r, WorkNode n, Score s)
    {
        AllowedOf(r)[n.Index] = true;
        r.Scores[n.Index] += s;
    }

    /// <summary>
    /// The nodes a resource may run on. A resource known only from the status (an orphan's
    /// history or fail-count) has none yet: it starts like a configured one instead of throwing
    /// (found by cluster-fuzz: a KeyNotFoundException out of the scheduler).
    /// </summary>
    private bool[] AllowedOf(WorkResource r)
    {
        if (!_allowedByRsc.TryGetValue(r, out var allowed))
        {
            if (r.Scores.Length != Nodes.Count) r.Scores = new Score[Nodes.Count];
            allowed = new bool[Nodes.Count];
            if (Config.SymmetricCluster) Array.Fill(allowed, true);
            _allowedByRsc[r] = allowed;
        }
        return allowed;
    }

    private void ApplyLocations()
    {
        foreach (var c in _cib.Constraints.OfType<LocationConstraint>())
        {
            var targets = new List<WorkResource>();
            if (c.Resource is not null && ById.TryGetValue(c.Resource, out var t)) targets.Add(t);
            else if (c.ResourcePattern is not null)
            {
                if (ResourcePattern.Matching(c.ResourcePattern, TopResources.Select(r => r.Id)) is not { } matched)
                {
                    ConfigErrors.Add(new VerifyMessage("unpack_simple_location",
                        $"Ignoring constraint '{c.Id}' because rsc-pattern has invalid value '{c.ResourcePattern}'"));
                    continue;
                }
                targets.AddRange(TopResources.Where(r => matched.Contains(r.Id)));
            }
            foreach (var set in c.Sets)
                foreach (var id in set.Resources)
                    if (ById.TryGetValue(id, out var st)) targets.Add(st);
            var role = RoleNames.Parse(c.Role);
            if (role is Role.Unpromoted) continue;
            // Scores for the promoted role only count when choosing promoted instances.
            void Add(WorkResource leaf, WorkNode n, Score s, Role r, bool follower)
            {
                if (r == Role.Promoted) AddPromotedLocation(leaf, n, s);
                else AddScore(leaf, n, follower ? Score.Zero : s);
            }
            foreach (var target in targets)
            {
                foreach (var leaf in LeafMembers(target))
                {
                    // A group's location scores go to its first member only; the others are
                    // allowed there at 0 and follow the first by colocation (Pacemaker's
                    // pcmk__group_apply_location), which matters when the first is blocked.
                    bool follower = target.IsGroup && leaf != target.Children[0];
                    if (c.Rules.Count == 0)
                    {
                        if (FindNode(c.Node) is { } n)
                            Add(leaf, n, Score.Parse(c.ScoreText), role, follower);
                        continue;
                    }
                    foreach (var rule in c.Rules)
                    {
                        var rrole = RoleNames.Parse(rule.Role);
                        if (rrole is Role.Unpromoted) continue;
                        if (rrole == Role.Unknown) rrole = role;
                        foreach (var n in Nodes)
                        {
                            if (!rule.Evaluate(Ctx(n.Attributes))) continue;
                            Score s;
                            if (rule.ScoreAttribute is { } sa)
                            {
                                if (!n.Attributes.TryGetValue(sa, out var av)) continue;
                                s = Score.Parse(av);
                            }
                            else s = rule.Score;
                            Add(leaf, n, s, rrole, follower);
                        }
                    }
                }
            }
        }
    }

    private void ApplyStickinessAndFailures()
    {
        foreach (var r in Primitives)
        {
            // Pacemaker's native_add_running: an unmanaged resource prefers each node it is
            // active on with INFINITY ("not_managed_default"), so a dependent that must avoid
            // it sees those nodes through the merged scores (wide seed 65).
            if (!r.Managed)
                foreach (var n in r.RunningOn)
                    AddScore(r, n, Score.Infinity);
            if (r.Managed && r.Stickiness.Value >= 1 && r.RunningOn.Count == 1)
            {
                var n = r.RunningOn[0];
                if (Config.SymmetricCluster || IsAllowed(r, n)) AddScore(r, n, r.Stickiness);
            }
        }
        foreach (var ((r, n), count) in FailCounts)
        {
            // A resource whose failures are ignored (on-fail=ignore) also ignores its threshold.
            if (r.MigrationThreshold > 0 && !r.FailureIgnored && count.Value >= r.MigrationThreshold)
                foreach (var leaf in r.Parent is { } p ? [r] : LeafMembers(r))
                    AddScore(leaf, n, Score.MinusInfinity);
        }
        // A failure bans the group member itself (Pacemaker's "__stop_fail__", "hard-error" and
        // "fatal-error" locations are on the primitive): the later members still follow it
        // where it stays.
        foreach (var (r, n, _) in ExtraBans)
            foreach (var leaf in r.Parent is { IsGroup: true } g && g == r.Top ? [r] : LeafMembers(r.Top))
                AddScore(leaf, n, Score.MinusInfinity);
    }

    private void UnpackColocations()
    {
        foreach (var c in _cib.Constraints.OfType<ColocationConstraint>())
        {
            var attr = c.NodeAttribute ?? "#uname";
            if (c.Sets.Count == 0)
            {
                if (c.Resource is null || c.WithResource is null) continue;
                if (!ById.TryGetValue(c.Resource, out var d) || !ById.TryGetValue(c.WithResource, out var p)) continue;
                AddColocation(c.Id, d, p, Score.Parse(c.ScoreText), RoleNames.Parse(c.ResourceRole), RoleNames.Parse(c.WithResourceRole), attr, c.Influence);
                continue;
            }
            // Sets: within a sequential set each member is colocated with the previous one;
            // between sets, members of a later set are the primaries of earlier sets.
            var sets = c.Sets.Select(s => (s, list: s.Resources.Where(ById.ContainsKey).Select(id => ById[id]).ToList())).ToList();
            foreach (var (s, list) in sets)
            {
                var score = s.ScoreText is not null ? Score.Parse(s.ScoreText) : Score.Parse(c.ScoreText);
                if (!s.Sequential) continue;
                // ordering="listed" reverses the chain: each member is placed with the next one.
                bool listed = string.Equals(s.Ordering, "listed", StringComparison.OrdinalIgnoreCase);
                if (score.Value < 0 && !listed)
                {
                    // A negative set keeps every member away from every earlier one, not just
                    // from its neighbour: the only way no two of them run together.
                    for (int i = 1; i < list.Count; i++)
                        for (int j = 0; j < i; j++)
                            AddColocation(c.Id, list[i], list[j], score, RoleNames.Parse(s.Role), RoleNames.Parse(s.Role), attr, c.Influence);
                    continue;
                }
                for (int i = 1; i < list.Count; i++)
                    AddColocation(c.Id, listed ? list[i - 1] : list[i], listed ? list[i] : list[i - 1], score, RoleNames.Parse(s.Role), RoleNames.Parse(s.Role), attr, c.Influence);
            }
            for (int k = 1; k < sets.Count; k++)
            {
                var prev = sets[k - 1]; var cur = sets[k];
                if (prev.list.Count == 0 || cur.list.Count == 0) continue;
                var score = Score.Parse(c.ScoreText);
                var primary = cur.s.Sequential ? cur.list[0] : null;
                var deps = prev.s.Sequential ? [prev.list[^1]] : prev.list;
                foreach (var d in deps)
                {
                    if (primary is not null) AddColocation(c.Id, d, primary, score, RoleNames.Parse(prev.s.Role), RoleNames.Parse(cur.s.Role), attr, c.Influence);
                    else foreach (var p in cur.list) AddColocation(c.Id, d, p, score, RoleNames.Parse(prev.s.Role), RoleNames.Parse(cur.s.Role), attr, c.Influence);
                }
            }
        }
    }

    private void AddColocation(string id, WorkResource d, WorkResource p, Score score, Role dr, Role pr, string attr, bool? influence)
    {
        if (score.Value == 0) return;
        var dep = Representative(d);
        var pri = Representative(p, last: true);
        if (dep == pri) return;
        bool infl = influence ?? !(dep.Meta.TryGetValue("critical", out var cr) && !Truth.IsTrue(cr));
        var col = new WorkColocation(id, dep, pri, score, dr, pr, attr, infl) { NamedDependent = d, NamedPrimary = p };
        if (dr is Role.Promoted or Role.Unpromoted || pr is Role.Promoted or Role.Unpromoted)
        {
            AddRoleColocation(col);
            return;
        }
        dep.ColocationsAsDependent.Add(col);
        pri.ColocationsAsPrimary.Add(col);
    }

    private void AddGroupInternals()
    {
        foreach (var g in TopResources.Where(r => r.IsGroup))
        {
            for (int i = 1; i < g.Children.Count; i++)
            {
                var col = new WorkColocation($"{g.Id}-internal", g.Children[i], g.Children[i - 1], Score.Infinity, Role.Unknown, Role.Unknown, "#uname", true);
                g.Children[i].ColocationsAsDependent.Insert(0, col);
                g.Children[i - 1].ColocationsAsPrimary.Insert(0, col);
            }
        }
    }

    private string NodeAttr(WorkNode n, string attr) => n.Attributes.GetValueOrDefault(attr) ?? "";

    /// <summary>For each node, a group number shared by the nodes with the same value of <paramref name="attr"/> (case-insensitive; missing = "").</summary>
    private int[] AttributeGroups(string attr)
    {
        var groups = new int[Nodes.Count];
        var byValue = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Nodes.Count; i++)
        {
            var value = NodeAttr(Nodes[i], attr);
            if (!byValue.TryGetValue(value, out var g)) byValue[value] = g = byValue.Count;
            groups[i] = g;
        }
        return groups;
    }

    private void Assign(WorkResource r)
    {
        if (!r.Provisional || r.Assigning) return;
        if (AssignViaClone(r)) return;
        r.Assigning = true;
        foreach (var c in r.ColocationsAsDependent)
        {
            Assign(c.Primary);
            ApplyColocation(r, c);
        }
        foreach (var c in r.ColocationsAsPrimary)
        {
            if (!(c.Influence || !c.Primary.Active)) continue;
            // Pacemaker merges already assigned dependents too (wide seed 230), but with it a
            // colocation loop can move a resource back and forth for ever (the real 2.1.5
            // crm_simulate too) and cluster-sim admin seeds 453/5 and 775/3 never settle: see
            // branch wide7-merge-assigned and docs/tools/crm_simulate.md.
            if (!c.Dependent.Provisional) continue;
            var work = (Score[])r.Scores.Clone();
            // Only the dependents on the path are marked as being merged (Pacemaker's
            // pe_rsc_merging), not the resource being assigned: a loop back through it adds
            // its own preferences once more before the loop breaks.
            MergeWeights(c.Dependent, work, c.NodeAttribute, (double)c.Score.Value / Score.InfinityValue, [], _allowedByRsc[r]);
            r.Scores = work;
        }
        if (_options.CollectScores)
            for (int i = 0; i < Nodes.Count; i++)
                if (IsAllowed(r, Nodes[i]))
                    ScoreLines.Add($"pcmk__primitive_assign: {r.Id} allocation score on {Nodes[i].Uname}: {r.Scores[i]}");
        ChooseNode(r);
        r.Assigning = false;
        r.Provisional = false;
    }

    private void ApplyColocation(WorkResource d, WorkColocation c)
    {
        var p = c.Primary;
        // With a group as primary, a mandatory colocation needs the whole group (its last
        // member, which the colocation is attached to); an optional or negative one only
        // where the group runs, its first member (Pacemaker's colocation with a group).
        if (c.NamedPrimary is { IsGroup: true } g && g.Children.Count > 0 && c.Score.Value < Score.InfinityValue && !g.Children[0].Provisional)
            p = g.Children[0];
        var s = c.Score;
        if (c.PrimaryRole is Role.Promoted or Role.Unpromoted && IsPromotable(p)) { ApplyColocationWithPromotable(d, c); return; }
        if (p.IsClone) { ApplyColocationWithClone(d, c); return; }
        if (p.AssignedNode is null && s.Value < 0) return;
        if (p.Provisional) return; // colocation loop: the primary is still being assigned
        var work = (Score[])d.Scores.Clone();
        string? value = p.AssignedNode is { } pn ? NodeAttr(pn, c.NodeAttribute) : null;
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!IsAllowed(d, Nodes[i])) continue;
            if (p.AssignedNode is null) work[i] = -s + work[i];
            else if (string.Equals(NodeAttr(Nodes[i], c.NodeAttribute), value, StringComparison.OrdinalIgnoreCase))
            {
                if (s.Value < Score.InfinityValue) work[i] = s + work[i];
            }
            else if (s.Value >= Score.InfinityValue) work[i] = Score.MinusInfinity;
        }
        if (s.IsInfinite || AnyAvailable(d, work)) d.Scores = work;
    }

    private bool AnyAvailable(WorkResource r, Score[] scores)
    {
        var allowed = _allowedByRsc[r];
        for (int i = 0; i < Nodes.Count; i++)
            if (allowed[i] && scores[i].Value >= 0 && Nodes[i].Available) return true;
        return false;
    }

    /// <summary>Adds a dependent's (attenuated) preferences into a primary's score table.</summary>
    private void MergeWeights(WorkResource dep, Score[] work, string attr, double factor, HashSet<WorkResource> visiting, bool[] tableAllowed)
    {
        if (!visiting.Add(dep)) return;
        var original = (Score[])work.Clone();
        var depAllowed = _allowedByRsc[dep];
        // The dependent's best score among nodes with the same attribute value, per value: one
        // pass over the nodes instead of one per node (quadratic in nodes, per colocation).
        var group = AttributeGroups(attr);
        var groupBest = new int[Nodes.Count];
        var groupFound = new bool[Nodes.Count];
        for (int j = 0; j < Nodes.Count; j++)
        {
            if (!depAllowed[j] || !Nodes[j].Available) continue;
            var g = group[j];
            if (!groupFound[g] || dep.Scores[j].Value > groupBest[g]) { groupBest[g] = dep.Scores[j].Value; groupFound[g] = true; }
        }
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!tableAllowed[i]) continue;
            int best = groupFound[group[i]] ? groupBest[group[i]] : -Score.InfinityValue;
            if (factor < 0 && best < 0) continue;
            double wf = factor * best;
            int w = (int)(wf < 0 ? wf - 0.5 : wf + 0.5);
            if (w == 0 && best != 0) w = factor > 0 ? 1 : -1;
            work[i] = new Score(w) + work[i];
        }
        bool any = false;
        for (int i = 0; i < Nodes.Count; i++)
            if (tableAllowed[i] && work[i].Value >= 0 && Nodes[i].Available) { any = true; break; }
        if (any)
        {
            foreach (var c in dep.ColocationsAsPrimary)
            {
                if (!(c.Influence || !c.Primary.Active)) continue;
                if (!c.Dependent.Provisional) continue;
                double f = (factor < 0 ? -1 : 1) * (double)c.Score.Value / Score.InfinityValue;
                MergeWeights(c.Dependent, work, c.NodeAttribute, f, visiting, tableAllowed);
            }
        }
        else
        {
            Array.Copy(original, work, work.Length);
        }
        visiting.Remove(dep);
    }

    private void ChooseNode(WorkResource r)
    {
        r.NextRole = Role.Started;
        bool stop = r.TargetRole == Role.Stopped || r.StopOnFail || Config.StopAllResources || r.Orphan
            || (r.MultiplyActive && r.MultipleActive == "stop_only");
        if (!r.Managed)
        {
            // Unmanaged resources stay exactly where they are.
            // Multiply active too: Pacemaker assigns it to its pe__current_node.
            r.AssignedNode = r.CurrentNode;
            if (r.AssignedNode is not null) r.AssignedNode.AssignedCount++;
            if (r.AssignedNode is null) r.NextRole = r.Active ? r.CurrentRole : Role.Stopped;
            return;
        }
        if (stop) { r.AssignedNode = null; r.NextRole = Role.Stopped; return; }
        var allowed = _allowedByRsc[r];
        // Pacemaker's pe__current_node, multiply active or not: ties go to it.
        WorkNode? current = r.CurrentNode;
        WorkNode? best = null;
        int bestScore = int.MinValue;
        for (int i = 0; i < Nodes.Count; i++)
        {
            if (!allowed[i]) continue;
            var n = Nodes[i];
            int sc = n.Available ? r.Scores[i].Value : -Score.InfinityValue;
            if (best is null || Better(n, sc, best, bestScore, current)) { best = n; bestScore = sc; }
        }
        if (best is not null && bestScore > 0 && current is not null && current != best && current.Available && !IsUniqueCloneInstance(r)
            && allowed[current.Index] && r.Scores[current.Index].Value == bestScore)
            best = current;
        if (PreferredFor(r, best, bestScore) is { } pref && pref != best) { best = pref; bestScore = r.Scores[pref.Index].Value; }
        if (best is null || bestScore < 0 || !best.Available)
        {
            r.AssignedNode = null;
            r.NextRole = Role.Stopped;
            return;
        }
        r.AssignedNode = best;
        best.AssignedCount++;
    }

    private static bool Better(WorkNode a, int sa, WorkNode b, int sb, WorkNode? current)
    {
        if (sa != sb) return sa > sb;
        if (a.AssignedCount != b.AssignedCount) return a.AssignedCount < b.AssignedCount;
        if (current is not null && (a == current) != (b == current)) return a == current;
        return string.CompareOrdinal(a.Uname, b.Uname) < 0;
    }

    private void AssignAll()
    {
        var order = TopResources.Select((r, i) => (r, i)).OrderByDescending(x => x.r.Priority).ThenBy(x => x.i).Select(x => x.r).ToList();
        foreach (var top in order)
            foreach (var leaf in LeafMembers(top))
                Assign(leaf);
    }
}
