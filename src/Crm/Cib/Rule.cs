using System.Globalization;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>What a rule is evaluated against: node attributes, "now", resource and op identity.</summary>
public sealed record RuleContext(
    IReadOnlyDictionary<string, string>? NodeAttributes,
    DateTimeOffset Now,
    string? ResourceClass = null,
    string? ResourceProvider = null,
    string? ResourceType = null,
    string? OpName = null,
    long? OpIntervalMs = null);

/// <summary>A rule expression node.</summary>
public abstract record RuleExpression(string Id)
{
    public abstract bool Evaluate(RuleContext ctx);
}

/// <summary>&lt;rule&gt;: a boolean combination of expressions, with a score for location rules.</summary>
public sealed record Rule(
    string Id,
    string? ScoreText,
    string? ScoreAttribute,
    string BooleanOp,
    string? Role,
    IReadOnlyList<RuleExpression> Expressions) : RuleExpression(Id)
{
    public Score Score => Score.Parse(ScoreText);

    public override bool Evaluate(RuleContext ctx)
    {
        if (Expressions.Count == 0) return true;
        bool or = BooleanOp.Equals("or", StringComparison.OrdinalIgnoreCase);
        foreach (var e in Expressions)
        {
            bool r = e.Evaluate(ctx);
            if (or && r) return true;
            if (!or && !r) return false;
        }
        return !or;
    }

    internal static Rule Parse(XElement e)
    {
        var exprs = new List<RuleExpression>();
        foreach (var c in e.Elements())
        {
            var id = (string?)c.Attribute("id") ?? "";
            switch (c.Name.LocalName)
            {
                case "rule": exprs.Add(Parse(c)); break;
                case "expression":
                    exprs.Add(new AttributeExpression(id, (string?)c.Attribute("attribute") ?? "",
                        (string?)c.Attribute("operation") ?? "eq", (string?)c.Attribute("value"),
                        (string?)c.Attribute("type"), (string?)c.Attribute("value-source")));
                    break;
                case "date_expression":
                    exprs.Add(DateExpression.Parse(c));
                    break;
                case "rsc_expression":
                    exprs.Add(new ResourceExpression(id, (string?)c.Attribute("class"), (string?)c.Attribute("provider"), (string?)c.Attribute("type")));
                    break;
                case "op_expression":
                    exprs.Add(new OpExpression(id, (string?)c.Attribute("name") ?? "", (string?)c.Attribute("interval")));
                    break;
            }
        }
        return new Rule((string?)e.Attribute("id") ?? "", (string?)e.Attribute("score"),
            (string?)e.Attribute("score-attribute"), (string?)e.Attribute("boolean-op") ?? "and",
            (string?)e.Attribute("role"), exprs);
    }
}

