using System.Globalization;

namespace Cluster.Crm.Digests;

/// <summary>Pacemaker's time specifications as used for op timeouts and intervals.</summary>
public static class TimeSpec
{
    /// <summary>The timeout Pacemaker uses when none is configured or it cannot be parsed.</summary>
    public const long DefaultTimeoutMs = 20000;

    /// <summary>
    /// Parses a duration like Pacemaker's millisecond parser: optional leading blanks, digits
    /// (a '.' is accepted but only the integer part counts), optional blanks, then a unit
    /// prefix: ms/msec, us/usec, s/sec, m/min, h/hr (case-insensitive); no unit means seconds.
    /// </summary>
    public static bool TryParseMs(string? text, out long ms)
    {
        ms = 0;
        if (text is null) return false;
        var s = text.AsSpan().TrimStart(" \t\n\r");
        var numLen = 0;
        while (numLen < s.Length && (char.IsAsciiDigit(s[numLen]) || s[numLen] == '.')) numLen++;
        var intLen = 0;
        while (intLen < numLen && char.IsAsciiDigit(s[intLen])) intLen++;
        if (intLen == 0) return false;
        var units = s[numLen..].TrimStart(" \t\n\r");
        long multiplier, divisor = 1;
        if (units.IsEmpty) multiplier = 1000;
        else if (StartsWith(units, "ms")) multiplier = 1;
        else if (StartsWith(units, "us")) { multiplier = 1; divisor = 1000; }
        else if (StartsWith(units, "s")) multiplier = 1000;
        else if (StartsWith(units, "m")) multiplier = 60 * 1000;
        else if (StartsWith(units, "h")) multiplier = 60 * 60 * 1000;
        else return false;
        if (!long.TryParse(s[..intLen], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return false;
        // Beyond a long of milliseconds is no time at all (found by cluster-fuzz).
        if (value > long.MaxValue / multiplier) return false;
        ms = value * multiplier / divisor;
        return true;
    }

    /// <summary>A timeout in ms, or <see cref="DefaultTimeoutMs"/> when missing or unparsable.</summary>
    public static long TimeoutMsOrDefault(string? text) => TryParseMs(text, out var ms) ? ms : DefaultTimeoutMs;

    /// <summary>
    /// Parses an op interval spec (<c>10</c>, <c>10s</c>, <c>1min</c>, or an ISO 8601 duration such
    /// as <c>P0DT0H0M15S</c>) to milliseconds. Missing or unparsable means 0.
    /// </summary>
    public static long IntervalMs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return 0;
        var t = text.Trim();
        if (t[0] == 'P') return TryParseIso8601Ms(t, out var iso) ? iso : 0;
        return TryParseMs(t, out var ms) ? ms : 0;
    }

    private static bool StartsWith(ReadOnlySpan<char> s, string prefix) =>
        s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);

    private static bool TryParseIso8601Ms(string t, out long ms)
    {
        ms = 0;
        long seconds = 0;
        var inTime = false;
        var i = 1;
        while (i < t.Length)
        {
            if (t[i] == 'T') { inTime = true; i++; continue; }
            var start = i;
            while (i < t.Length && char.IsAsciiDigit(t[i])) i++;
            if (i == start || i >= t.Length) return false;
            var n = long.Parse(t.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture);
            seconds += (t[i], inTime) switch
            {
                ('Y', false) => n * 365 * 86400,
                ('M', false) => n * 30 * 86400,
                ('W', false) => n * 7 * 86400,
                ('D', false) => n * 86400,
                ('H', true) => n * 3600,
                ('M', true) => n * 60,
                ('S', true) => n,
                _ => long.MinValue,
            };
            if (seconds < 0) return false;
            i++;
        }
        ms = seconds * 1000;
        return true;
    }
}
