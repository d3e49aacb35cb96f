using Cluster.Messaging.Client;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>How the corosync-* tools reach the daemon: its socket under HA_ROOT's /run/corosync.</summary>
internal static class DaemonConnection
{
    /// <summary>Connects, or returns null when the daemon is not running (the caller prints its tool's error).</summary>
    public static async Task<CorosyncConnection?> TryConnectAsync(ToolContext context)
    {
        try
        {
            return await CorosyncConnection.ConnectAsync(CorosyncConnection.DefaultSocketPath(context.Paths)).ConfigureAwait(false);
        }
        catch (CorosyncUnavailableException)
        {
            return null;
        }
    }
}
