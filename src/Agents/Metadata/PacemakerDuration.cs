using System.Globalization;

namespace Cluster.Agents.Metadata;

/// <summary>Durations as Pacemaker writes them: "20s", "5min", "100ms", "1h", bare seconds.</summary>
public static class PacemakerDuration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var s = text.Trim();
        var digits = 0;
        while (digits < s.Length && char.IsAsciiDigit(s[digits]))
            digits++;
        if (digits == 0 || !long.TryParse(s.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            return false;
        var unit = s[digits..].Trim().ToLowerInvariant();
        double? seconds = unit switch
        {
            "" or "s" or "sec" or "secs" or "second" or "seconds" => n,
            "ms" or "msec" or "msecs" => n / 1e3,
            "us" or "usec" or "usecs" => n / 1e6,
            "m" or "min" or "mins" or "minute" or "minutes" => n * 60.0,
            "h" or "hr" or "hrs" or "hour" or "hours" => n * 3600.0,
            _ => null,
        };
        // Beyond what a TimeSpan holds (about 29,000 years) is the longest one, not an overflow.
        TimeSpan? result = seconds is null ? null
            : seconds >= TimeSpan.MaxValue.TotalSeconds ? TimeSpan.MaxValue
            : unit.StartsWith('u') ? TimeSpan.FromMicroseconds(n)
            : unit.StartsWith("ms", StringComparison.Ordinal) ? TimeSpan.FromMilliseconds(n)
            : TimeSpan.FromSeconds(seconds.Value);
        if (result is null)
            return false;
        value = result.Value;
        return true;
    }
}
