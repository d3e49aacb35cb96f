namespace Cluster.Crm.Digests;

/// <summary>
/// An insertion-ordered name/value map with Pacemaker's first-writer-wins rule: a later source
/// never replaces a name already present; the value <c>#default</c> removes an earlier value
/// instead of setting one.
/// </summary>
public sealed class ParameterSet
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    /// <summary>The parameters in insertion order.</summary>
    public IEnumerable<KeyValuePair<string, string>> Items =>
        _order.Select(name => new KeyValuePair<string, string>(name, _values[name]));

    public bool TryGetValue(string name, out string value)
    {
        if (_values.TryGetValue(name, out var v))
        {
            value = v;
            return true;
        }
        value = "";
        return false;
    }

    /// <summary>Adds <paramref name="name"/> unless present; <c>#default</c> removes it.</summary>
    public void AddIfAbsent(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (string.Equals(value, "#default", StringComparison.OrdinalIgnoreCase))
        {
            if (_values.Remove(name)) _order.Remove(name);
            return;
        }
        if (_values.TryAdd(name, value)) _order.Add(name);
    }

    public void AddAllIfAbsent(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (name, value) in pairs) AddIfAbsent(name, value);
    }

    /// <summary>
    /// Resolves the instance attributes of a resource for one node. <paramref name="levels"/> are
    /// ordered from most to least specific (template, primitive, group, clone, rsc_defaults);
    /// each holds that element's blocks in document order, already filtered by their rules.
    /// Within a level blocks apply by descending score, equal scores in reverse document order
    /// (so the last of equal-scored blocks wins), as Pacemaker's unpacking does.
    /// </summary>
    public static ParameterSet Resolve(IEnumerable<IReadOnlyList<AttributeBlock>> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var set = new ParameterSet();
        foreach (var level in levels)
        {
            var ordered = level.Select((block, i) => (block, i))
                .OrderByDescending(x => x.block.Score)
                .ThenByDescending(x => x.i);
            foreach (var (block, _) in ordered) set.AddAllIfAbsent(block.Pairs);
        }
        return set;
    }
}

/// <summary>One <c>instance_attributes</c> block whose rules passed: its score and its nvpairs.</summary>
public sealed record AttributeBlock(int Score, IReadOnlyList<KeyValuePair<string, string>> Pairs)
{
    public static AttributeBlock Of(params (string Name, string Value)[] pairs) =>
        new(0, [.. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);

    public static AttributeBlock Scored(int score, params (string Name, string Value)[] pairs) =>
        new(score, [.. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
}
