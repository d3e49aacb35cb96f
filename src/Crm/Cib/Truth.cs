namespace Cluster.Crm.Cib;

/// <summary>Pacemaker booleans: true/yes/on/y/1 (case-insensitive).</summary>
public static class Truth
{
    public static bool IsTrue(string? s) =>
        s is not null && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase)
            || s.Equals("on", StringComparison.OrdinalIgnoreCase) || s.Equals("y", StringComparison.OrdinalIgnoreCase) || s == "1");
}
