using System.Globalization;

namespace Cluster.Crm.Cib;

/// <summary>
/// A Pacemaker score: an integer clamped to [-1,000,000, +1,000,000] where the bounds mean
/// -INFINITY / INFINITY. Addition follows Pacemaker: -INFINITY dominates +INFINITY.
/// </summary>
public readonly record struct Score(int Value) : IComparable<Score>
{
    public const int InfinityValue = 1_000_000;

    public static readonly Score Zero = new(0);
    public static readonly Score Infinity = new(InfinityValue);
    public static readonly Score MinusInfinity = new(-InfinityValue);

    public bool IsInfinite => Value >= InfinityValue || Value <= -InfinityValue;
    public bool IsPlusInfinity => Value >= InfinityValue;
    public bool IsMinusInfinity => Value <= -InfinityValue;

    public static Score FromLong(long v) =>
        new((int)Math.Clamp(v, -InfinityValue, InfinityValue));

    public static Score operator +(Score a, Score b)
    {
        if (a.Value <= -InfinityValue || b.Value <= -InfinityValue) return MinusInfinity;
        if (a.Value >= InfinityValue || b.Value >= InfinityValue) return Infinity;
        return FromLong((long)a.Value + b.Value);
    }

    public static Score operator -(Score a) => new(-a.Value);

    public static bool operator <(Score a, Score b) => a.Value < b.Value;
    public static bool operator >(Score a, Score b) => a.Value > b.Value;
    public static bool operator <=(Score a, Score b) => a.Value <= b.Value;
    public static bool operator >=(Score a, Score b) => a.Value >= b.Value;

    public int CompareTo(Score other) => Value.CompareTo(other.Value);

    /// <summary>Strict syntax accepted by the CIB schema: integer, INFINITY, +INFINITY, -INFINITY.</summary>
    public static bool TryParseStrict(string? text, out Score score)
    {
        score = Zero;
        if (text is null) return false;
        switch (text)
        {
            case "INFINITY" or "+INFINITY": score = Infinity; return true;
            case "-INFINITY": score = MinusInfinity; return true;
        }
        var t = text.Trim();
        if (t.Length == 0) return false;
        int i = t[0] is '+' or '-' ? 1 : 0;
        if (i == t.Length) return false;
        for (int k = i; k < t.Length; k++)
            if (!char.IsAsciiDigit(t[k])) return false;
        score = long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? FromLong(v) : Zero;
        return true;
    }

    /// <summary>Lenient parse as Pacemaker's char2score (strtoll semantics, case-sensitive INFINITY).</summary>
    public static Score Parse(string? text)
    {
        if (text is null) return Zero;
        switch (text)
        {
            case "INFINITY" or "+INFINITY": return Infinity;
            case "-INFINITY": return MinusInfinity;
        }
        if (text.Equals("red", StringComparison.OrdinalIgnoreCase)) return MinusInfinity;
        if (text.Equals("yellow", StringComparison.OrdinalIgnoreCase) || text.Equals("green", StringComparison.OrdinalIgnoreCase)) return Zero;
        var s = text.AsSpan().TrimStart();
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == start) return Zero;
        return long.TryParse(s[..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? FromLong(v) : Zero;
    }

    public override string ToString() => Value switch
    {
        >= InfinityValue => "INFINITY",
        <= -InfinityValue => "-INFINITY",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };
}
