using System.Globalization;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>Where a generated pcs script starts.</summary>
public enum PcsScriptBase
{
    /// <summary>The golden two-node cluster before any resource or constraint (stonith disabled).</summary>
    EmptyCluster,

    /// <summary>The golden CIB after the walkthrough: WebIP, WebServer, their constraints and defaults.</summary>
    Walkthrough,
}

/// <summary>A seeded sequence of pcs command lines (without "pcs -f FILE") and the CIB it starts from.</summary>
public sealed record PcsScript(int Seed, PcsScriptBase Base, IReadOnlyList<string> Commands)
{
    /// <summary>The script as recorded: the seed, the base, one command per line.</summary>
    public string Text => string.Create(CultureInfo.InvariantCulture, $"seed {Seed} base {Base}\n") + string.Concat(Commands.Select(c => "pcs " + c + "\n"));
}

/// <summary>
/// Random pcs command sequences as administrators type them, right and wrong: resources of several
/// agents with parameters, operations, meta attributes, groups, clones and promotable clones;
/// location, colocation and order constraints; properties and defaults; moves, bans, enable,
/// disable, manage; deletes; and the usual mistakes (unknown agent, resource, node or property,
/// missing or unknown parameter, duplicate id, bad score or value). Each command is drawn against
/// what the earlier commands probably created, so most of them act on real objects.
/// </summary>
public static class PcsScriptGenerator
{
    private static readonly string[] Nodes = ["node1", "node2"];

    public static PcsScript Generate(int seed)
    {
        var rng = new Random(seed);
        var @base = rng.Next(3) == 0 ? PcsScriptBase.Walkthrough : PcsScriptBase.EmptyCluster;
        var state = new ScriptState(rng);
        if (@base == PcsScriptBase.Walkthrough)
        {
            state.Primitives.AddRange(["WebIP", "WebServer"]);
        }
        var count = rng.Next(6, 15);
        var commands = new List<string>(count);
        for (int i = 0; i < count; i++) commands.Add(state.Next());
        return new PcsScript(seed, @base, commands);
    }

    private sealed class ScriptState(Random rng)
    {
        public List<string> Primitives { get; } = [];
        private readonly List<string> groups = [];
        private readonly List<string> clones = [];
        private readonly List<string> constraintIds = [];
        private int nextId = 1;

        private T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

        private bool Chance(int percent) => rng.Next(100) < percent;

        private string NewName(string prefix) => prefix + (nextId++).ToString(CultureInfo.InvariantCulture);

        /// <summary>Any resource id the script knows, now and then one that does not exist.</summary>
        private string AnyResource()
        {
            var all = Primitives.Concat(groups).Concat(clones).ToList();
            return all.Count == 0 || Chance(8) ? "Missing" + rng.Next(9).ToString(CultureInfo.InvariantCulture) : Pick(all);
        }

        private string Primitive() => Primitives.Count == 0 || Chance(6) ? "Nope" : Pick(Primitives);

        private string Node() => Chance(6) ? "node9" : Pick(Nodes);

        private string Score() => rng.Next(8) switch
        {
            0 => "INFINITY",
            1 => "-INFINITY",
            2 => "+INFINITY",
            3 => "100",
            4 => "-50",
            5 => "abc",
            6 => "0",
            _ => "2000",
        };

