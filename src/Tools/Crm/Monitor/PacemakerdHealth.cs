using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Tools.Pacemakerd;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>
/// The first line of crm_mon's text on a live cluster (and so of pcs status): the local
/// pacemakerd's state, "Status of pacemakerd: 'Pacemaker is running' (last updated
/// 2026-11-21 22:35:32Z)". Pacemaker asks pacemakerd over IPC; ours runs the CIB manager in the
/// pacemakerd process, so the state is its pid file naming a live process, and the update time is
/// now (the real one is pacemakerd's last check of its subdaemons, seconds old at most).
/// </summary>
public static class PacemakerdHealth
{
    /// <summary>The line with its newline, or null when no local pacemakerd runs (a CIB file, a remote CIB).</summary>
    public static string? Line(HaPaths paths, DateTimeOffset now) =>
        PacemakerdTool.Running(paths)
            ? $"Status of pacemakerd: 'Pacemaker is running' (last updated {now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z)\n"
            : null;
}
