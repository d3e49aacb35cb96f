using System.Globalization;
using System.Text.RegularExpressions;

namespace Cluster.Crm.Cib;

/// <summary>Pacemaker interval/timeout syntax: plain seconds, unit suffixes, or ISO 8601 "PT30S".</summary>
public static partial class Duration
{
    [GeneratedRegex(@"^\s*(\d+)\s*(ms|msec|s|sec|m|min|h|hr)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Simple();

    [GeneratedRegex(@"^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Iso();

    /// <summary>Milliseconds, or null when the text is not a duration.</summary>
    public static long? ParseMs(string? text)
    {
        try
        {
            return ParseMsChecked(text);
        }
        catch (OverflowException)
        {
            // "99999999999999999999s" is no duration either (found by cluster-fuzz).
            return null;
        }
    }

    private static long? ParseMsChecked(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = Simple().Match(text);
        if (m.Success)
        {
            long v = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return checked(m.Groups[2].Value.ToLowerInvariant() switch
            {
                "ms" or "msec" => v,
                "m" or "min" => v * 60_000,
                "h" or "hr" => v * 3_600_000,
                _ => v * 1000,
            });
        }
        var i = Iso().Match(text.Trim());
        if (i.Success)
        {
            long G(int k) => i.Groups[k].Success ? long.Parse(i.Groups[k].Value, CultureInfo.InvariantCulture) : 0;
            return checked(((G(1) * 24 + G(2)) * 60 + G(3)) * 60_000 + G(4) * 1000);
        }
        return null;
    }
}
