namespace Cluster.Common.Diagnostics;

/// <summary>
/// Rate limit for one kind of log line that an outsider can trigger (refused connections,
/// unauthenticated packets, forged headers): at most one line per <see cref="Interval"/>, and
/// the next line that is let through says how many were suppressed meanwhile. Sans-IO: the
/// caller passes the time, so the cores and the simulator can use it too. Not thread safe.
/// </summary>
public sealed class LogThrottle(TimeSpan interval)
{
    private TimeSpan _next = TimeSpan.MinValue;
    private long _suppressed;

    public TimeSpan Interval { get; } = interval;

    /// <summary>Events seen since the last line let through (not yet reported).</summary>
    public long Suppressed => _suppressed;

    /// <summary>
    /// Whether to log this event now; when true, <paramref name="suppressed"/> is the number of
    /// events swallowed since the previous line (to append as "N similar suppressed").
    /// </summary>
    public bool ShouldLog(TimeSpan now, out long suppressed)
    {
        if (now < _next)
        {
            _suppressed++;
            suppressed = 0;
            return false;
        }
        suppressed = _suppressed;
        _suppressed = 0;
        _next = now + Interval;
        return true;
    }

    /// <summary>The text to append to a line let through after suppressing <paramref name="suppressed"/> lines.</summary>
    public static string Suffix(long suppressed) =>
        suppressed == 0 ? string.Empty : $" ({suppressed} similar line{(suppressed == 1 ? "" : "s")} suppressed)";
}
