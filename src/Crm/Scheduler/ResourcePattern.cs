using System.Text.RegularExpressions;

namespace Cluster.Crm.Scheduler;

/// <summary>
/// A location constraint's <c>rsc-pattern</c> (a regular expression over resource ids). Matched
/// without backtracking, so a pattern such as <c>^(a+)+$</c> costs linear time instead of
/// hanging or timing out inside the scheduler; a pattern the linear engine cannot run
/// (backreferences, lookarounds) falls back to the backtracking engine with a time limit.
/// </summary>
internal static class ResourcePattern
{
    private static readonly TimeSpan FallbackTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>The ids the pattern matches, or null when the pattern is invalid (or too costly to run).</summary>
    public static HashSet<string>? Matching(string pattern, IEnumerable<string> ids)
    {
        Regex re;
        try
        {
            re = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (NotSupportedException)
        {
            try { re = new Regex(pattern, RegexOptions.CultureInvariant, FallbackTimeout); }
            catch (ArgumentException) { return null; }
        }
        catch (ArgumentException)
        {
            return null;
        }
        try
        {
            return [.. ids.Where(id => re.IsMatch(id))];
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
