using System.Globalization;
using System.Text;

namespace Cluster.TestSupport.Cib;

/// <summary>
/// Pure, seeded generation of Pacemaker CIB XML for differential tests and benchmarks. The
/// same seed always yields the same text. Everything generated is accepted by the real
/// crm_simulate 2.1.5 (<c>crm_simulate -x F -S</c> exits 0).
/// </summary>
public static class CibGenerator
{
    private static readonly string[] FiniteScores = ["-1000", "-200", "-50", "-10", "0", "10", "50", "100", "200", "1000"];

    /// <summary>
    /// A small random cluster: 1-6 nodes in mixed states, up to 12 primitives with groups,
    /// constraints of finite and infinite scores, stickiness, fail counts, resources already
    /// running (with correct or deliberately stale digests), stonith and quorum settings.
    /// </summary>
    public static string Random(int seed) => BuildRandom(new Random(seed)).ToXml();

    /// <summary>
    /// <see cref="Random"/>'s cluster (the same draws, so the same structure) widened with what
    /// running clusters produce on top: nodes down cleanly that still hold resource history,
    /// nodes asked to shut down, failed probes, starts, stops and monitors (rc and op-status of
    /// every kind) with their fail counts, on-fail on each operation, failure-timeout (expired or
    /// not), unmanaged resources and nodes in maintenance.
    /// </summary>
    public static string Wide(int seed)
    {
        var rnd = new Random(seed);
        var b = BuildRandom(rnd);
        Widen(rnd, b);
        return b.ToXml();
    }

    private static readonly string[] OnFails = ["restart", "block", "fence", "standby", "ignore", "stop"];

    private static void Widen(Random rnd, Builder b)
    {
        foreach (var n in b.Nodes)
        {
            if (n.State is GeneratedNodeState.Online && rnd.Next(100) < 8) b.ShuttingDown.Add(n.Name);
            else if (n.State is GeneratedNodeState.Online && rnd.Next(100) < 4) b.InMaintenance.Add(n.Name);
        }
        for (int i = 0; i < b.Primitives.Count; i++)
        {
            var p = b.Primitives[i];
            if (p.IsStonith) continue;
            if (rnd.Next(100) < 25)
            {
                var ops = (string[])["monitor", "start", "stop"];
                p = p with { OnFail = (ops[rnd.Next(ops.Length)], OnFails[rnd.Next(OnFails.Length)]) };
            }
            if (rnd.Next(100) < 12) p = p with { FailureTimeout = rnd.Next(2) == 0 ? "60s" : "1000000000s" };
            if (rnd.Next(100) < 6) p = p with { Unmanaged = true };
            b.Primitives[i] = p;
        }
        foreach (var g in b.Groups.ToList())
        {
            var members = g.Members.Select(m => b.Primitives.First(p => p.Id == m.Id)).ToList();
            b.Groups[b.Groups.IndexOf(g)] = g with { Members = members };
        }

        // Nodes down cleanly that still hold a started resource (its stop was never recorded).
        var units = b.PlacementUnits().ToList();
        foreach (var n in b.Nodes.Where(n => n.State == GeneratedNodeState.Offline))
        {
            if (units.Count == 0 || rnd.Next(100) >= 40) continue;
            foreach (var p in units[rnd.Next(units.Count)])
                if (!b.History.Any(h => h.Resource == p.Id && h.Node == n.Name)) b.History.Add(new GeneratedHistory(p.Id, n.Name) { Running = true });
        }

        // Failures of every kind, with the fail counts the controller would have recorded.
        for (int i = 0; i < b.History.Count; i++)
        {
            var h = b.History[i];
            var p = b.Primitives.First(x => x.Id == h.Resource);
            if (p.IsStonith || h.MonitorFailed || rnd.Next(100) >= 15) continue;
            var kind = h.Running ? rnd.Next(3) switch { 0 => GeneratedFailure.Start, 1 => GeneratedFailure.Stop, _ => GeneratedFailure.Monitor }
                : GeneratedFailure.Probe;
            if (kind == GeneratedFailure.Monitor && p.MonitorSeconds == 0) kind = GeneratedFailure.Start;
            int rc = kind switch
            {
                GeneratedFailure.Probe => ((int[])[0, 1, 2, 5])[rnd.Next(4)],
                GeneratedFailure.Monitor => ((int[])[1, 7, 7, 5])[rnd.Next(4)],
                _ => ((int[])[1, 1, 2, 5, 6])[rnd.Next(5)],
            };
            // Timeouts (2) and errors (4) besides completed operations.
            int status = kind != GeneratedFailure.Probe && rnd.Next(100) < 25 ? (rnd.Next(2) == 0 ? 2 : 4) : 0;
            var key = kind switch
            {
                GeneratedFailure.Start => "start_0",
                GeneratedFailure.Stop => "stop_0",
                GeneratedFailure.Probe => "monitor_0",
                _ => $"monitor_{p.MonitorSeconds * 1000}",
            };
            string? count = rc == 0 && kind == GeneratedFailure.Probe ? null
                : kind is GeneratedFailure.Start or GeneratedFailure.Stop ? "INFINITY" : (rnd.Next(1, 4)).ToString(CultureInfo.InvariantCulture);
            if (count is not null && rnd.Next(100) < 15) count = null; // a fail count already cleared
            b.History[i] = h with { Failure = kind, FailureRc = rc, FailureStatus = status, FailCountKey = count is null ? null : key, FailCountValue = count };
        }
    }

