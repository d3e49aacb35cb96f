namespace Cluster.TestSupport.Cib;

/// <summary>
/// The text output of <c>crm_simulate</c> split into its sections ("Current cluster status",
/// "Transition Summary", "Executing Cluster Transition", "Revised Cluster Status", ...), each
/// kept verbatim without its header line and trailing blank lines.
/// </summary>
public sealed class SimulateOutput
{
    private static readonly string[] Headers =
    [
        "Current cluster status:", "Performing Requested Modifications:", "Allocation Scores:",
        "Transition Summary:", "Executing Cluster Transition:", "Revised Cluster Status:",
    ];

    private readonly Dictionary<string, string> _sections;

    private SimulateOutput(Dictionary<string, string> sections) => _sections = sections;

    /// <summary>Lines of Transition Summary (empty string when the section is empty or absent).</summary>
    public string TransitionSummary => Section("Transition Summary:");

    /// <summary>The final placement: Revised Cluster Status (only with -S).</summary>
    public string RevisedStatus => Section("Revised Cluster Status:");

    public bool Has(string header) => _sections.ContainsKey(header);

    public string Section(string header) => _sections.GetValueOrDefault(header) ?? "";

    public static SimulateOutput Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var lines = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (Array.IndexOf(Headers, line) >= 0)
            {
                Flush();
                current = line;
                continue;
            }
            if (current is not null) lines.Add(line);
        }
        Flush();
        return new SimulateOutput(sections);

        void Flush()
        {
            if (current is null) return;
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            sections[current] = string.Join('\n', lines);
            lines.Clear();
        }
    }
}