        public string Next() => rng.Next(100) switch
        {
            < 22 => Create(),
            < 26 => "resource delete " + AnyResource(),
            < 30 => $"resource update {Primitive()} {Pick(["fake=" + rng.Next(10).ToString(CultureInfo.InvariantCulture), "ip=10.0.0." + rng.Next(1, 250).ToString(CultureInfo.InvariantCulture), "nosuch=1", "state="])}",
            < 34 => $"resource meta {AnyResource()} {Pick(["resource-stickiness=" + rng.Next(300).ToString(CultureInfo.InvariantCulture), "target-role=Stopped", "priority=5", "migration-threshold=3", "is-managed=false", "failure-timeout=60s"])}",
            < 37 => $"resource op add {Primitive()} monitor interval={Pick(["10s", "20s", "30s", "1min", "abc"])}{(Chance(40) ? " timeout=" + Pick(["20s", "60", "x"]) : "")}",
            < 39 => $"resource op delete {Primitive()} {Pick(["monitor", "start", "stop"])}",
            < 43 => $"resource {Pick(["enable", "disable"])} {AnyResource()}",
            < 46 => $"resource move {AnyResource()}{(Chance(70) ? " " + Node() : "")}",
            < 49 => $"resource ban {AnyResource()}{(Chance(70) ? " " + Node() : "")}",
            < 51 => $"resource clear {AnyResource()}{(Chance(30) ? " " + Node() : "")}",
            < 53 => $"resource {Pick(["manage", "unmanage"])} {AnyResource()}",
            < 56 => GroupChange(),
            < 62 => Location(),
            < 67 => Colocation(),
            < 72 => Order(),
            < 74 => "constraint delete " + (constraintIds.Count == 0 || Chance(20) ? "no-such-constraint" : Pick(constraintIds)),
            < 75 => "constraint ref " + AnyResource(),
            < 78 => Pick(["constraint", "constraint config", "constraint config --full", "constraint location config", "constraint order config", "constraint colocation config"]),
            < 84 => Property(),
            < 87 => Defaults(),
            < 93 => Pick(["resource config", "resource status", "resource", "property config", "property", "resource config " + AnyResource(), "resource defaults", "config"]),
            < 96 => Pick(["resource clone " + Primitive(), "resource promotable " + Primitive(), "resource unclone " + AnyResource()]),
            _ => Pick(["resource create", "resource bogus", "constraint location " + Primitive(), "property set", "resource group add", "constraint colocation add " + Primitive()]),
        };

        private string Create()
        {
            var duplicate = Primitives.Count > 0 && Chance(6);
            var name = duplicate ? Pick(Primitives) : NewName(Pick(["D", "R", "Web", "ip"]));
            var (agent, parameters) = rng.Next(12) switch
            {
                < 4 => ("ocf:pacemaker:Dummy", Chance(30) ? "fake=" + rng.Next(5).ToString(CultureInfo.InvariantCulture) : ""),
                4 => ("ocf:heartbeat:Dummy", Chance(20) ? "state=/run/x" : ""),
                5 or 6 => ("ocf:heartbeat:IPaddr2", Chance(85) ? $"ip=10.0.0.{rng.Next(1, 250).ToString(CultureInfo.InvariantCulture)}" + (Chance(60) ? " cidr_netmask=24" : "") : "cidr_netmask=24"),
                7 => ("ocf:pacemaker:Stateful", ""),
                8 => ("ocf:heartbeat:apache", Chance(50) ? "configfile=/etc/apache2/apache2.conf" : ""),
                9 => ("Dummy", ""),
                10 => (Pick(["ocf:heartbeat:NoSuchAgent", "ocf:nosuch:Dummy", "lsb:nosuchservice", "bogus:Dummy"]), ""),
                _ => ("ocf:pacemaker:Dummy", "nosuch=1"),
            };
            var words = new List<string> { "resource create", name, agent };
            if (parameters.Length > 0) words.Add(parameters);
            if (Chance(40)) words.Add($"op monitor interval={Pick(["10s", "30s", "1min", "20", "abc"])}" + (Chance(30) ? " timeout=" + Pick(["20s", "40s", "bad"]) : ""));
            if (Chance(10)) words.Add(Pick(["op start timeout=60s", "op stop interval=0s timeout=30s", "op bogus interval=5s", "op monitor role=Promoted interval=11s"]));
            if (Chance(20)) words.Add("meta " + Pick(["resource-stickiness=50", "target-role=Stopped", "migration-threshold=2", "priority=10"]));
            string? group = null;
            var mode = rng.Next(10);
            if (mode < 2)
            {
                group = groups.Count > 0 && Chance(60) ? Pick(groups) : NewName("G");
                words.Add("--group " + group);
            }
            else if (mode == 2) words.Add("clone");
            else if (mode == 3) words.Add("promotable");
            if (Chance(12)) words.Add("--disabled");
            if (Chance(4)) words.Add("--force");
            if (!duplicate && !agent.Contains("nosuch", StringComparison.OrdinalIgnoreCase) && !agent.Contains("NoSuch", StringComparison.Ordinal) && !agent.StartsWith("bogus", StringComparison.Ordinal))
            {
                Primitives.Add(name);
                if (group is not null && !groups.Contains(group)) groups.Add(group);
                if (mode == 2 || mode == 3) clones.Add(name + "-clone");
            }
            return string.Join(' ', words);
        }

