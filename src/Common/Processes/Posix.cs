using System.Runtime.InteropServices;

namespace Cluster.Common.Processes;

/// <summary>The few libc calls the runner needs, declared for source-generated (AOT) marshalling.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int Esrch = 3;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to every process of group <paramref name="pgid"/>.</summary>
    /// <returns>False when the group no longer exists.</returns>
    public static bool KillGroup(int pgid, int signal)
    {
        if (pgid <= 1)
            throw new ArgumentOutOfRangeException(nameof(pgid), pgid, "refusing to signal a group id <= 1");
        if (KillNative(-pgid, signal) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == Esrch)
            return false;
        throw new InvalidOperationException($"kill(-{pgid}, {signal}) failed: errno {errno}");
    }

    /// <summary>True while any process of the group is alive (signal 0 probes).</summary>
    public static bool GroupExists(int pgid) => pgid > 1 && KillNative(-pgid, 0) == 0;
}
