using System.Globalization;

namespace Cluster.Crm.Attributes;

/// <summary>The transient attribute names the controller keeps through attrd, as Pacemaker 2.1.5 spells them.</summary>
public static class AttributeNames
{
    /// <summary><c>fail-count-WebIP#monitor_10000</c>: failures of one operation of one resource.</summary>
    public static string FailCount(string resourceId, string operation, TimeSpan interval) =>
        $"fail-count-{resourceId}#{operation}_{Ms(interval)}";

    /// <summary><c>last-failure-WebIP#monitor_10000</c>: epoch seconds of the latest such failure.</summary>
    public static string LastFailure(string resourceId, string operation, TimeSpan interval) =>
        $"last-failure-{resourceId}#{operation}_{Ms(interval)}";

    /// <summary>True (with the resource) when <paramref name="name"/> is a fail count of any op of a resource.</summary>
    public static bool TryParseFailCount(string name, out string resourceId)
    {
        resourceId = "";
        const string prefix = "fail-count-";
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
            return false;
        var hash = name.LastIndexOf('#');
        if (hash <= prefix.Length)
            return false;
        resourceId = name[prefix.Length..hash];
        return true;
    }

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