/// <summary>&lt;expression attribute operation value type&gt; on a node attribute.</summary>
public sealed record AttributeExpression(string Id, string Attribute, string Operation, string? Value, string? Type, string? ValueSource)
    : RuleExpression(Id)
{
    public override bool Evaluate(RuleContext ctx)
    {
        string? actual = null;
        ctx.NodeAttributes?.TryGetValue(Attribute, out actual);
        var op = Operation.ToLowerInvariant();
        if (op == "defined") return actual is not null;
        if (op == "not_defined") return actual is null;
        var expected = Value;
        if (ValueSource is "param" or "meta") expected = null; // not supported outside resource context
        if (actual is null || expected is null) return op == "ne" && (actual is null) != (expected is null);
        // Without a type, ordering comparisons are numeric and equality is textual (as Pacemaker).
        var type = Type ?? (op is "lt" or "lte" or "gt" or "gte" ? "number" : "string");
        int cmp = Compare(actual, expected, type);
        return op switch
        {
            "eq" => cmp == 0,
            "ne" => cmp != 0,
            "lt" => cmp < 0,
            "lte" => cmp <= 0,
            "gt" => cmp > 0,
            "gte" => cmp >= 0,
            _ => false,
        };
    }

    private static int Compare(string a, string b, string type)
    {
        type = type.ToLowerInvariant();
        switch (type)
        {
            case "integer":
                // Integers are read like strtoll: the leading digits count ("3.4" is 3).
                if (TryLeadingInteger(a, out var ia) && TryLeadingInteger(b, out var ib))
                    return ia.CompareTo(ib);
                break;
            case "number":
                if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &&
                    double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                    return x.CompareTo(y);
                break;
            case "version":
                return CompareVersion(a, b);
        }
        return string.CompareOrdinal(a, b) switch { < 0 => -1, > 0 => 1, _ => 0 };
    }

    private static bool TryLeadingInteger(string text, out long value)
    {
        var t = text.AsSpan().TrimStart();
        int end = t.Length > 0 && (t[0] == '-' || t[0] == '+') ? 1 : 0;
        int digitsStart = end;
        while (end < t.Length && char.IsAsciiDigit(t[end])) end++;
        value = 0;
        return end > digitsStart && long.TryParse(t[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static int CompareVersion(string a, string b)
    {
        var pa = a.Split('.'); var pb = b.Split('.');
        for (int i = 0; i < Math.Max(pa.Length, pb.Length); i++)
        {
            long x = i < pa.Length && long.TryParse(pa[i], out var t1) ? t1 : 0;
            long y = i < pb.Length && long.TryParse(pb[i], out var t2) ? t2 : 0;
            if (x != y) return x < y ? -1 : 1;
        }
        return 0;
    }
}

/// <summary>&lt;date_expression operation="gt|lt|in_range|date_spec"&gt;.</summary>
public sealed record DateExpression(string Id, string Operation, DateTimeOffset? Start, DateTimeOffset? End, TimeSpan? Duration, XElement? DateSpec)
    : RuleExpression(Id)
{
    public override bool Evaluate(RuleContext ctx)
    {
        var now = ctx.Now;
        switch (Operation)
        {
            case "gt": return Start is { } s && now > s;
            case "lt": return End is { } e && now < e;
            case "in_range":
                {
                    var end = End ?? (Start is { } st && Duration is { } d ? AddClamped(st, d) : null);
                    if (Start is { } s2 && now < s2) return false;
                    if (end is { } e2 && now > e2) return false;
                    return Start is not null || end is not null;
                }
            case "date_spec": return DateSpec is not null && MatchSpec(DateSpec, now);
            default: return false;
        }
    }

    // TimeSpan.MinValue/MaxValue in whole seconds (FromSeconds of the exact bounds overflows).
    private const double MinDurationSeconds = -922_337_203_685, MaxDurationSeconds = 922_337_203_685;

    /// <summary><paramref name="start"/> + <paramref name="duration"/>, clamped to the representable dates.</summary>
    public static DateTimeOffset AddClamped(DateTimeOffset start, TimeSpan duration)
    {
        if (duration >= TimeSpan.Zero)
            return DateTimeOffset.MaxValue - start < duration ? DateTimeOffset.MaxValue : start + duration;
        return start - DateTimeOffset.MinValue < duration.Negate() ? DateTimeOffset.MinValue : start + duration;
    }

    private static bool MatchSpec(XElement spec, DateTimeOffset now)
    {
        bool Check(string name, int value)
        {
            var r = (string?)spec.Attribute(name);
            if (r is null) return true;
            var parts = r.Split('-');
            if (!int.TryParse(parts[0], out var lo)) return false;
            int hi = parts.Length > 1 && int.TryParse(parts[1], out var h) ? h : lo;
            return value >= lo && value <= hi;
        }
        int wd = (int)now.DayOfWeek; if (wd == 0) wd = 7;
        return Check("hours", now.Hour) && Check("monthdays", now.Day) && Check("weekdays", wd)
            && Check("yeardays", now.DayOfYear) && Check("months", now.Month) && Check("years", now.Year)
            && Check("minutes", now.Minute) && Check("seconds", now.Second)
            && Check("weeks", System.Globalization.ISOWeek.GetWeekOfYear(now.DateTime))
            && Check("weekyears", System.Globalization.ISOWeek.GetYear(now.DateTime));
    }

    internal static DateExpression Parse(XElement c)
    {
        TimeSpan? dur = null;
        if (c.Element(c.Name.Namespace + "duration") is { } d)
        {
            // Summed in double seconds and clamped: a duration of -99999999999 years is far in
            // the past, not an overflow.
            var seconds = 0.0;
            foreach (var (n, f) in new (string, double)[] { ("years", 365.25 * 86400), ("months", 30 * 86400), ("weeks", 7 * 86400), ("days", 86400), ("hours", 3600), ("minutes", 60), ("seconds", 1) })
                if (long.TryParse((string?)d.Attribute(n), out var v)) seconds += v * f;
            dur = TimeSpan.FromSeconds(Math.Clamp(seconds, MinDurationSeconds, MaxDurationSeconds));
        }
        return new DateExpression((string?)c.Attribute("id") ?? "", (string?)c.Attribute("operation") ?? "in_range",
            IsoDate.TryParse((string?)c.Attribute("start")), IsoDate.TryParse((string?)c.Attribute("end")), dur,
            c.Element(c.Name.Namespace + "date_spec"));
    }
}

/// <summary>&lt;rsc_expression&gt; (rsc_defaults / op_defaults rules).</summary>
public sealed record ResourceExpression(string Id, string? Class, string? Provider, string? Type) : RuleExpression(Id)
{
    public override bool Evaluate(RuleContext ctx) =>
        (Class is null || Class == ctx.ResourceClass) && (Provider is null || Provider == ctx.ResourceProvider)
        && (Type is null || Type == ctx.ResourceType);
}

/// <summary>&lt;op_expression&gt; (op_defaults rules).</summary>
public sealed record OpExpression(string Id, string Name, string? Interval) : RuleExpression(Id)
{
    public override bool Evaluate(RuleContext ctx) =>
        ctx.OpName is not null && Name == ctx.OpName
        && (Interval is null || Duration.ParseMs(Interval) == ctx.OpIntervalMs);
}