    private static Builder BuildRandom(Random rnd)
    {
        var b = new Builder();
        var nodeCount = rnd.Next(1, 7);
        for (var i = 1; i <= nodeCount; i++)
        {
            var roll = rnd.Next(100);
            var state = roll switch
            {
                < 65 => GeneratedNodeState.Online,
                < 75 => GeneratedNodeState.Standby,
                < 88 => GeneratedNodeState.Offline,
                _ => GeneratedNodeState.Unclean,
            };
            b.Nodes.Add(new GeneratedNode(i, "node" + i, state));
        }

        b.StonithEnabled = rnd.Next(100) < 60;
        b.HaveQuorum = rnd.Next(100) < 75;
        b.NoQuorumPolicy = rnd.Next(5) switch { 0 => "stop", 1 => "freeze", 2 => "ignore", 3 => "demote", _ => null };
        b.SymmetricCluster = rnd.Next(100) < 85;
        if (rnd.Next(100) < 30) b.DefaultStickiness = rnd.Next(3) switch { 0 => "INFINITY", 1 => "100", _ => "1" };

        if (b.StonithEnabled && rnd.Next(100) < 80)
            b.Primitives.Add(new GeneratedPrimitive("fence1", IsStonith: true) { MonitorSeconds = rnd.Next(2) * 60 });

        var primitiveCount = rnd.Next(1, 13);
        var next = 1;
        while (next <= primitiveCount)
        {
            if (rnd.Next(100) < 20 && primitiveCount - next >= 1)
            {
                var size = Math.Min(rnd.Next(2, 4), primitiveCount - next + 1);
                var gid = "grp" + next;
                var members = new List<GeneratedPrimitive>();
                for (var k = 0; k < size; k++) members.Add(RandomPrimitive(rnd, "rsc" + next++) with { Group = gid });
                b.Groups.Add(new GeneratedGroup(gid, members)
                {
                    Stickiness = rnd.Next(100) < 20 ? rnd.Next(0, 300) : null,
                    TargetRole = rnd.Next(100) < 5 ? "Stopped" : null,
                });
                b.Primitives.AddRange(members);
            }
            else
            {
                b.Primitives.Add(RandomPrimitive(rnd, "rsc" + next++));
            }
        }

        var tops = b.TopLevelIds().Where(id => id != "fence1").ToList();
        var constraintCount = rnd.Next(0, tops.Count * 3 / 2 + 1);
        for (var c = 0; c < constraintCount; c++)
        {
            var kind = rnd.Next(3);
            var rsc = tops[rnd.Next(tops.Count)];
            if (kind == 0)
            {
                var node = b.Nodes[rnd.Next(b.Nodes.Count)].Name;
                b.Constraints.Add(new($"<rsc_location id=\"loc{c}\" rsc=\"{rsc}\" node=\"{node}\" score=\"{RandomScore(rnd)}\"/>"));
            }
            else if (tops.Count > 1)
            {
                var other = tops[rnd.Next(tops.Count)];
                if (other == rsc) continue;
                // Orders only go forward in CIB order: an order cycle makes the real
                // crm_simulate produce an invalid transition and exit 1.
                if (kind == 2 && tops.IndexOf(other) > tops.IndexOf(rsc)) (rsc, other) = (other, rsc);
                b.Constraints.Add(kind == 1
                    ? new($"<rsc_colocation id=\"col{c}\" rsc=\"{rsc}\" with-rsc=\"{other}\" score=\"{RandomScore(rnd)}\"/>")
                    : new($"<rsc_order id=\"ord{c}\" first=\"{other}\" then=\"{rsc}\" kind=\"{(rnd.Next(3) == 0 ? "Optional" : "Mandatory")}\"/>"));
            }
        }

        // History: nodes that can carry a running resource are members or just-lost members.
        var carriers = b.Nodes.Where(n => n.State != GeneratedNodeState.Offline).ToList();
        var probed = b.Nodes.Where(n => n.State is GeneratedNodeState.Online or GeneratedNodeState.Standby).ToList();
        foreach (var unit in b.PlacementUnits())
        {
            var running = carriers.Count > 0 && rnd.Next(100) < 55;
            var host = running ? carriers[rnd.Next(carriers.Count)] : null;
            foreach (var p in unit)
            {
                if (host is not null)
                {
                    var fail = p.MonitorSeconds > 0 && rnd.Next(100) < 12;
                    b.History.Add(new GeneratedHistory(p.Id, host.Name)
                    {
                        Running = true,
                        StaleDigest = p.Fake is not null && rnd.Next(100) < 8,
                        MonitorFailed = fail && rnd.Next(2) == 0,
                        FailCount = fail ? rnd.Next(1, 4) : 0,
                    });
                }
                foreach (var n in probed)
                {
                    if (n != host && rnd.Next(100) < 50) b.History.Add(new GeneratedHistory(p.Id, n.Name));
                }
            }
        }
        return b;
    }