        private string GroupChange()
        {
            if (Chance(70))
            {
                var group = groups.Count > 0 && Chance(60) ? Pick(groups) : NewName("G");
                if (!groups.Contains(group)) groups.Add(group);
                var members = Enumerable.Range(0, rng.Next(1, 3)).Select(_ => Primitive()).Distinct().ToList();
                return $"resource group add {group} {string.Join(' ', members)}";
            }
            return $"resource group remove {(groups.Count > 0 ? Pick(groups) : "G0")} {Primitive()}";
        }

        private string Location()
        {
            var rsc = AnyResource();
            var node = Node();
            var how = Chance(60) ? "prefers" : "avoids";
            var score = Chance(50) ? "" : "=" + Score();
            constraintIds.Add($"location-{rsc}-{node}-{(score.Length == 0 ? "INFINITY" : score[1..])}");
            return $"constraint location {rsc} {how} {node}{score}";
        }

        private string Colocation()
        {
            var a = AnyResource();
            var b = AnyResource();
            var score = Chance(50) ? "" : " " + Score();
            var role = Chance(10) ? Pick(["Promoted ", "Started "]) : "";
            constraintIds.Add($"colocation-{a}-{b}-{(score.Length == 0 ? "INFINITY" : score[1..])}");
            return $"constraint colocation add {role}{a} with {b}{score}";
        }

        private string Order()
        {
            var a = AnyResource();
            var b = AnyResource();
            var first = Chance(20) ? Pick(["start ", "promote ", "stop ", "demote "]) : "";
            var then = Chance(20) ? Pick(["start ", "stop "]) : "";
            var kind = Chance(25) ? " " + Pick(["kind=Optional", "kind=Serialize", "kind=Mandatory", "symmetrical=false", "kind=bogus"]) : "";
            constraintIds.Add($"order-{a}-{b}-mandatory");
            return $"constraint order {first}{a} then {then}{b}{kind}";
        }

        private string Property() => rng.Next(10) switch
        {
            < 6 => "property set " + Pick([
                "stonith-enabled=false", "stonith-enabled=true", "no-quorum-policy=ignore", "no-quorum-policy=freeze",
                "no-quorum-policy=bogus", "maintenance-mode=true", "maintenance-mode=false", "cluster-recheck-interval=5min",
                "symmetric-cluster=false", "start-failure-is-fatal=false", "nosuchproperty=1", "stonith-timeout=abc",
                "batch-limit=10", "placement-strategy=utilization"]),
            < 8 => "property unset " + Pick(["stonith-enabled", "no-quorum-policy", "maintenance-mode", "nosuchproperty"]),
            _ => Pick(["property config", "property config --all", "property"]),
        };

        private string Defaults() => rng.Next(4) switch
        {
            < 2 => "resource defaults update " + Pick(["resource-stickiness=100", "migration-threshold=3", "failure-timeout=2min", "bogus=1"]),
            2 => "resource op defaults update " + Pick(["timeout=30s", "record-pending=true"]),
            _ => Pick(["resource defaults", "resource op defaults", "resource defaults config"]),
        };
    }
}
