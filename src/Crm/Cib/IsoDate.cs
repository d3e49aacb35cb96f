using System.Globalization;
using System.Text.RegularExpressions;

namespace Cluster.Crm.Cib;

/// <summary>Parses the ISO 8601 date forms Pacemaker accepts (calendar, ordinal "2005-020", with optional time).</summary>
public static partial class IsoDate
{
    [GeneratedRegex(@"^(\d{4})-(\d{3})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?Z?$")]
    private static partial Regex Ordinal();

    public static DateTimeOffset? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        var m = Ordinal().Match(text);
        if (m.Success)
            return TryOrdinal(m);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var r))
            return r;
        return null;
    }

    /// <summary>"2005-020T10:00": null when it is out of the representable range (year 0000, day 999 of 9999).</summary>
    private static DateTimeOffset? TryOrdinal(Match m)
    {
        try
        {
            var d = new DateTimeOffset(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 1, 1, 0, 0, 0, TimeSpan.Zero)
                .AddDays(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) - 1);
            if (m.Groups[3].Success)
                d = d.AddHours(int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)).AddMinutes(int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture))
                    .AddSeconds(m.Groups[5].Success ? int.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture) : 0);
            return d;
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