    /// <summary>Which status a <see cref="Large"/> cluster is written with.</summary>
    public enum LargeHistory
    {
        /// <summary>Every node online, nothing has run: the scheduler must probe everything.</summary>
        None,

        /// <summary>Everything probed and running where the constraints want it; the last node
        /// has just died uncleanly (stonith enabled), so it is fenced and its resources move.</summary>
        AllRunningOneNodeDied,
    }

    /// <summary>
    /// A benchmark-sized cluster: <paramref name="nodes"/> online nodes, <paramref name="resources"/>
    /// Dummy primitives (a fifth in groups of four) plus one fence device, and about one
    /// constraint per resource. Constraints agree with the running placement, so with history
    /// only the dead node's resources need to move.
    /// </summary>
    public static string Large(int nodes, int resources, LargeHistory history, int seed = 1)
    {
        var rnd = new Random(seed);
        var b = new Builder { StonithEnabled = true, HaveQuorum = true, DefaultStickiness = "100" };
        for (var i = 1; i <= nodes; i++)
        {
            var dead = history == LargeHistory.AllRunningOneNodeDied && i == nodes;
            b.Nodes.Add(new GeneratedNode(i, "node" + i, dead ? GeneratedNodeState.Unclean : GeneratedNodeState.Online));
        }
        b.Primitives.Add(new GeneratedPrimitive("fence1", IsStonith: true) { MonitorSeconds = 60 });
        var grouped = resources / 5 / 4 * 4;
        for (var i = 1; i <= resources; i++)
        {
            var p = new GeneratedPrimitive("rsc" + i, false) { Fake = "v" + (i % 7), MonitorSeconds = 10 };
            if (i <= grouped) p = p with { Group = "grp" + ((i - 1) / 4 + 1) };
            b.Primitives.Add(p);
        }
        for (var g = 0; g < grouped / 4; g++)
            b.Groups.Add(new GeneratedGroup("grp" + (g + 1), b.Primitives.Where(p => p.Group == "grp" + (g + 1)).ToList()));

        // Placement: top-level units round-robin over the nodes.
        var units = b.PlacementUnits().ToList();
        var home = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var u = 0; u < units.Count; u++)
        {
            var unitId = UnitId(units[u]);
            home[unitId] = "node" + (u % nodes + 1);
        }

