using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// The promotion score an agent records for a promotable instance: the node attribute
/// <c>master-&lt;name&gt;</c>. Unique instances are looked up by their full id (<c>rsc:2</c>);
/// anonymous ones by the name their history was found under, then by the bare primitive id,
/// because agents of anonymous clones strip the instance number.
/// </summary>
public static class PromotionScore
{
    /// <summary>Attribute prefix Pacemaker 2.1.5 still uses for promotion scores.</summary>
    public const string AttributePrefix = "master-";

    /// <summary>Strips the clone instance suffix: "rsc:3" -> "rsc".</summary>
    public static string StripInstance(string id)
    {
        var colon = id.LastIndexOf(':');
        return colon > 0 ? id[..colon] : id;
    }

    /// <summary>The recorded score, or null when no attribute is set (callers then use -1).</summary>
    public static Score? Lookup(IReadOnlyDictionary<string, string> nodeAttributes, string instanceName, bool globallyUnique)
    {
        if (nodeAttributes.TryGetValue(AttributePrefix + instanceName, out var v)) return Score.Parse(v);
        if (!globallyUnique)
        {
            var bare = StripInstance(instanceName);
            if (bare != instanceName && nodeAttributes.TryGetValue(AttributePrefix + bare, out var b)) return Score.Parse(b);
        }
        return null;
    }
}
