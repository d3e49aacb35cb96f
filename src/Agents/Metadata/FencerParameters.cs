namespace Cluster.Agents.Metadata;

/// <summary>
/// Parameters the fencer itself understands on every stonith device (not passed to the agent).
/// pcs lists the common ones after the agent's own parameters.
/// </summary>
public static class FencerParameters
{
    private static AgentParameter P(string name, string type, string? def, string desc) =>
        new(name, false, false, null, false, false, type, def, desc, desc);

    public static IReadOnlyList<AgentParameter> Common { get; } =
    [
        P("pcmk_host_map", "string", null,
            "Maps node names to the device's port names for devices that do not know node names, e.g. node1:1;node2:2,3 (node2 is fenced through ports 2 and 3)"),
        P("pcmk_host_list", "string", null,
            "The nodes this device can fence, separated by spaces or commas, e.g. node1,node2 (used when pcmk_host_check is static-list)"),
        P("pcmk_host_check", "select", "dynamic-list",
            "How to find the nodes this device can fence: dynamic-list (ask the agent's list action), static-list (pcmk_host_list / pcmk_host_map), status (ask the status action per node), none (every node)"),
        P("pcmk_delay_max", "time", "0s",
            "Upper bound of a random delay added before fencing through this device, so two nodes fencing each other do not both succeed; the delay includes pcmk_delay_base."),
        P("pcmk_delay_base", "string", "0s",
            "Fixed delay before fencing through this device; a single time, or per node as node1:1s;node2:5s. With pcmk_delay_max a random part is added up to that maximum."),
        P("pcmk_action_limit", "integer", "1",
            "How many fencing actions may run on this device at once (-1 for no limit); needs the cluster property concurrent-fencing=true."),
    ];

    /// <summary>The tracing parameters every OCF agent accepts through the executor (pcs shows them with --full).</summary>
    public static IReadOnlyList<AgentParameter> OcfTracing { get; } =
    [
        P("trace_ra", "integer", "0",
            "Set to 1 to trace the agent's shell execution (large output), written to trace_file or to a file per action under the run directory's ra_trace/<type>/"),
        P("trace_file", "string", "", "File to write the agent's trace to (with trace_ra=1)"),
    ];
}