        var unitIds = units.Select(UnitId).Where(id => id != "fence1").ToList();
        var byNode = unitIds.GroupBy(id => home[id]).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        for (var c = 0; c < resources; c++)
        {
            var rsc = unitIds[rnd.Next(unitIds.Count)];
            var roll = rnd.Next(100);
            if (roll < 40)
            {
                var score = rnd.Next(4) == 0 ? "INFINITY" : FiniteScores[rnd.Next(6, FiniteScores.Length)];
                b.Constraints.Add(new($"<rsc_location id=\"loc{c}\" rsc=\"{rsc}\" node=\"{home[rsc]}\" score=\"{score}\"/>"));
            }
            else if (roll < 55)
            {
                var other = "node" + rnd.Next(1, nodes + 1);
                if (other == home[rsc]) continue;
                b.Constraints.Add(new($"<rsc_location id=\"loc{c}\" rsc=\"{rsc}\" node=\"{other}\" score=\"{FiniteScores[rnd.Next(0, 4)]}\"/>"));
            }
            else if (roll < 75)
            {
                var peers = byNode[home[rsc]];
                var with = peers[rnd.Next(peers.Count)];
                if (with == rsc) continue;
                b.Constraints.Add(new($"<rsc_colocation id=\"col{c}\" rsc=\"{rsc}\" with-rsc=\"{with}\" score=\"{FiniteScores[rnd.Next(6, FiniteScores.Length)]}\"/>"));
            }
            else
            {
                var first = unitIds[rnd.Next(unitIds.Count)];
                if (first == rsc) continue;
                if (string.CompareOrdinal(first, rsc) > 0) (first, rsc) = (rsc, first); // no order cycles
                b.Constraints.Add(new($"<rsc_order id=\"ord{c}\" first=\"{first}\" then=\"{rsc}\" kind=\"{(rnd.Next(2) == 0 ? "Optional" : "Mandatory")}\"/>"));
            }
        }

