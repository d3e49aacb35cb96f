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
        TimeSpan? result = unit switch
        {
            "" or "s" or "sec" or "secs" or "second" or "seconds" => TimeSpan.FromSeconds(n),
            "ms" or "msec" or "msecs" => TimeSpan.FromMilliseconds(n),
            "us" or "usec" or "usecs" => TimeSpan.FromMicroseconds(n),
            "m" or "min" or "mins" or "minute" or "minutes" => TimeSpan.FromMinutes(n),
            "h" or "hr" or "hrs" or "hour" or "hours" => TimeSpan.FromHours(n),
            _ => null,
        };
        if (result is null)
            return false;
        value = result.Value;
        return true;
    }
}
