using Cluster.Agents;

namespace Cluster.Crm.Fencing;

/// <summary>How a device's fencer learns which nodes it can fence (<c>pcmk_host_check</c>).</summary>
public enum HostCheck
{
    /// <summary>Ask the agent's <c>list</c> action (the default without a host list or map).</summary>
    DynamicList,
    /// <summary><c>pcmk_host_list</c> / <c>pcmk_host_map</c> (the default when either is set).</summary>
    StaticList,
    /// <summary>Ask the agent's <c>status</c> action for the node.</summary>
    Status,
    /// <summary>Every node.</summary>
    None,
}

/// <summary>
/// A fencing device: a <c>stonith</c>-class primitive of the configuration, with the parameters
/// the fencer itself reads (<c>pcmk_host_*</c>) resolved and the others kept for the agent.
/// </summary>
public sealed record FenceDevice(
    string Id,
    AgentId Agent,
    IReadOnlyDictionary<string, string> Parameters,
    HostCheck Check,
    IReadOnlyList<string> HostList,
    IReadOnlyDictionary<string, string> HostMap)
{
    /// <summary>Whether the device can fence <paramref name="node"/> from the configuration alone; null when only the agent can say.</summary>
    public bool? CanFence(string node) => Check switch
    {
        HostCheck.None => true,
        HostCheck.StaticList => HostList.Contains(node, StringComparer.Ordinal) || HostMap.ContainsKey(node),
        _ => null,
    };

    /// <summary>The port (plug) the agent is given for <paramref name="node"/>: the host map's, else the node name.</summary>
    public string PortFor(string node) => HostMap.TryGetValue(node, out var port) ? port : node;
}
