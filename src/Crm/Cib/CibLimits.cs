namespace Cluster.Crm.Cib;

/// <summary>
/// Bounds on what a CIB reader accepts, so a hostile or broken file gives a clear error instead
/// of exhausting the stack or memory of a tool or of the scheduler inside a daemon.
/// </summary>
public static class CibLimits
{
    /// <summary>
    /// Elements nested deeper than this are refused (libxml2, which Pacemaker reads with, stops at
    /// the same depth). Real CIBs nest about ten levels; the copy, diff and rule code may recurse.
    /// </summary>
    public const int MaxDepth = 256;

    /// <summary>
    /// The largest CIB file read (1 GiB). A 64-node x 5,000-resource CIB with history is about
    /// 200 MB; reading /dev/zero or a huge log by mistake stops here, not at "Out of memory".
    /// </summary>
    public const long MaxFileBytes = 1L << 30;
}
