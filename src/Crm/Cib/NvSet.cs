using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>One &lt;nvpair&gt;.</summary>
public sealed record NvPair(string Id, string Name, string? Value);

/// <summary>
/// A name/value set (instance_attributes, meta_attributes, cluster_property_set, utilization):
/// optional score (higher first) and rule; the first set defining a name wins.
/// </summary>
public sealed record NvSet(string Id, Score Score, Rule? Rule, IReadOnlyList<NvPair> Pairs)
{
    internal static NvSet Parse(XElement e) => new(
        (string?)e.Attribute("id") ?? "",
        Score.Parse((string?)e.Attribute("score")),
        e.Element(e.Name.Namespace + "rule") is { } r ? Rule.Parse(r) : null,
        [.. e.Elements(e.Name.Namespace + "nvpair").Select(p => new NvPair(
            (string?)p.Attribute("id") ?? "", (string?)p.Attribute("name") ?? "", (string?)p.Attribute("value")))]);

    internal static IReadOnlyList<NvSet> ParseAll(XElement? parent, string name) =>
        parent is null ? [] : [.. parent.Elements(parent.Name.Namespace + name).Select(Parse)];

    /// <summary>Flattens sets: sets sorted by score (stable), rules evaluated, first definition wins.</summary>
    public static Dictionary<string, string> Flatten(IEnumerable<NvSet> sets, RuleContext? ctx, Dictionary<string, string>? into = null)
    {
        var result = into ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var set in sets.OrderByDescending(s => s.Score.Value))
        {
            if (set.Rule is not null && (ctx is null || !set.Rule.Evaluate(ctx))) continue;
            foreach (var p in set.Pairs)
                if (p.Value is not null) result.TryAdd(p.Name, p.Value);
        }
        return result;
    }
}
