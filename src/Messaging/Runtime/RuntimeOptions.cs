using Cluster.Common.Paths;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Runtime;

/// <summary>Where the shell keeps its state, and how long a graceful leave may take.</summary>
public sealed record RuntimeOptions(NodeId LocalNode, string StateDirectory)
{
    /// <summary>Upper bound for <see cref="TotemRuntime.StopAsync"/> to get the leave out.</summary>
    public TimeSpan LeaveTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Check every received frame with <see cref="TotemFrameCheck"/> before the node sees it;
    /// rejected frames are counted in the transport's <see cref="Transport.PacketCounters"/>.
    /// Off only for nodes that do not speak the Totem wire format (test doubles).
    /// </summary>
    public bool CheckFrames { get; init; } = true;

    /// <summary>The standard layout: ring id file under HA_ROOT's /var/lib/corosync.</summary>
    public static RuntimeOptions For(HaPaths paths, NodeId node)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new RuntimeOptions(node, paths.CorosyncLib);
    }
}
