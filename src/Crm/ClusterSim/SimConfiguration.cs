using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Messaging.Simulation;

namespace Cluster.Crm.ClusterSim;

/// <summary>
/// The configurations a simulated cluster starts from and the changes its administrator makes
/// (resources, constraints, standby), each with what it must leave in the CIB once acknowledged.
/// </summary>
public static class SimConfiguration
{
    public const string FenceDevice = "fence-sim";

    /// <summary>The starting CIB: 1..4 Dummy primitives, maybe constraints, fencing as <paramref name="fencing"/> says.</summary>
    public static XElement Initial(SplitMix64 rng, int nodes, FencingMode fencing)
    {
        var cib = CibOperations.Empty(epoch: 5);
        var configuration = cib.Element("configuration")!;
        configuration.Element("crm_config")!.Add(new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"),
            Nv("cib-bootstrap-options-stonith-enabled", "stonith-enabled", fencing == FencingMode.Disabled ? "false" : "true")));
        var resources = configuration.Element("resources")!;
        if (fencing == FencingMode.Device)
            resources.Add(new XElement("primitive", new XAttribute("id", FenceDevice), new XAttribute("class", "stonith"), new XAttribute("type", "fence_sim"),
                Operations(FenceDevice, "60s")));
        var count = rng.Range(1, 5);
        for (var i = 1; i <= count; i++)
            resources.Add(Dummy($"rsc{i}"));
        var constraints = configuration.Element("constraints")!;
        if (rng.Chance(0.5))
            constraints.Add(Location("rsc1", $"node{rng.Range(1, nodes + 1)}", rng.Chance(0.8) ? "100" : "-INFINITY"));
        if (count >= 2 && rng.Chance(0.4))
            constraints.Add(new XElement("rsc_colocation", new XAttribute("id", "col-rsc2-rsc1"), new XAttribute("rsc", "rsc2"),
                new XAttribute("with-rsc", "rsc1"), new XAttribute("score", "INFINITY")));
        if (count >= 2 && rng.Chance(0.4))
            constraints.Add(new XElement("rsc_order", new XAttribute("id", "order-rsc1-rsc2"), new XAttribute("first", "rsc1"),
                new XAttribute("then", "rsc2"), new XAttribute("kind", "Mandatory")));
        if (rng.Chance(0.3))
            configuration.Add(new XElement("rsc_defaults", new XElement("meta_attributes", new XAttribute("id", "rsc-options"),
                Nv("rsc-options-resource-stickiness", "resource-stickiness", "100"))));
        return cib;
    }

    /// <summary>A random administrator change against <paramref name="cib"/> (the target node's current copy).</summary>
    public static AdminChange NextChange(SplitMix64 rng, XElement cib, int nodes, ref int serial)
    {
        var configuration = cib.Element("configuration");
        var primitives = configuration?.Element("resources")?.Elements("primitive")
            .Where(p => (string?)p.Attribute("class") != "stonith").Select(p => (string)p.Attribute("id")!).ToList() ?? [];
        var constraints = configuration?.Element("constraints")?.Elements().Select(c => (string)c.Attribute("id")!).ToList() ?? [];
        serial++;
        switch (rng.Range(0, 6))
        {
            case 0 or 1 when primitives.Count < 6:
                {
                    var id = $"admin{serial}";
                    return new AdminChange($"add resource {id}", new CibRequest(CibCommand.Create, "resources", Data: Dummy(id)), id, "present");
                }
            case 2 when primitives.Count > 0:
                {
                    // Only resources no constraint names: a dangling reference is refused (as crm_verify refuses it).
                    var free = primitives.Where(p => !configuration!.Element("constraints")!.Elements().Any(c => c.Attributes().Any(a => a.Value == p))).ToList();
                    if (free.Count == 0) goto default;
                    var id = free[rng.Range(0, free.Count)];
                    return new AdminChange($"remove resource {id}",
                        new CibRequest(CibCommand.Delete, XPath: $"/cib/configuration/resources/primitive[@id='{id}']"), id, null);
                }
            case 3 when primitives.Count > 0:
                {
                    var rsc = primitives[rng.Range(0, primitives.Count)];
                    var node = $"node{rng.Range(1, nodes + 1)}";
                    var c = Location(rsc, node, rng.Chance(0.7) ? "200" : "-INFINITY");
                    var id = (string)c.Attribute("id")!;
                    return constraints.Contains(id)
                        ? new AdminChange($"remove constraint {id}", new CibRequest(CibCommand.Delete, XPath: $"/cib/configuration/constraints/rsc_location[@id='{id}']"), id, null)
                        : new AdminChange($"add constraint {id}", new CibRequest(CibCommand.Create, "constraints", Data: c), id, "present");
                }
            case 4 when primitives.Count > 1:
                {
                    var a = primitives[rng.Range(0, primitives.Count)];
                    var b = primitives.Where(p => p != a).ElementAt(rng.Range(0, primitives.Count - 1));
                    var id = $"col-{a}-{b}";
                    if (constraints.Contains(id))
                        return new AdminChange($"remove constraint {id}", new CibRequest(CibCommand.Delete, XPath: $"/cib/configuration/constraints/rsc_colocation[@id='{id}']"), id, null);
                    return new AdminChange($"add constraint {id}", new CibRequest(CibCommand.Create, "constraints", Data:
                        new XElement("rsc_colocation", new XAttribute("id", id), new XAttribute("rsc", a), new XAttribute("with-rsc", b),
                            new XAttribute("score", rng.Chance(0.7) ? "INFINITY" : "-INFINITY"))), id, "present");
                }
            default:
                {
                    var nodeNumber = rng.Range(1, nodes + 1);
                    var nodeId = nodeNumber.ToString(CultureInfo.InvariantCulture);
                    var current = configuration?.Element("nodes")?.Elements("node").FirstOrDefault(n => (string?)n.Attribute("id") == nodeId)?
                        .Descendants("nvpair").FirstOrDefault(n => (string?)n.Attribute("name") == "standby")?.Attribute("value")?.Value;
                    var value = current == "on" ? "off" : "on";
                    var nvId = $"nodes-{nodeId}-standby";
                    var data = new XElement("nodes", new XElement("node", new XAttribute("id", nodeId), new XAttribute("uname", $"node{nodeNumber}"),
                        new XElement("instance_attributes", new XAttribute("id", $"nodes-{nodeId}"), Nv(nvId, "standby", value))));
                    return new AdminChange($"standby node{nodeNumber}={value}",
                        new CibRequest(CibCommand.Modify, "nodes", Data: data, Options: CibCallOptions.AllowCreate), nvId, value);
                }
        }
    }

    /// <summary>What <paramref name="cib"/> holds for the element with id <paramref name="id"/>: null when absent, an nvpair's value, else "present".</summary>
    public static string? Holds(XElement cib, string id)
    {
        var element = cib.Element("configuration")?.Descendants().FirstOrDefault(e => (string?)e.Attribute("id") == id);
        return element is null ? null : element.Name.LocalName == "nvpair" ? (string?)element.Attribute("value") : "present";
    }

    public static XElement Dummy(string id) =>
        new("primitive", new XAttribute("id", id), new XAttribute("class", "ocf"), new XAttribute("provider", "pacemaker"), new XAttribute("type", "Dummy"),
            Operations(id, "10s"));

    private static XElement Operations(string id, string interval) =>
        new("operations", new XElement("op", new XAttribute("id", $"{id}-monitor-interval-{interval}"), new XAttribute("name", "monitor"),
            new XAttribute("interval", interval), new XAttribute("timeout", "20s")));

    private static XElement Location(string rsc, string node, string score) =>
        new("rsc_location", new XAttribute("id", $"loc-{rsc}-{node}"), new XAttribute("rsc", rsc), new XAttribute("node", node), new XAttribute("score", score));

    private static XElement Nv(string id, string name, string value) =>
        new("nvpair", new XAttribute("id", id), new XAttribute("name", name), new XAttribute("value", value));
}

/// <summary>One administrator change and what it must leave once acknowledged (<see cref="SimConfiguration.Holds"/> of <paramref name="Id"/>).</summary>
public sealed record AdminChange(string Description, CibRequest Request, string Id, string? Expected);
