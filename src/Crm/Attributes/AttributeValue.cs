using System.Globalization;

namespace Cluster.Crm.Attributes;

/// <summary>
/// attrd's value expansion: <c>value++</c> adds one and <c>value+=N</c> adds N to the current
/// integer value (missing or non-numeric counts as 0), saturating at INFINITY (1000000) as
/// Pacemaker scores do; anything else is taken literally.
/// </summary>
public static class AttributeValue
{
    public const int Infinity = 1_000_000;

    public static string Expand(string? current, string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        int add;
        if (requested == "value++")
            add = 1;
        else if (requested.StartsWith("value+=", StringComparison.Ordinal)
                 && TryScore(requested["value+=".Length..], out var n))
            add = n;
        else
            return requested;
        TryScore(current, out var now);
        var sum = Math.Clamp((long)now + add, -Infinity, Infinity);
        return sum >= Infinity ? "INFINITY" : sum.ToString(CultureInfo.InvariantCulture);
    }

    private static bool TryScore(string? text, out int value)
    {
        value = 0;
        if (text is null)
            return false;
        if (text is "INFINITY" or "+INFINITY")
        {
            value = Infinity;
            return true;
        }
        if (text == "-INFINITY")
        {
            value = -Infinity;
            return true;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return false;
        value = (int)Math.Clamp(l, -Infinity, Infinity);
        return true;
    }
}