        if (history == LargeHistory.AllRunningOneNodeDied)
        {
            foreach (var unit in units)
            {
                var host = home[UnitId(unit)];
                foreach (var p in unit)
                {
                    foreach (var n in b.Nodes)
                        b.History.Add(new GeneratedHistory(p.Id, n.Name) { Running = n.Name == host });
                }
            }
        }
        return b.ToXml();
    }

    private static string UnitId(IReadOnlyList<GeneratedPrimitive> unit) =>
        unit[0].Group.Length > 0 ? unit[0].Group : unit[0].Id;

    private static GeneratedPrimitive RandomPrimitive(Random rnd, string id) => new(id, false)
    {
        Fake = rnd.Next(100) < 60 ? "v" + rnd.Next(3) : null,
        Stickiness = rnd.Next(100) < 25 ? rnd.Next(4) switch { 0 => 0, 1 => 50, 2 => 200, _ => 1000000 } : null,
        TargetRole = rnd.Next(100) < 6 ? "Stopped" : null,
        Priority = rnd.Next(100) < 15 ? rnd.Next(1, 10) : null,
        MigrationThreshold = rnd.Next(100) < 25 ? rnd.Next(1, 4) : null,
        MonitorSeconds = rnd.Next(100) < 75 ? 10 : 0,
        MonitorTimeout = rnd.Next(100) < 20 ? "30s" : null,
    };

    private static string RandomScore(Random rnd) => rnd.Next(100) switch
    {
        < 20 => "INFINITY",
        < 35 => "-INFINITY",
        _ => FiniteScores[rnd.Next(FiniteScores.Length)],
    };

    /// <summary>Collects the generated model and writes it as CIB XML.</summary>
    private sealed class Builder
    {
        public List<GeneratedNode> Nodes { get; } = [];
        public List<GeneratedPrimitive> Primitives { get; } = [];
        public List<GeneratedGroup> Groups { get; } = [];
        public List<GeneratedConstraint> Constraints { get; } = [];
        public List<GeneratedHistory> History { get; } = [];
        public bool StonithEnabled { get; set; }
        public bool HaveQuorum { get; set; } = true;
        public string? NoQuorumPolicy { get; set; }
        public bool SymmetricCluster { get; set; } = true;
        public string? DefaultStickiness { get; set; }
        /// <summary>Nodes with the transient shutdown attribute (asked to leave cleanly).</summary>
        public HashSet<string> ShuttingDown { get; } = new(StringComparer.Ordinal);
        /// <summary>Nodes with the transient maintenance attribute.</summary>
        public HashSet<string> InMaintenance { get; } = new(StringComparer.Ordinal);

        /// <summary>Top-level resource ids in CIB order.</summary>
        public IEnumerable<string> TopLevelIds() => PlacementUnits().Select(UnitId);

        /// <summary>Ungrouped primitives alone, groups as their member lists, in CIB order.</summary>
        public IEnumerable<IReadOnlyList<GeneratedPrimitive>> PlacementUnits()
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in Primitives)
            {
                if (p.Group.Length == 0) yield return [p];
                else if (seen.Add(p.Group)) yield return Groups.First(g => g.Id == p.Group).Members;
            }
        }

        public string ToXml()
        {
            var x = new StringBuilder(1024 + History.Count * 900);
            var dc = Nodes.FirstOrDefault(n => n.State is GeneratedNodeState.Online or GeneratedNodeState.Standby);
            x.Append("<cib crm_feature_set=\"3.16.1\" validate-with=\"pacemaker-3.9\" epoch=\"10\" num_updates=\"0\" admin_epoch=\"0\" have-quorum=\"")
                .Append(HaveQuorum ? '1' : '0').Append('"');
            if (dc is not null) x.Append(" dc-uuid=\"").Append(dc.Id).Append('"');
            x.Append(" cib-last-written=\"Sat Nov 21 10:15:02 2026\">\n  <configuration>\n    <crm_config>\n      <cluster_property_set id=\"cib-bootstrap-options\">\n");
            Nv(x, 8, "cib-bootstrap-options-stonith-enabled", "stonith-enabled", StonithEnabled ? "true" : "false");
            if (NoQuorumPolicy is not null) Nv(x, 8, "cib-bootstrap-options-no-quorum-policy", "no-quorum-policy", NoQuorumPolicy);
            if (!SymmetricCluster) Nv(x, 8, "cib-bootstrap-options-symmetric-cluster", "symmetric-cluster", "false");
            x.Append("      </cluster_property_set>\n    </crm_config>\n    <nodes>\n");
            foreach (var n in Nodes)
            {
                if (n.State == GeneratedNodeState.Standby)
                {
                    x.Append("      <node id=\"").Append(n.Id).Append("\" uname=\"").Append(n.Name).Append("\">\n")
                        .Append("        <instance_attributes id=\"nodes-").Append(n.Id).Append("\">\n");
                    Nv(x, 10, $"nodes-{n.Id}-standby", "standby", "on");
                    x.Append("        </instance_attributes>\n      </node>\n");
                }
                else
                {
                    x.Append("      <node id=\"").Append(n.Id).Append("\" uname=\"").Append(n.Name).Append("\"/>\n");
                }
            }
            x.Append("    </nodes>\n    <resources>\n");
            foreach (var unit in PlacementUnits())
            {
                if (unit[0].Group.Length == 0)
                {
                    WritePrimitive(x, 6, unit[0]);
                    continue;
                }
                var g = Groups.First(gr => gr.Id == unit[0].Group);
                x.Append("      <group id=\"").Append(g.Id).Append("\">\n");
                if (g.Stickiness is not null || g.TargetRole is not null)
                {
                    x.Append("        <meta_attributes id=\"").Append(g.Id).Append("-meta_attributes\">\n");
                    if (g.Stickiness is { } s) Nv(x, 10, $"{g.Id}-meta_attributes-resource-stickiness", "resource-stickiness", Num(s));
                    if (g.TargetRole is { } r) Nv(x, 10, $"{g.Id}-meta_attributes-target-role", "target-role", r);
                    x.Append("        </meta_attributes>\n");
                }
                foreach (var p in g.Members) WritePrimitive(x, 8, p);
                x.Append("      </group>\n");
            }
            x.Append("    </resources>\n    <constraints>\n");
            foreach (var c in Constraints) x.Append("      ").Append(c.Xml).Append('\n');
            x.Append("    </constraints>\n");
            if (DefaultStickiness is not null)
            {
                x.Append("    <rsc_defaults>\n      <meta_attributes id=\"rsc_defaults-meta_attributes\">\n");
                Nv(x, 8, "rsc_defaults-meta_attributes-resource-stickiness", "resource-stickiness", DefaultStickiness);
                x.Append("      </meta_attributes>\n    </rsc_defaults>\n");
            }
            x.Append("  </configuration>\n  <status>\n");
            var byNode = History.GroupBy(h => h.Node).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var primitives = Primitives.ToDictionary(p => p.Id, StringComparer.Ordinal);
            var callId = 1;
            foreach (var n in Nodes) WriteNodeState(x, n, byNode.GetValueOrDefault(n.Name) ?? [], primitives, ref callId);
            x.Append("  </status>\n</cib>\n");
            return x.ToString();
        }

        private static void WritePrimitive(StringBuilder x, int indent, GeneratedPrimitive p)
        {
            var pad = new string(' ', indent);
            x.Append(pad).Append("<primitive id=\"").Append(p.Id).Append(p.IsStonith
                ? "\" class=\"stonith\" type=\"fence_dummy\">\n"
                : "\" class=\"ocf\" provider=\"pacemaker\" type=\"Dummy\">\n");
            if (p.Fake is not null)
            {
                x.Append(pad).Append("  <instance_attributes id=\"").Append(p.Id).Append("-instance_attributes\">\n");
                Nv(x, indent + 4, $"{p.Id}-instance_attributes-fake", "fake", p.Fake);
                x.Append(pad).Append("  </instance_attributes>\n");
            }
            if (p.Stickiness is not null || p.TargetRole is not null || p.Priority is not null || p.MigrationThreshold is not null
                || p.FailureTimeout is not null || p.Unmanaged)
            {
                x.Append(pad).Append("  <meta_attributes id=\"").Append(p.Id).Append("-meta_attributes\">\n");
                if (p.Stickiness is { } s) Nv(x, indent + 4, $"{p.Id}-meta_attributes-resource-stickiness", "resource-stickiness", Num(s));
                if (p.TargetRole is { } r) Nv(x, indent + 4, $"{p.Id}-meta_attributes-target-role", "target-role", r);
                if (p.Priority is { } pr) Nv(x, indent + 4, $"{p.Id}-meta_attributes-priority", "priority", Num(pr));
                if (p.MigrationThreshold is { } m) Nv(x, indent + 4, $"{p.Id}-meta_attributes-migration-threshold", "migration-threshold", Num(m));
                if (p.FailureTimeout is { } ft) Nv(x, indent + 4, $"{p.Id}-meta_attributes-failure-timeout", "failure-timeout", ft);
                if (p.Unmanaged) Nv(x, indent + 4, $"{p.Id}-meta_attributes-is-managed", "is-managed", "false");
                x.Append(pad).Append("  </meta_attributes>\n");
            }
            x.Append(pad).Append("  <operations>\n");
            if (p.MonitorSeconds > 0)
            {
                x.Append(pad).Append("    <op id=\"").Append(p.Id).Append("-monitor-interval-").Append(p.MonitorSeconds)
                    .Append("s\" name=\"monitor\" interval=\"").Append(p.MonitorSeconds).Append('s').Append('"');
                if (p.MonitorTimeout is not null) x.Append(" timeout=\"").Append(p.MonitorTimeout).Append('"');
                x.Append(OnFailOf(p, "monitor")).Append("/>\n");
            }
            x.Append(pad).Append("    <op id=\"").Append(p.Id).Append("-start-interval-0s\" name=\"start\" interval=\"0s\" timeout=\"20s\"").Append(OnFailOf(p, "start")).Append("/>\n");
            x.Append(pad).Append("    <op id=\"").Append(p.Id).Append("-stop-interval-0s\" name=\"stop\" interval=\"0s\" timeout=\"20s\"").Append(OnFailOf(p, "stop")).Append("/>\n");
            x.Append(pad).Append("  </operations>\n").Append(pad).Append("</primitive>\n");
        }

        private static string OnFailOf(GeneratedPrimitive p, string op) =>
            p.OnFail is { } f && f.Operation == op ? $" on-fail=\"{f.Value}\"" : "";

        private void WriteNodeState(StringBuilder x, GeneratedNode n, List<GeneratedHistory> history,
            Dictionary<string, GeneratedPrimitive> primitives, ref int callId)
        {
            x.Append("    <node_state id=\"").Append(n.Id).Append("\" uname=\"").Append(n.Name).Append('"');
            x.Append(n.State switch
            {
                GeneratedNodeState.Offline => " in_ccm=\"false\" crmd=\"offline\" crm-debug-origin=\"generator\" join=\"down\" expected=\"down\"",
                GeneratedNodeState.Unclean => " in_ccm=\"false\" crmd=\"offline\" crm-debug-origin=\"generator\" join=\"down\" expected=\"member\"",
                _ => " in_ccm=\"true\" crmd=\"online\" crm-debug-origin=\"generator\" join=\"member\" expected=\"member\"",
            });
            var failures = history.Where(h => h.FailCount > 0 || h.FailCountKey is not null).ToList();
            bool shutdown = ShuttingDown.Contains(n.Name), maintenance = InMaintenance.Contains(n.Name);
            if (history.Count == 0 && failures.Count == 0 && !shutdown && !maintenance)
            {
                x.Append("/>\n");
                return;
            }
            x.Append(">\n");
            if (failures.Count > 0 || shutdown || maintenance)
            {
                x.Append("      <transient_attributes id=\"").Append(n.Id).Append("\">\n        <instance_attributes id=\"status-").Append(n.Id).Append("\">\n");
                if (shutdown) Nv(x, 10, $"status-{n.Id}-shutdown", "shutdown", "1700000000");
                if (maintenance) Nv(x, 10, $"status-{n.Id}-maintenance", "maintenance", "true");
                foreach (var f in failures)
                {
                    var key = f.FailCountKey is { } k ? $"{f.Resource}#{k}" : $"{f.Resource}#monitor_{primitives[f.Resource].MonitorSeconds * 1000}";
                    var idKey = key.Replace('#', '.');
                    Nv(x, 10, $"status-{n.Id}-fail-count-{idKey}", "fail-count-" + key, f.FailCountValue ?? Num(f.FailCount));
                    Nv(x, 10, $"status-{n.Id}-last-failure-{idKey}", "last-failure-" + key, "1700000000");
                }
                x.Append("        </instance_attributes>\n      </transient_attributes>\n");
            }
            x.Append("      <lrm id=\"").Append(n.Id).Append("\">\n        <lrm_resources>\n");
            foreach (var h in history)
            {
                var p = primitives[h.Resource];
                x.Append("          <lrm_resource id=\"").Append(p.Id).Append(p.IsStonith
                    ? "\" type=\"fence_dummy\" class=\"stonith\">\n"
                    : "\" type=\"Dummy\" class=\"ocf\" provider=\"pacemaker\">\n");
                var parameters = new List<(string, string)>();
                if (p.Fake is not null) parameters.Add(("fake", h.StaleDigest ? p.Fake + "-old" : p.Fake));
                var digest = CibDigest.Of(parameters);
                if (h.Failure != GeneratedFailure.None)
                {
                    WriteFailedHistory(x, p, h, n.Name, parameters, ref callId);
                }
                else if (!h.Running)
                {
                    Op(x, p.Id, "last_0", "monitor", 0, 7, callId++, n.Name, digest);
                }
                else
                {
                    Op(x, p.Id, "last_0", "start", 0, 0, callId++, n.Name, digest);
                    if (p.MonitorSeconds > 0)
                    {
                        var timeoutMs = p.MonitorTimeout is null ? 20000 : int.Parse(p.MonitorTimeout.TrimEnd('s'), CultureInfo.InvariantCulture) * 1000;
                        parameters.Add(("CRM_meta_timeout", Num(timeoutMs)));
                        var rc = h.MonitorFailed ? 7 : 0;
                        var monitorDigest = CibDigest.Of(parameters);
                        Op(x, p.Id, $"monitor_{p.MonitorSeconds * 1000}", "monitor", p.MonitorSeconds * 1000, rc, callId++, n.Name, monitorDigest);
                        if (h.MonitorFailed)
                            Op(x, p.Id, "last_failure_0", "monitor", p.MonitorSeconds * 1000, rc, callId - 1, n.Name, monitorDigest);
                    }
                }
                x.Append("          </lrm_resource>\n");
            }
            x.Append("        </lrm_resources>\n      </lrm>\n    </node_state>\n");
        }

        /// <summary>The history of an operation that failed: what ran before it, the failed entry
        /// and its last_failure copy (a probe that found the resource running has none).</summary>
        private static void WriteFailedHistory(StringBuilder x, GeneratedPrimitive p, GeneratedHistory h, string node,
            List<(string, string)> parameters, ref int callId)
        {
            var digest = CibDigest.Of(parameters);
            var monitorMs = p.MonitorSeconds * 1000;
            string MonitorDigest()
            {
                var timeoutMs = p.MonitorTimeout is null ? 20000 : int.Parse(p.MonitorTimeout.TrimEnd('s'), CultureInfo.InvariantCulture) * 1000;
                return CibDigest.Of([.. parameters, ("CRM_meta_timeout", Num(timeoutMs))]);
            }
            int rc = h.FailureRc, status = h.FailureStatus;
            switch (h.Failure)
            {
                case GeneratedFailure.Probe:
                    Op(x, p.Id, "last_0", "monitor", 0, rc, callId, node, digest);
                    if (rc != 0) Op(x, p.Id, "last_failure_0", "monitor", 0, rc, callId, node, digest);
                    callId++;
                    break;
                case GeneratedFailure.Start:
                    Op(x, p.Id, "last_0", "start", 0, rc, callId, node, digest, status);
                    Op(x, p.Id, "last_failure_0", "start", 0, rc, callId, node, digest, status);
                    callId++;
                    break;
                case GeneratedFailure.Stop:
                    Op(x, p.Id, "last_0", "stop", 0, rc, callId + 2, node, digest, status);
                    Op(x, p.Id, "last_failure_0", "stop", 0, rc, callId + 2, node, digest, status);
                    if (monitorMs > 0) Op(x, p.Id, $"monitor_{monitorMs}", "monitor", monitorMs, 0, callId + 1, node, MonitorDigest());
                    callId += 3;
                    break;
                case GeneratedFailure.Monitor:
                    Op(x, p.Id, "last_0", "start", 0, 0, callId, node, digest);
                    Op(x, p.Id, $"monitor_{monitorMs}", "monitor", monitorMs, rc, callId + 1, node, MonitorDigest(), status);
                    Op(x, p.Id, "last_failure_0", "monitor", monitorMs, rc, callId + 1, node, MonitorDigest(), status);
                    callId += 2;
                    break;
            }
        }

        private static void Op(StringBuilder x, string rsc, string idSuffix, string task, int intervalMs, int rc, int callId, string node, string digest, int status = 0)
        {
            var expected = task == "monitor" && intervalMs == 0 ? 7 : 0;
            var key = $"{callId}:1:{expected}:00000000-0000-0000-0000-000000000000";
            x.Append("            <lrm_rsc_op id=\"").Append(rsc).Append('_').Append(idSuffix)
                .Append("\" operation_key=\"").Append(rsc).Append('_').Append(task).Append('_').Append(intervalMs)
                .Append("\" operation=\"").Append(task)
                .Append("\" crm-debug-origin=\"generator\" crm_feature_set=\"3.16.1\" transition-key=\"").Append(key)
                .Append("\" transition-magic=\"").Append(status).Append(':').Append(rc).Append(';').Append(key)
                .Append("\" exit-reason=\"\" on_node=\"").Append(node)
                .Append("\" call-id=\"").Append(callId).Append("\" rc-code=\"").Append(rc)
                .Append("\" op-status=\"").Append(status).Append("\" interval=\"").Append(intervalMs)
                .Append("\" last-rc-change=\"1700000000\" exec-time=\"10\" queue-time=\"0\" op-digest=\"").Append(digest).Append("\"/>\n");
        }

        private static void Nv(StringBuilder x, int indent, string id, string name, string value) =>
            x.Append(' ', indent).Append("<nvpair id=\"").Append(id).Append("\" name=\"").Append(name)
                .Append("\" value=\"").Append(value).Append("\"/>\n");

        private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
    }
}
