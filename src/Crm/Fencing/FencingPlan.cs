using System.Globalization;
using System.Xml.Linq;
using Cluster.Agents;
using Cluster.Agents.Invocation;

namespace Cluster.Crm.Fencing;

/// <summary>
/// What the fencer does for one target, decided from the CIB alone (sans-IO): the devices
/// (<c>stonith</c>-class primitives that are not disabled), grouped into the levels to try in
/// order — the <c>fencing-topology</c> levels for the target, else one level per device that may
/// fence it — and the agent request for each device.
/// </summary>
public static class FencingPlan
{
    /// <summary>The configured devices; a primitive the fencer cannot use is named in <paramref name="problems"/>.</summary>
    public static IReadOnlyList<FenceDevice> Devices(XElement cib, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(cib);
        ArgumentNullException.ThrowIfNull(problems);
        var devices = new List<FenceDevice>();
        var resources = cib.Element("configuration")?.Element("resources");
        if (resources is null)
            return devices;
        foreach (var p in resources.Descendants("primitive").Where(p => (string?)p.Attribute("class") == "stonith"))
        {
            var id = (string?)p.Attribute("id") ?? "";
            var type = (string?)p.Attribute("type") ?? "";
            if (!AgentId.TryParse($"stonith:{type}", out var agent, out var error) || agent is null)
            {
                problems.Add($"fencing device {id}: {error}");
                continue;
            }
            var meta = Pairs(p.Elements("meta_attributes"));
            if (meta.TryGetValue("target-role", out var role) && role.Equals("Stopped", StringComparison.OrdinalIgnoreCase))
                continue;
            var parameters = Pairs(p.Elements("instance_attributes"));
            var list = parameters.TryGetValue("pcmk_host_list", out var l)
                ? l.Split([' ', ',', ';', '\t'], StringSplitOptions.RemoveEmptyEntries) : [];
            var map = parameters.TryGetValue("pcmk_host_map", out var m) ? HostMap(m) : new Dictionary<string, string>(StringComparer.Ordinal);
            var check = parameters.TryGetValue("pcmk_host_check", out var c) ? c switch
            {
                "static-list" => HostCheck.StaticList,
                "dynamic-list" => HostCheck.DynamicList,
                "status" => HostCheck.Status,
                "none" => HostCheck.None,
                _ => list.Length > 0 || map.Count > 0 ? HostCheck.StaticList : HostCheck.DynamicList,
            } : list.Length > 0 || map.Count > 0 ? HostCheck.StaticList : HostCheck.DynamicList;
            devices.Add(new FenceDevice(id, agent, parameters, check, list, map));
        }
        return devices;
    }

    /// <summary>The levels to try for <paramref name="target"/>, in order; every device of a level must succeed.</summary>
    public static IReadOnlyList<IReadOnlyList<FenceDevice>> Levels(XElement cib, string target, IReadOnlyList<FenceDevice> devices)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var byId = devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        var topology = cib.Element("configuration")?.Element("fencing-topology")?.Elements("fencing-level")
            .Where(l => Targets(l, target))
            .OrderBy(l => int.TryParse((string?)l.Attribute("index"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .ToList() ?? [];
        if (topology.Count > 0)
        {
            return [.. topology.Select(l => (IReadOnlyList<FenceDevice>)[.. ((string?)l.Attribute("devices") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(byId.ContainsKey).Select(id => byId[id])])
                .Where(level => level.Count > 0)];
        }
        return [.. devices.Where(d => d.CanFence(target) != false).Select(d => (IReadOnlyList<FenceDevice>)[d])];
    }

    /// <summary>The agent call that fences (or lists, or checks) through <paramref name="device"/>.</summary>
    public static AgentRequest Request(FenceDevice device, string action, string? target, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(device);
        var parameters = new Dictionary<string, string>(device.Parameters, StringComparer.Ordinal);
        if (target is not null)
        {
            var argument = device.Parameters.TryGetValue("pcmk_host_argument", out var a) && a.Length > 0 ? a : "port";
            if (argument != "none")
                parameters[argument] = device.PortFor(target);
            parameters["nodename"] = target;
        }
        return new AgentRequest(device.Agent, action, device.Id) { Parameters = parameters, Timeout = timeout };
    }

    /// <summary>The node names in a <c>list</c> action's output: the first word of each line.</summary>
    public static IReadOnlyList<string> ParseList(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split([' ', ',', '\t'], 2)[0]).Where(w => w.Length > 0)];

    private static bool Targets(XElement level, string target)
    {
        if ((string?)level.Attribute("target") is { } t)
            return t == target;
        if ((string?)level.Attribute("target-pattern") is { } pattern)
        {
            try
            {
                return System.Text.RegularExpressions.Regex.IsMatch(target, pattern, System.Text.RegularExpressions.RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException)
            {
                return false;
            }
        }
        return false;
    }

    private static Dictionary<string, string> Pairs(IEnumerable<XElement> sets)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var nv in sets.Elements("nvpair"))
            if ((string?)nv.Attribute("name") is { } name && !pairs.ContainsKey(name))
                pairs[name] = (string?)nv.Attribute("value") ?? "";
        return pairs;
    }

    // "node1:1;node2:2,3" (also "node1=1 node2=2"): node -> port.
    private static Dictionary<string, string> HostMap(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in text.Split([';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            var sep = entry.IndexOfAny([':', '=']);
            if (sep > 0) map[entry[..sep]] = entry[(sep + 1)..];
        }
        return map;
    }
}
