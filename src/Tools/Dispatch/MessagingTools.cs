using Cluster.Tools.Messaging;

namespace Cluster.Tools.Dispatch;

/// <summary>Tools of the messaging layer (corosync and the corosync-* tools).</summary>
public static class MessagingTools
{
    public static IEnumerable<ToolEntry> Entries =>
    [
        CorosyncTool.Entry,
        CorosyncCmapctlTool.Entry,
        CorosyncKeygenTool.Entry,
        new("totem-bench", "Totem over real UDP on 127.0.0.x: ordered throughput, latency, crash-to-new-ring time", TotemBenchTool.RunTool),
        new("totem-sim", "deterministic Totem simulator: runs seeds under faults and checks the invariants", TotemSimTool.Run),
        CorosyncQuorumtoolTool.Entry,
        CorosyncCfgtoolTool.Entry,
        CorosyncCpgtoolTool.Entry,
    ];
}
