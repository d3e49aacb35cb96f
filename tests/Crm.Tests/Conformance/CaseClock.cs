namespace Cluster.Crm.Tests.Conformance;

/// <summary>
/// The time a regression case is scheduled at. date-2 and date-3 hold a rule with
/// <c>date_spec hours=12</c>, so the real crm_simulate's output depends on the hour it ran: their
/// recorded graphs were made inside (date-2) and outside (date-3) 12:xx, and the cases run at such
/// an hour here, so the result does not depend on when CI runs. Every other case uses the clock.
/// </summary>
public static class CaseClock
{
    private static readonly Dictionary<string, DateTimeOffset> Fixed = new(StringComparer.Ordinal)
    {
        ["date-2"] = new DateTimeOffset(2026, 1, 5, 12, 30, 0, TimeSpan.Zero),
        ["date-3"] = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero),
    };

    /// <summary>The fixed time for the case named by its file (with or without tier and extension), or null.</summary>
    public static DateTimeOffset? For(string caseFile) =>
        Fixed.TryGetValue(Path.GetFileNameWithoutExtension(caseFile), out var at) ? at : null;
}
