namespace Cluster.Crm.Controller;

/// <summary>
/// What a vote carries and how Pacemaker's election compares two of them (crm-spec §1.2): the
/// lower CRM feature set wins (the oldest version leads a mixed cluster), then the longer
/// controller uptime, then the host name that sorts lower case-insensitively. After a round
/// that ended without a winner, votes carry <see cref="NamesOnly"/>: uptimes measured at
/// different moments can disagree when two nodes started within one message delay, and then
/// both would concede; names cannot disagree.
/// </summary>
public sealed record ElectionCredentials(string FeatureSet, TimeSpan Uptime, string Node, bool NamesOnly = false)
{
    /// <summary>
    /// Uptimes closer than this count as equal (then names decide): each side compares its
    /// uptime now with the sender's when it sent, so a closer difference is within the
    /// message delay and the two sides could disagree.
    /// </summary>
    public static readonly TimeSpan UptimeResolution = TimeSpan.FromSeconds(1);

    /// <summary>True when these credentials win against <paramref name="other"/>'s.</summary>
    public bool Beats(ElectionCredentials other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var version = CompareVersions(FeatureSet, other.FeatureSet);
        if (version != 0)
            return version < 0;
        if (!NamesOnly && !other.NamesOnly && (Uptime - other.Uptime).Duration() >= UptimeResolution)
            return Uptime > other.Uptime;
        return string.Compare(Node, other.Node, StringComparison.OrdinalIgnoreCase) < 0;
    }

    /// <summary>Dotted numeric comparison ("3.16.1" &lt; "3.17"); a missing part counts as 0.</summary>
    public static int CompareVersions(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var p = i < x.Length && int.TryParse(x[i], out var xi) ? xi : 0;
            var q = i < y.Length && int.TryParse(y[i], out var yi) ? yi : 0;
            if (p != q)
                return p.CompareTo(q);
        }
        return 0;
    }
}
